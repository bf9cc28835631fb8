import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { createAppProtocolHandler, resolveAppAsset } from './app-protocol.ts';

const root = path.resolve('/srv/renderer');

describe('app:// protocol paths', () => {
  it('serves files under the renderer root', () => {
    expect(resolveAppAsset(root, '/index.html')).toBe(path.join(root, 'index.html'));
    expect(resolveAppAsset(root, '/')).toBe(path.join(root, 'index.html'));
    expect(resolveAppAsset(root, '/assets/app%20x.js')).toBe(path.join(root, 'assets', 'app x.js'));
  });

  it('refuses paths that escape the root', () => {
    for (const attempt of ['/../secret', '/%2e%2e/secret', '/assets/../../etc/passwd', '/..%2fsecret', '/a%5c..%5c..%5csecret', '/%00', '/%E0%A4%A']) {
      expect(resolveAppAsset(root, attempt)).toBeNull();
    }
  });
});

describe('app:// protocol handler', () => {
  const csp = "default-src 'none'; script-src 'self'";
  function handlerWithFiles(files: Record<string, string>): { handle: (request: Request) => Promise<Response>; fetched: string[] } {
    const fetched: string[] = [];
    const handle = createAppProtocolHandler({
      rendererRoot: root,
      contentSecurityPolicy: csp,
      fetchFile: async (fileUrl) => {
        fetched.push(fileUrl);
        const body = files[fileURLToPath(fileUrl)];
        if (body === undefined) throw new Error('net::ERR_FILE_NOT_FOUND');
        return new Response(body);
      },
    });
    return { handle, fetched };
  }

  it('serves the renderer with the Content-Security-Policy header on the response', async () => {
    const { handle } = handlerWithFiles({ [path.join(root, 'index.html')]: '<!doctype html>' });
    const response = await handle(new Request('app://settledesk/index.html'));
    expect(response.status).toBe(200);
    expect(response.headers.get('content-security-policy')).toBe(csp);
    expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    expect(await response.text()).toBe('<!doctype html>');
  });

  it('refuses other methods, other hosts, escaping paths and missing files, still with the CSP header', async () => {
    const { handle, fetched } = handlerWithFiles({ [path.join(root, 'index.html')]: 'x' });
    const cases: [Request, number][] = [
      [new Request('app://settledesk/index.html', { method: 'POST', body: 'x' }), 405],
      [new Request('app://elsewhere/index.html'), 404],
      [new Request('app://settledesk/assets/..%2f..%2fsecret'), 404],
      [new Request('app://settledesk/missing.js'), 404],
    ];
    for (const [request, status] of cases) {
      const response = await handle(request);
      expect(response.status, request.url).toBe(status);
      expect(response.headers.get('content-security-policy')).toBe(csp);
    }
    // Only the missing file reached the file system; the others were refused before.
    expect(fetched).toEqual([pathToFileURL(path.join(root, 'missing.js')).toString()]);
  });
});
