import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { APP_HOST } from './ipc-sender.ts';

/**
 * The app:// protocol that serves the built renderer instead of file:// (Electron's security
 * checklist): files only from the renderer folder, only GET and HEAD, and every response carries
 * the Content-Security-Policy header. Plain Node (Request/Response): tested without Electron.
 */

/**
 * Maps an app:// URL path to a file under the renderer root, refusing anything that would
 * escape it (../, encoded separators, absolute paths).
 */
export function resolveAppAsset(root: string, urlPath: string): string | null {
  let decoded: string;
  try {
    decoded = decodeURIComponent(urlPath);
  } catch {
    return null;
  }
  if (decoded.includes('\0') || decoded.includes('\\')) return null;
  const relative = decoded === '/' || decoded === '' ? 'index.html' : decoded.replace(/^\/+/, '');
  const resolved = path.resolve(root, relative);
  const rootWithSeparator = path.resolve(root) + path.sep;
  return resolved.startsWith(rootWithSeparator) ? resolved : null;
}

export interface AppProtocolOptions {
  readonly rendererRoot: string;
  readonly contentSecurityPolicy: string;
  /** Electron's net.fetch in main; reads a file:// URL. */
  readonly fetchFile: (fileUrl: string) => Promise<Response>;
}

export function createAppProtocolHandler(options: AppProtocolOptions): (request: Request) => Promise<Response> {
  const refuse = (status: number, text: string): Response => new Response(text, { status, headers: securityHeaders(options.contentSecurityPolicy, 'text/plain; charset=utf-8') });
  return async (request) => {
    if (request.method !== 'GET' && request.method !== 'HEAD') return refuse(405, 'method not allowed');
    const url = new URL(request.url);
    if (url.host !== APP_HOST) return refuse(404, 'not found');
    const file = resolveAppAsset(options.rendererRoot, url.pathname);
    if (file === null) return refuse(404, 'not found');
    let upstream: Response;
    try {
      upstream = await options.fetchFile(pathToFileURL(file).toString());
    } catch {
      return refuse(404, 'not found');
    }
    if (!upstream.ok) return refuse(404, 'not found');
    // The type comes from our own table, not from the file fetch: with nosniff it decides how a file runs.
    const headers = securityHeaders(options.contentSecurityPolicy, contentTypeOf(file));
    return new Response(request.method === 'HEAD' ? null : upstream.body, { status: 200, headers });
  };
}

function securityHeaders(contentSecurityPolicy: string, contentType: string): Headers {
  return new Headers({
    'Content-Type': contentType,
    'Content-Security-Policy': contentSecurityPolicy,
    'X-Content-Type-Options': 'nosniff',
    'Cross-Origin-Opener-Policy': 'same-origin',
    'Cross-Origin-Resource-Policy': 'same-origin',
  });
}

const CONTENT_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.woff2': 'font/woff2',
  '.wasm': 'application/wasm',
};

function contentTypeOf(file: string): string {
  return CONTENT_TYPES[path.extname(file).toLowerCase()] ?? 'application/octet-stream';
}
