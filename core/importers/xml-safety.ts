import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { assert } from '../assert.ts';
import { FileImportError } from '../ingest/errors.ts';

/**
 * Safe XML reading for bank files (camt, OFX 2.x). Bank files come from outside, so before
 * fast-xml-parser sees a byte we refuse any DOCTYPE or ENTITY declaration (XXE, billion laughs),
 * enforce a size limit, validate well-formedness (the validator gives line and column), and then
 * parse with entity processing off. The five predefined XML entities and numeric character
 * references are decoded here, by a bounded scan that cannot expand anything. The result is a
 * small element tree with 1-based lines, so importers can point a Rejection at the right line.
 */
export interface XmlLimits {
  /** Characters of decoded text accepted at all. */
  readonly textLengthMax: number;
  /** Element nesting; camt nests about 14 deep, OFX about 8. */
  readonly depthMax: number;
  /** Characters of one element's text or one attribute value. */
  readonly fieldLengthMax: number;
}

export const XML_LIMITS_DEFAULT: XmlLimits = { textLengthMax: 64 * 1024 * 1024, depthMax: 64, fieldLengthMax: 100_000 };

export interface XmlElement {
  /** Local name, namespace prefix removed ("Ntry" for "camt:Ntry"). */
  readonly name: string;
  readonly prefix: string | null;
  readonly attributes: ReadonlyMap<string, string>;
  readonly children: readonly XmlElement[];
  /** Decoded character data directly inside the element (CDATA included), untrimmed. */
  readonly text: string;
  /** 1-based line and column of the start tag; `offset` is its index in the text. */
  readonly line: number;
  readonly column: number;
  readonly offset: number;
}

export interface XmlDocument {
  readonly root: XmlElement;
  /** Namespace URI bound to the root element's prefix (or the default namespace), null if none. */
  readonly namespace: string | null;
}

