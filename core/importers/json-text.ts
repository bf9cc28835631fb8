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

interface Problem {
  readonly index: number;
  readonly expected: string;
  readonly tooDeep: boolean;
}

const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
const ESCAPES = '"\\/bfnrtu';

/** The index just past the string starting at `start` (a '"'), or a problem inside it. */
function stringEnd(text: string, start: number): number | Problem {
  for (let index = start + 1; index < text.length; index++) {
    const code = text.charCodeAt(index);
    if (code === 0x22) return index + 1;
    if (code < 0x20) return { index, expected: 'a closing \'"\' (a control character must be escaped inside a string)', tooDeep: false };
    if (code !== 0x5c) continue;
    const escape = text.charAt(index + 1);
    if (!ESCAPES.includes(escape) || escape === '') return { index: index + 1, expected: `one of ${ESCAPES} after a backslash`, tooDeep: false };
    if (escape === 'u' && !/^[0-9a-fA-F]{4}$/.test(text.slice(index + 2, index + 6))) return { index: index + 2, expected: 'four hex digits after \\u', tooDeep: false };
    index += escape === 'u' ? 5 : 1;
  }
  return { index: text.length, expected: 'a closing \'"\'', tooDeep: false };
}

/** The index just past the scalar (string, number, literal) at `index`, or a problem. */
function scalarEnd(text: string, index: number): number | Problem {
  if (text.charCodeAt(index) === 0x22) return stringEnd(text, index);
  for (const literal of ['true', 'false', 'null']) if (text.startsWith(literal, index)) return index + literal.length;
  NUMBER.lastIndex = index;
  return NUMBER.test(text) ? NUMBER.lastIndex : { index, expected: 'a value (object, array, string, number, true, false or null)', tooDeep: false };
}

function expectedFor(want: Want, close: string): string {
  switch (want) {
    case 'value':
      return 'a value';
    case 'value_or_close':
      return "a value or ']'";
    case 'key':
      return 'a double-quoted property name';
    case 'key_or_close':
      return "a double-quoted property name or '}'";
    case 'colon':
      return "':'";
    case 'comma_or_close':
      return `',' or '${close}'`;
    case 'end':
      return 'the end of the file';
  }
}

/** The first place the text is not JSON, or nested deeper than depthMax; null when it is fine. Iterative: no stack to overflow. */
function firstProblem(text: string, depthMax: number): Problem | null {
  const stack: string[] = [];
  let want: Want = 'value';
  let index = 0;
  const fail = (expected: string): Problem => ({ index, expected, tooDeep: false });
  while (index <= text.length) {
    while (index < text.length && ' \t\n\r'.includes(text.charAt(index))) index++;
    const close = stack.at(-1) === '{' ? '}' : ']';
    if (index === text.length) return want === 'end' ? null : fail(expectedFor(want, close));
    const char = text.charAt(index);
    if (want === 'end') return fail(expectedFor(want, close));
    if (want === 'colon') {
      if (char !== ':') return fail(expectedFor(want, close));
      index++;
      want = 'value';
      continue;
    }
    if (want === 'comma_or_close') {
      if (char === ',') want = close === '}' ? 'key' : 'value';
      else if (char === close) {
        stack.pop();
        want = stack.length === 0 ? 'end' : 'comma_or_close';
      } else return fail(expectedFor(want, close));
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
      if (char !== '"') return fail(expectedFor(want, close));
      const end = stringEnd(text, index);
      if (typeof end !== 'number') return end;
      index = end;
      want = 'colon';
      continue;
    }
    if (char === '{' || char === '[') {
      stack.push(char);
      if (stack.length > depthMax) return { index, expected: `at most ${depthMax} levels of nesting`, tooDeep: true };
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
  const found = problem.index < text.length ? JSON.stringify(text.charAt(problem.index)) : 'the end of the file';
  if (problem.tooDeep) throw new JsonTextError('json_too_deep', `${file}:${line}:${column}: JSON nested deeper than ${depthMax} levels`, { file, line, column }, { depthMax });
  throw new JsonTextError('json_invalid', `${file}:${line}:${column}: not valid JSON: expected ${problem.expected}, found ${found}`, { file, line, column }, { expected: problem.expected });
}
