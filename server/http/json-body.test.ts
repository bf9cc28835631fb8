import { describe, expect, it } from 'vitest';
import { HttpError } from './errors.ts';
import { jsonDepth, JSON_DEPTH_MAX, parseJsonBody } from './json-body.ts';

describe('JSON bodies', () => {
  it('measures nesting outside strings only', () => {
    expect(jsonDepth('{"a":[1,{"b":[]}]}', 100)).toBe(4);
    expect(jsonDepth('{"a":"[[[[[[\\"[[["}', 100)).toBe(1);
    expect(jsonDepth('1', 100)).toBe(0);
  });

  it('refuses a body nested past the limit before parsing it', () => {
    const deep = `${'['.repeat(JSON_DEPTH_MAX + 1)}${']'.repeat(JSON_DEPTH_MAX + 1)}`;
    expect(() => parseJsonBody(deep)).toThrow(HttpError);
    expect(parseJsonBody(`${'['.repeat(JSON_DEPTH_MAX)}${']'.repeat(JSON_DEPTH_MAX)}`)).toBeInstanceOf(Array);
  });

  it('refuses prototype keys but not a value that mentions one', () => {
    expect(() => parseJsonBody('{"__proto__":{"x":1}}')).toThrow(/forbidden key/);
    expect(() => parseJsonBody('{"a":{"constructor" : 1}}')).toThrow(/forbidden key/);
    expect(parseJsonBody('{"text":"see \\"__proto__\\": in the docs"}')).toEqual({ text: 'see "__proto__": in the docs' });
  });
});
