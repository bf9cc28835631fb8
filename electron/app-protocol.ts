import path from 'node:path';

/**
 * Maps an app:// URL path to a file under the renderer root, refusing anything that would
 * escape it (../, encoded separators, absolute paths). Plain Node: tested without Electron.
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
