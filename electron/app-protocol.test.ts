import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { resolveAppAsset } from './app-protocol.ts';

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
