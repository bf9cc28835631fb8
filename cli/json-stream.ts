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

/**
 * Several array elements' JSON texts (one or more), written as one chunk: `head + piece + tail`
 * each, joined by the separator of the array they are written in (one native join for many
 * elements). An array element only, like RawJson.
 */
export class RawJsonElements {
  constructor(
    readonly head: string,
    readonly pieces: readonly string[],
    readonly tail: string,
  ) {}

  /** The elements' texts with `separator` between them (none before the first or after the last). */
  joined(separator: string): string {
    return this.head + this.pieces.join(this.tail + separator + this.head) + this.tail;
  }
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

/**
 * An array element's text with its separator as one chunk when the element is one text (a
 * RawJson, a leaf, a container written compact), else null. A million groups pass up through the
 * generators a chunk at a time: one chunk an element, and no generator made for one.
 */
function elementText(item: unknown, depth: number, prettyDepth: number, separator: string, later: string): string | null {
  if (item instanceof RawJson) return separator + item.text;
  if (item instanceof RawJsonElements) return separator + item.joined(later);
  if (item === undefined || typeof item === 'function') return `${separator}null`;
  if (item instanceof LazyJson) return null;
  if (!isContainer(item)) return separator + (JSON.stringify(item) ?? 'null');
  if (depth >= prettyDepth && !isGenerator(item)) return separator + JSON.stringify(item);
  return null;
}

function* arrayChunks(items: Iterable<unknown>, depth: number, prettyDepth: number): Generator<string> {
  const inner = INDENT.repeat(depth + 1);
  const later = `,\n${inner}`;
  let separator = `[\n${inner}`;
  let first = true;
  for (const item of items) {
    const text = elementText(item, depth + 1, prettyDepth, separator, later);
    if (text !== null) yield text;
    else {
      yield separator;
      yield* valueChunks(item, depth + 1, prettyDepth);
    }
    separator = later;
    first = false;
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

/**
 * The chunks of one value: a container's own generator (not one wrapping it, so each chunk of a
 * long array passes up through fewer generators), or the value's one text. Called where the writer
 * reaches the value, so a LazyJson is made then.
 */
function valueChunks(value: unknown, depth: number, prettyDepth: number): Iterable<string> {
  if (value instanceof LazyJson) return valueChunks(value.make(), depth, prettyDepth);
  if (value instanceof RawJson) return [value.text];
  if (!isContainer(value)) return [JSON.stringify(value) ?? 'null'];
  if (depth >= prettyDepth && !isGenerator(value)) return [JSON.stringify(value)];
  if (Array.isArray(value) || isGenerator(value)) return arrayChunks(value as Iterable<unknown>, depth, prettyDepth);
  return objectChunks(value as Record<string, unknown>, depth, prettyDepth);
}

/** The JSON text of `value` in chunks (a generator anywhere in it is read once, as an array). */
export function* jsonChunks(value: unknown, prettyDepth = 2): Generator<string> {
  yield* valueChunks(value, 0, prettyDepth);
}

/** One JSON value per line (NDJSON): each item compact, a line break after each. */
export function* ndjsonChunks(items: Iterable<unknown>): Generator<string> {
  for (const item of items) yield `${item instanceof RawJson ? item.text : item instanceof RawJsonElements ? item.joined('\n') : JSON.stringify(item)}\n`;
}
