import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { JSON_DEPTH_MAX, jsonValueLocation, parseJsonText } from './json-text.ts';

function failure(text: string, depthMax?: number): Record<string, unknown> {
  try {
    parseJsonText(text, 'x.json', depthMax);
  } catch (error) {
    return (error as { toJSON(): Record<string, unknown> }).toJSON();
  }
  throw new Error('expected a failure');
}

describe('parseJsonText', () => {
  it('parses what JSON.parse parses, to the same value', () => {
    expect(parseJsonText('{"a": [1, "two", {"b": null}], "c": -1.5e3, "d": "\\u00e9\\n"}', 'x.json')).toEqual({ a: [1, 'two', { b: null }], c: -1500, d: 'é\n' });
  });

  it('names the line and column of a syntax error and what was expected there', () => {
    expect(failure('[\n  {"rate": "55",}\n]')).toMatchObject({ code: 'json_invalid', file: 'x.json', line: 2, column: 17 });
    expect(failure('[\n  {"rate": "55",}\n]').message).toBe('x.json:2:17: not valid JSON: expected a double-quoted property name, found "}"');
    expect(failure('{"a": 1')).toMatchObject({ code: 'json_invalid', line: 1, column: 8, message: expect.stringContaining("expected ',' or '}', found the end of the file") });
    expect(failure('{"a": 1} x')).toMatchObject({ line: 1, column: 10, message: expect.stringContaining('expected the end of the file') });
    expect(failure('{"a": "tab\there"}')).toMatchObject({ line: 1, column: 11 });
    expect(failure('{"a": 01}')).toMatchObject({ line: 1, column: 8 });
  });

  it('says what was expected and found as codes and values besides the unchanged English', () => {
    expect(failure('[\n  {"rate": "55",}\n]').details).toEqual({ expected: 'a double-quoted property name', says: 'json_invalid', line: '2', column: '17', expects: 'key', close: '}', found: '"}"' });
    // At the end of the file nothing is found ('').
    expect(failure('{"a": 1').details).toEqual({ expected: "',' or '}'", says: 'json_invalid', line: '1', column: '8', expects: 'comma_or_close', close: '}', found: '' });
    expect(failure('{"a": "x\\q"}').details).toMatchObject({ expects: 'escape', found: '"q"' });
    expect(failure('[[1]]', 1).details).toEqual({ depthMax: 1, says: 'json_too_deep', line: '1', column: '2', depth: '1' });
  });

  it('refuses nesting deeper than the limit without overflowing the stack', () => {
    const deep = `${'['.repeat(200_000)}${']'.repeat(200_000)}`;
    expect(failure(deep)).toMatchObject({ code: 'json_too_deep', line: 1, column: JSON_DEPTH_MAX + 1 });
    expect(parseJsonText(`${'['.repeat(JSON_DEPTH_MAX)}${']'.repeat(JSON_DEPTH_MAX)}`, 'x.json')).toBeInstanceOf(Array);
  });

  it('accepts and refuses exactly what JSON.parse does (shallow documents, mutated at random)', () => {
    fc.assert(
      fc.property(fc.json({ maxDepth: 6 }), fc.nat(), fc.constantFrom('', ',', '}', ']', '"', ':', '\\', '\n', '0', '-', 'e'), (json, at, inserted) => {
        const position = json.length === 0 ? 0 : at % json.length;
        const text = json.slice(0, position) + inserted + json.slice(position);
        let parsedOk = true;
        try {
          JSON.parse(text);
        } catch {
          parsedOk = false;
        }
        let ours = true;
        try {
          parseJsonText(text, 'x.json');
        } catch {
          ours = false;
        }
        expect(ours).toBe(parsedOk);
      }),
      { numRuns: 2000 },
    );
  });

  it('finds where the value at a schema path starts', () => {
    const text = '[\n  {"a": 1, "terms": {\n    "share": {"rate": "55%"},\n    "list": [1, [2, {"x": null}]]\n  }}\n]';
    // Line 3 is `    "share": {"rate": "55%"},`: the value's quote is character 23.
    expect(jsonValueLocation(text, [0, 'terms', 'share', 'rate'])).toEqual({ line: 3, column: 23 });
    // Line 4 is `    "list": [1, [2, {"x": null}]]`: null starts at character 27.
    expect(jsonValueLocation(text, [0, 'terms', 'list', 1, 1, 'x'])).toEqual({ line: 4, column: 27 });
    expect(jsonValueLocation(text, [0])).toEqual({ line: 2, column: 3 });
    expect(jsonValueLocation(text, [0, 'missing'])).toBeNull();
    expect(jsonValueLocation('{"a,b": {"c": 2}}', ['a,b', 'c'])).toEqual({ line: 1, column: 15 });
  });
});

