import { describe, expect, it } from 'vitest';
import { buildContentSecurityPolicy } from './content-security-policy.ts';

function directives(policy: string): Map<string, string[]> {
  return new Map(policy.split(';').map((part) => part.trim().split(/\s+/)).map(([name, ...values]) => [name!, values]));
}

describe('Content-Security-Policy', () => {
  it('allows scripts only from the app: no inline, eval or remote script, nothing by default', () => {
    const policy = directives(buildContentSecurityPolicy({ connectOrigins: [] }));
    expect(policy.get('default-src')).toEqual(["'none'"]);
    expect(policy.get('script-src')).toEqual(["'self'"]);
    expect(policy.get('connect-src')).toEqual(["'self'"]);
    expect(policy.get('object-src')).toEqual(["'none'"]);
    expect(policy.get('frame-ancestors')).toEqual(["'none'"]);
    expect([...policy.values()].flat()).not.toContain("'unsafe-eval'");
  });

  it('adds the sync server origin to connect-src and refuses anything that is not a bare origin', () => {
    expect(directives(buildContentSecurityPolicy({ connectOrigins: ['https://sync.example.com:8443'] })).get('connect-src')).toEqual(["'self'", 'https://sync.example.com:8443']);
    for (const origin of ['https://a.example; script-src *', '*', 'https://a.example/path', 'ws://a.example']) {
      expect(() => buildContentSecurityPolicy({ connectOrigins: [origin] }), origin).toThrow(TypeError);
    }
  });
});
