/**
 * JSON written in pieces, for documents too large to be one string (V8 refuses strings past
 * ~512 MiB, and a million reconciliation groups get there). Arrays and generators become JSON
 * arrays written element by element; nothing else is ever held as a whole text.
 *
 * Layout: objects and arrays down to `prettyDepth` are indented by two spaces, like
 * JSON.stringify(value, null, 2); anything deeper (one group, one id) is compact on one line, so a
 * large document stays readable with a line per element and is a fraction of the pretty size.
 * Values serialize as JSON.stringify does: undefined and functions are left out of objects.
 */
const INDENT = '  ';

/** JSON text made by the caller (one array element it has serialized itself), written as it is. */
export class RawJson {
  constructor(readonly text: string) {}
}

/** A value made only when the writer reaches it: one that sums up the elements written before it. */
export class LazyJson {
  constructor(readonly make: () => unknown) {}
}

function isGenerator(value: object): value is Iterable<unknown> {
  return typeof (value as { next?: unknown }).next === 'function' && Symbol.iterator in value;
}

function isContainer(value: unknown): value is object {
  return typeof value === 'object' && value !== null && (Array.isArray(value) || isGenerator(value) || Object.getPrototypeOf(value) === Object.prototype);
}

function* arrayChunks(items: Iterable<unknown>, depth: number, prettyDepth: number): Generator<string> {
  const inner = INDENT.repeat(depth + 1);
  let first = true;
  for (const item of items) {
    const text = item === undefined || typeof item === 'function' ? 'null' : null;
    yield first ? `[\n${inner}` : `,\n${inner}`;
    first = false;
    if (text !== null) yield text;
    else yield* valueChunks(item, depth + 1, prettyDepth);
  }
  yield first ? '[]' : `\n${INDENT.repeat(depth)}]`;
}

function* objectChunks(record: Record<string, unknown>, depth: number, prettyDepth: number): Generator<string> {
  const inner = INDENT.repeat(depth + 1);
  let first = true;
  for (const [key, item] of Object.entries(record)) {
    if (item === undefined || typeof item === 'function') continue;
    yield `${first ? '{\n' : ',\n'}${inner}${JSON.stringify(key)}: `;
    first = false;
    yield* valueChunks(item, depth + 1, prettyDepth);
  }
  yield first ? '{}' : `\n${INDENT.repeat(depth)}}`;
}

function* valueChunks(value: unknown, depth: number, prettyDepth: number): Generator<string> {
  if (value instanceof LazyJson) {
    yield* valueChunks(value.make(), depth, prettyDepth);
    return;
  }
  if (value instanceof RawJson) {
    yield value.text;
    return;
  }
  if (!isContainer(value)) {
    yield JSON.stringify(value) ?? 'null';
    return;
  }
  if (depth >= prettyDepth && !isGenerator(value)) {
    yield JSON.stringify(value);
    return;
  }
  if (Array.isArray(value) || isGenerator(value)) yield* arrayChunks(value as Iterable<unknown>, depth, prettyDepth);
  else yield* objectChunks(value as Record<string, unknown>, depth, prettyDepth);
}

/** The JSON text of `value` in chunks (a generator anywhere in it is read once, as an array). */
export function jsonChunks(value: unknown, prettyDepth = 2): Generator<string> {
  return valueChunks(value, 0, prettyDepth);
}

/** One JSON value per line (NDJSON): each item compact, a line break after each. */
export function* ndjsonChunks(items: Iterable<unknown>): Generator<string> {
  for (const item of items) yield `${item instanceof RawJson ? item.text : JSON.stringify(item)}\n`;
}