/** Anywhere, any case: even inside a comment or CDATA we refuse rather than reason about it. */
const DECLARATION_PATTERN = /<!\s*(doctype|entity)/i;
const ENTITY_PATTERN = /&(lt|gt|amp|quot|apos|#[0-9]{1,7}|#x[0-9a-fA-F]{1,6});/y;
const PREDEFINED_ENTITIES: ReadonlyMap<string, string> = new Map([
  ['lt', '<'],
  ['gt', '>'],
  ['amp', '&'],
  ['quot', '"'],
  ['apos', "'"],
]);
const ATTRIBUTE_PREFIX = '@_';
const ATTRIBUTES_KEY = ':@';
const TEXT_KEY = '#text';
const CDATA_KEY = '#cdata';

const PARSER_OPTIONS = {
  preserveOrder: true,
  captureMetaData: true,
  processEntities: false,
  htmlEntities: false,
  ignoreAttributes: false,
  attributeNamePrefix: ATTRIBUTE_PREFIX,
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: false,
  cdataPropName: CDATA_KEY,
  commentPropName: false,
  removeNSPrefix: false,
} as const;

/** Maps text offsets to 1-based line and column with one scan and a binary search per lookup. */
export class LineIndex {
  private readonly starts: number[] = [0];

  constructor(text: string) {
    for (let index = text.indexOf('\n'); index !== -1; index = text.indexOf('\n', index + 1)) this.starts.push(index + 1);
  }

  locate(offset: number): { line: number; column: number } {
    assert(offset >= 0, 'offsets are non-negative', { offset });
    let low = 0;
    let high = this.starts.length - 1;
    while (low < high) {
      const middle = (low + high + 1) >>> 1;
      if ((this.starts[middle] ?? 0) <= offset) low = middle;
      else high = middle - 1;
    }
    return { line: low + 1, column: offset - (this.starts[low] ?? 0) + 1 };
  }
}

function malformed(fileName: string, message: string, line?: number, column?: number): FileImportError {
  const where = line === undefined ? '' : ` at line ${line}${column === undefined ? '' : `, column ${column}`}`;
  return new FileImportError('xml_malformed', `${fileName}: not well-formed XML${where}: ${message}`, {
    file: fileName,
    ...(line === undefined ? {} : { line }),
    ...(column === undefined ? {} : { column }),
  });
}

/** Decodes the predefined entities and character references; anything else after "&" is refused. */
export function decodeXmlText(raw: string): string | { readonly error: string } {
  if (!raw.includes('&')) return raw;
  let out = '';
  let from = 0;
  for (let at = raw.indexOf('&'); at !== -1; at = raw.indexOf('&', from)) {
    ENTITY_PATTERN.lastIndex = at;
    const match = ENTITY_PATTERN.exec(raw);
    const body = match?.[1];
    if (match === null || body === undefined) return { error: `"&" must start &lt; &gt; &amp; &quot; &apos; or a character reference, found ${JSON.stringify(raw.slice(at, at + 12))}` };
    let decoded = PREDEFINED_ENTITIES.get(body);
    if (decoded === undefined) {
      const codePoint = body.startsWith('#x') ? Number.parseInt(body.slice(2), 16) : Number.parseInt(body.slice(1), 10);
      const allowed = codePoint === 0x9 || codePoint === 0xa || codePoint === 0xd || (codePoint >= 0x20 && codePoint <= 0xd7ff) || (codePoint >= 0xe000 && codePoint <= 0xfffd) || (codePoint >= 0x10000 && codePoint <= 0x10ffff);
      if (!allowed) return { error: `character reference &${body}; is not an XML character` };
      decoded = String.fromCodePoint(codePoint);
    }
    out += raw.slice(from, at) + decoded;
    from = at + match[0].length;
  }
  return out + raw.slice(from);
}

interface MutableElement extends XmlElement {
  readonly children: XmlElement[];
  text: string;
}

type RawNode = Record<string, unknown>;

function isRecord(value: unknown): value is RawNode {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function splitName(qualified: string): { prefix: string | null; name: string } {
  const colon = qualified.indexOf(':');
  return colon === -1 ? { prefix: null, name: qualified } : { prefix: qualified.slice(0, colon), name: qualified.slice(colon + 1) };
}

interface BuildContext {
  readonly fileName: string;
  readonly limits: XmlLimits;
  readonly lines: LineIndex;
  readonly metaKey: symbol | string;
}

function tooLong(context: BuildContext, what: string, line: number, length: number): FileImportError {
  return new FileImportError('field_too_long', `${context.fileName}: ${what} at line ${line} has ${length} characters, more than ${context.limits.fieldLengthMax}`, { file: context.fileName, line });
}

function decodeField(context: BuildContext, raw: string, what: string, line: number): string {
  if (raw.length > context.limits.fieldLengthMax) throw tooLong(context, what, line, raw.length);
  const decoded = decodeXmlText(raw);
  if (typeof decoded !== 'string') throw malformed(context.fileName, `${what}: ${decoded.error}`, line);
  return decoded;
}

function makeElement(context: BuildContext, node: RawNode, qualified: string): MutableElement {
  const meta: unknown = (node as Record<string | symbol, unknown>)[context.metaKey];
  const offset = isRecord(meta) && typeof meta.startIndex === 'number' ? meta.startIndex : 0;
  const { line, column } = context.lines.locate(offset);
  const attributes = new Map<string, string>();
  const rawAttributes = node[ATTRIBUTES_KEY];
  if (isRecord(rawAttributes)) {
    for (const [key, value] of Object.entries(rawAttributes)) {
      if (typeof value !== 'string' || !key.startsWith(ATTRIBUTE_PREFIX)) continue;
      attributes.set(key.slice(ATTRIBUTE_PREFIX.length), decodeField(context, value, `attribute ${key.slice(ATTRIBUTE_PREFIX.length)}`, line));
    }
  }
  const { prefix, name } = splitName(qualified);
  return { name, prefix, attributes, children: [], text: '', line, column, offset };
}

function cdataText(value: unknown): string {
  if (!Array.isArray(value)) return '';
  return value.map((part: unknown) => (isRecord(part) && typeof part[TEXT_KEY] === 'string' ? part[TEXT_KEY] : '')).join('');
}

/** Turns fast-xml-parser's ordered output into XmlElements, iteratively (no recursion on hostile depth). */
function buildTree(context: BuildContext, topNodes: unknown[]): XmlElement[] {
  const document: MutableElement = { name: '#document', prefix: null, attributes: new Map(), children: [], text: '', line: 1, column: 1, offset: 0 };
  const stack: Array<{ nodes: unknown[]; index: number; parent: MutableElement }> = [{ nodes: topNodes, index: 0, parent: document }];
  while (stack.length > 0) {
    const frame = stack[stack.length - 1];
    assert(frame !== undefined, 'stack frame exists');
    if (frame.index >= frame.nodes.length) {
      stack.pop();
      continue;
    }
    const node = frame.nodes[frame.index++];
    if (!isRecord(node)) continue;
    for (const key of Object.keys(node)) {
      if (key === ATTRIBUTES_KEY || key.startsWith('?')) continue;
      const value = node[key];
      if (key === TEXT_KEY && typeof value === 'string') {
        frame.parent.text += decodeField(context, value, `text of <${frame.parent.name}>`, frame.parent.line);
      } else if (key === CDATA_KEY) {
        frame.parent.text += cdataText(value);
      } else if (Array.isArray(value)) {
        if (stack.length > context.limits.depthMax) throw tooDeep(context.fileName, context.limits.depthMax);
        const element = makeElement(context, node, key);
        frame.parent.children.push(element);
        stack.push({ nodes: value, index: 0, parent: element });
      }
      if (frame.parent.text.length > context.limits.fieldLengthMax) throw tooLong(context, `text of <${frame.parent.name}>`, frame.parent.line, frame.parent.text.length);
    }
  }
  if (document.text.trim().length > 0) throw malformed(context.fileName, 'text outside the root element');
  return document.children;
}

function tooDeep(fileName: string, depthMax: number): FileImportError {
  return new FileImportError('xml_too_deep', `${fileName}: elements nest deeper than ${depthMax} levels`, { file: fileName });
}

function rootNamespace(root: XmlElement): string | null {
  const attribute = root.prefix === null ? 'xmlns' : `xmlns:${root.prefix}`;
  return root.attributes.get(attribute) ?? null;
}

/** Throws FileImportError: 'file_empty', 'file_too_large', 'xml_doctype_refused', 'xml_malformed', 'xml_too_deep', 'field_too_long'. */
export function readXmlDocument(text: string, fileName: string, limits: XmlLimits = XML_LIMITS_DEFAULT): XmlDocument {
  if (text.length > limits.textLengthMax) {
    throw new FileImportError('file_too_large', `${fileName}: ${text.length} characters, more than the ${limits.textLengthMax} accepted for XML`, { file: fileName });
  }
  if (text.trim().length === 0) throw new FileImportError('file_empty', `${fileName}: the file is empty`, { file: fileName });
  const declaration = DECLARATION_PATTERN.exec(text);
  if (declaration !== null) {
    const { line, column } = new LineIndex(text).locate(declaration.index);
    throw new FileImportError('xml_doctype_refused', `${fileName}: a DOCTYPE or ENTITY declaration at line ${line}, column ${column} is refused (bank files never need one; it is how XXE and entity-expansion attacks work)`, {
      file: fileName,
      line,
      column,
    });
  }
  const validation = XMLValidator.validate(text);
  if (validation !== true) throw malformed(fileName, validation.err.msg, validation.err.line, validation.err.col);
  let parsed: unknown;
  try {
    parsed = new XMLParser({ ...PARSER_OPTIONS, maxNestedTags: limits.depthMax }).parse(text);
  } catch (error) {
    // fast-xml-parser throws plain Errors (nesting limit, reserved names such as "__proto__").
    const message = error instanceof Error ? error.message : String(error);
    if (/nested/i.test(message)) throw tooDeep(fileName, limits.depthMax);
    throw malformed(fileName, message);
  }
  assert(Array.isArray(parsed), 'preserveOrder output is an array');
  const context: BuildContext = { fileName, limits, lines: new LineIndex(text), metaKey: XMLParser.getMetaDataSymbol() as symbol | string };
  const roots = buildTree(context, parsed);
  const root = roots[0];
  if (root === undefined || roots.length > 1) throw malformed(fileName, `expected exactly one root element, found ${roots.length}`, roots[1]?.line, roots[1]?.column);
  return { root, namespace: rootNamespace(root) };
}

/** The first child with this local name, or null. */
export function childElement(element: XmlElement, name: string): XmlElement | null {
  return element.children.find((child) => child.name === name) ?? null;
}

export function childElements(element: XmlElement, name: string): XmlElement[] {
  return element.children.filter((child) => child.name === name);
}

/** Follows a path of local names ("BookgDt/Dt"), taking the first match at each step. */
export function elementAt(element: XmlElement, path: string): XmlElement | null {
  let current: XmlElement | null = element;
  for (const step of path.split('/')) {
    if (current === null) return null;
    current = childElement(current, step);
  }
  return current;
}

/** Trimmed text of the element at `path`; null when it is absent or empty. */
export function textAt(element: XmlElement, path: string): string | null {
  const found = elementAt(element, path);
  if (found === null) return null;
  const text = found.text.trim();
  return text.length === 0 ? null : text;
}

/**
 * The element's leaf texts as a flat record, path -> text ("NtryDtls/TxDtls[2]/Refs/EndToEndId",
 * "Amt@Ccy"). A name repeated among siblings gets a 1-based [n]. At most `leavesMax` leaves, so a
 * batch entry with thousands of details cannot blow up one record; `truncatedLeaves` counts the rest.
 */
export function flattenLeaves(element: XmlElement, leavesMax: number): { readonly leaves: Record<string, string>; readonly truncatedLeaves: number } {
  assert(leavesMax > 0, 'leavesMax is positive', { leavesMax });
  const leaves = new Map<string, string>();
  let truncatedLeaves = 0;
  const add = (path: string, value: string): void => {
    if (leaves.size < leavesMax) leaves.set(path, value);
    else truncatedLeaves++;
  };
  const stack: Array<{ element: XmlElement; path: string }> = [{ element, path: '' }];
  while (stack.length > 0) {
    const item = stack.pop();
    assert(item !== undefined, 'stack item exists');
    for (const [name, value] of item.element.attributes) {
      if (name !== 'xmlns' && !name.startsWith('xmlns:')) add(`${item.path}@${name}`, value);
    }
    if (item.element.children.length === 0) {
      if (item.path.length > 0) add(item.path, item.element.text.trim());
      continue;
    }
    const counts = new Map<string, number>();
    for (const child of item.element.children) counts.set(child.name, (counts.get(child.name) ?? 0) + 1);
    const seen = new Map<string, number>();
    const next: Array<{ element: XmlElement; path: string }> = [];
    for (const child of item.element.children) {
      const occurrence = (seen.get(child.name) ?? 0) + 1;
      seen.set(child.name, occurrence);
      const step = (counts.get(child.name) ?? 0) > 1 ? `${child.name}[${occurrence}]` : child.name;
      next.push({ element: child, path: item.path.length === 0 ? step : `${item.path}/${step}` });
    }
    // Reversed so that the stack pops children in document order.
    for (let index = next.length - 1; index >= 0; index--) stack.push(next[index] as { element: XmlElement; path: string });
  }
  return { leaves: Object.fromEntries(leaves), truncatedLeaves };
}

/** A short one-line excerpt of the source at an element, for Rejection.raw. */
export function excerptAt(text: string, offset: number, lengthMax = 200): string {
  const slice = text.slice(offset, offset + lengthMax * 2).replace(/\s+/g, ' ').trim();
  return slice.length > lengthMax ? `${slice.slice(0, lengthMax)}…` : slice;
}
