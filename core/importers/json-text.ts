import { SettleDeskError } from '../errors.ts';

/**
 * JSON from a file, with the checks JSON.parse lacks: a nesting limit (JSON.parse itself copes
 * with deep nesting, but every recursive walk after it, zod and JSON.stringify included, overflows
 * the stack and the error is then an untyped crash) and the line and column of a syntax error,
 * with what was expected there (JSON.parse reports neither on every Node version).
 */
export const JSON_DEPTH_MAX = 64;

export class JsonTextError extends SettleDeskError {
  constructor(code: 'json_invalid' | 'json_too_deep', message: string, location: { file: string; line: number; column: number }, details: Record<string, unknown>) {
    super(code, message, location, details);
    this.name = 'JsonTextError';
  }
}

type Want = 'value' | 'value_or_close' | 'key' | 'key_or_close' | 'colon' | 'comma_or_close' | 'end';

/** What was expected where the text stops being JSON, as a code (said in English by EXPECTED_WORDS, by a screen in its language). */
type Expects = Want | 'closing_quote' | 'closing_quote_unescaped' | 'escape' | 'hex_digits' | 'any_value' | 'depth';

interface Problem {
  readonly index: number;
  readonly expects: Expects;
  readonly tooDeep: boolean;
  /** The bracket that would close the open array or object, where `expects` names it. */
  readonly close?: string;
}

const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
const ESCAPES = '"\\/bfnrtu';

/** The index just past the string starting at `start` (a '"'), or a problem inside it. */
function stringEnd(text: string, start: number): number | Problem {
  for (let index = start + 1; index < text.length; index++) {
    const code = text.charCodeAt(index);
    if (code === 0x22) return index + 1;
    if (code < 0x20) return { index, expects: 'closing_quote_unescaped', tooDeep: false };
    if (code !== 0x5c) continue;
    const escape = text.charAt(index + 1);
    if (!ESCAPES.includes(escape) || escape === '') return { index: index + 1, expects: 'escape', tooDeep: false };
    if (escape === 'u' && !/^[0-9a-fA-F]{4}$/.test(text.slice(index + 2, index + 6))) return { index: index + 2, expects: 'hex_digits', tooDeep: false };
    index += escape === 'u' ? 5 : 1;
  }
  return { index: text.length, expects: 'closing_quote', tooDeep: false };
}

/** The index just past the scalar (string, number, literal) at `index`, or a problem. */
function scalarEnd(text: string, index: number): number | Problem {
  if (text.charCodeAt(index) === 0x22) return stringEnd(text, index);
  for (const literal of ['true', 'false', 'null']) if (text.startsWith(literal, index)) return index + literal.length;
  NUMBER.lastIndex = index;
  return NUMBER.test(text) ? NUMBER.lastIndex : { index, expects: 'any_value', tooDeep: false };
}

/** The English of each Expects; `{close}` is the bracket that would close the open array or object, `{depthMax}` the limit. */
const EXPECTED_WORDS: Readonly<Record<Expects, string>> = {
  value: 'a value',
  value_or_close: "a value or ']'",
  key: 'a double-quoted property name',
  key_or_close: "a double-quoted property name or '}'",
  colon: "':'",
  comma_or_close: "',' or '{close}'",
  end: 'the end of the file',
  closing_quote: 'a closing \'"\'',
  closing_quote_unescaped: 'a closing \'"\' (a control character must be escaped inside a string)',
  escape: `one of ${ESCAPES} after a backslash`,
  hex_digits: 'four hex digits after \\u',
  any_value: 'a value (object, array, string, number, true, false or null)',
  depth: 'at most {depthMax} levels of nesting',
};

/** The first place the text is not JSON, or nested deeper than depthMax; null when it is fine. Iterative: no stack to overflow. */
function firstProblem(text: string, depthMax: number): Problem | null {
  const stack: string[] = [];
  let want: Want = 'value';
  let index = 0;
  let close = ']';
  const fail = (expects: Want): Problem => ({ index, expects, tooDeep: false, close });
  while (index <= text.length) {
    while (index < text.length && ' \t\n\r'.includes(text.charAt(index))) index++;
    close = stack.at(-1) === '{' ? '}' : ']';
    if (index === text.length) return want === 'end' ? null : fail(want);
    const char = text.charAt(index);
    if (want === 'end') return fail(want);
    if (want === 'colon') {
      if (char !== ':') return fail(want);
      index++;
      want = 'value';
      continue;
    }
    if (want === 'comma_or_close') {
      if (char === ',') want = close === '}' ? 'key' : 'value';
      else if (char === close) {
        stack.pop();
        want = stack.length === 0 ? 'end' : 'comma_or_close';
      } else return fail(want);
      index++;
      continue;
    }
    if ((want === 'key_or_close' && char === '}') || (want === 'value_or_close' && char === ']')) {
      stack.pop();
      want = stack.length === 0 ? 'end' : 'comma_or_close';
      index++;
      continue;
    }
    if (want === 'key' || want === 'key_or_close') {
      if (char !== '"') return fail(want);
      const end = stringEnd(text, index);
      if (typeof end !== 'number') return end;
      index = end;
      want = 'colon';
      continue;
    }
    if (char === '{' || char === '[') {
      stack.push(char);
      if (stack.length > depthMax) return { index, expects: 'depth', tooDeep: true };
      want = char === '{' ? 'key_or_close' : 'value_or_close';
      index++;
      continue;
    }
    const end = scalarEnd(text, index);
    if (typeof end !== 'number') return end;
    index = end;
    want = stack.length === 0 ? 'end' : 'comma_or_close';
  }
  return null;
}

function lineAndColumn(text: string, index: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let at = text.indexOf('\n'); at !== -1 && at < index; at = text.indexOf('\n', at + 1)) {
    line++;
    lineStart = at + 1;
  }
  return { line, column: index - lineStart + 1 };
}

/**
 * Line and column where the value at `path` starts in valid JSON text (keys and indexes, as a
 * schema reports them), or null when there is none: a schema error then points into the file.
 */
export function jsonValueLocation(text: string, path: readonly (string | number)[]): { line: number; column: number } | null {
  const current: (string | number)[] = [];
  const containers: string[] = [];
  let expectKey = false;
  const here = (index: number): { line: number; column: number } | null =>
    current.length === path.length && current.every((part, at) => part === path[at]) ? lineAndColumn(text, index) : null;
  for (let index = 0; index < text.length; ) {
    const char = text.charAt(index);
    if (char === '{' || char === '[') {
      const found = here(index);
      if (found !== null) return found;
      containers.push(char);
      current.push(char === '[' ? 0 : '');
      expectKey = char === '{';
      index++;
    } else if (char === '}' || char === ']') {
      containers.pop();
      current.pop();
      index++;
    } else if (char === ',') {
      if (containers.at(-1) === '[') current[current.length - 1] = (current.at(-1) as number) + 1;
      else expectKey = true;
      index++;
    } else if (' \t\n\r:'.includes(char)) index++;
    else {
      const end = scalarEnd(text, index);
      if (typeof end !== 'number') return null;
      if (expectKey) {
        current[current.length - 1] = JSON.parse(text.slice(index, end)) as string;
        expectKey = false;
      } else {
        const found = here(index);
        if (found !== null) return found;
      }
      index = end;
    }
  }
  return null;
}

/** Parses JSON text, or throws a JsonTextError naming the file, line and column, and what was expected there. */
export function parseJsonText(text: string, file: string, depthMax: number = JSON_DEPTH_MAX): unknown {
  const problem = firstProblem(text, depthMax);
  if (problem === null) return JSON.parse(text) as unknown;
  const { line, column } = lineAndColumn(text, problem.index);
  const char = problem.index < text.length ? JSON.stringify(text.charAt(problem.index)) : '';
  const found = char === '' ? 'the end of the file' : char;
  const at = { line: String(line), column: String(column) };
  if (problem.tooDeep) throw new JsonTextError('json_too_deep', `${file}:${line}:${column}: JSON nested deeper than ${depthMax} levels`, { file, line, column }, { depthMax, says: 'json_too_deep', ...at, depth: String(depthMax) });
  const expected = EXPECTED_WORDS[problem.expects].replace('{close}', problem.close ?? ']').replace('{depthMax}', String(depthMax));
  // What was expected and found, as codes and values (found '' is the end of the file), for a screen to say them in its language.
  const said = { says: 'json_invalid', ...at, expects: problem.expects, close: problem.close ?? '', found: char };
  throw new JsonTextError('json_invalid', `${file}:${line}:${column}: not valid JSON: expected ${expected}, found ${found}`, { file, line, column }, { expected, ...said });
}
