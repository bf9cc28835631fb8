import { XMLValidator } from 'fast-xml-parser';
import { assert } from '../assert.ts';
import { FileImportError, type SaidFacts } from '../ingest/errors.ts';

/**
 * Safe XML reading for bank files (camt, OFX 2.x). Bank files come from outside, so before any
 * XML reader sees a byte we refuse any DOCTYPE or ENTITY declaration (XXE, billion laughs),
 * enforce a size limit, and validate well-formedness with fast-xml-parser's validator (it gives
 * line and column). The element tree is then built here, by hand, in one pass over the validated
 * text: fast-xml-parser's own parser (ordered output with positions, then converted) made two
 * trees of a large file and spent most of its time collecting their garbage (camt.053 of 50,000
 * entries: ~10 s). The pass follows that parser's reading of the text (line endings
 * normalized, comments dropped, CDATA kept literal, processing instructions skipped), expands
 * nothing: the five predefined XML entities and numeric character references are decoded by a
 * bounded scan. The result is a small element tree with 1-based lines, so importers can point a
 * Rejection at the right line.
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
/** fast-xml-parser refused these element names (prototype pollution); so do we. */
const RESERVED_NAMES: ReadonlySet<string> = new Set(['__proto__', 'constructor', 'prototype']);
const ATTRIBUTE_PATTERN = /([^\s=]+)\s*(=\s*(?:"([^"]*)"|'([^']*)'))?/g;
const CDATA_OPEN = '<![CDATA[';
/** Elements without attributes share this one (read-only) map. */
const NO_ATTRIBUTES: ReadonlyMap<string, string> = new Map();

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

type Words = (values: Readonly<Record<string, string>>) => string;
const ENTITY_EXPECTED = '"&" must start &lt; &gt; &amp; &quot; &apos; or a character reference';

/**
 * Why text is not well-formed XML, as a code and the values its words name (all text): the
 * validator's messages read into them (xmlProblemOf), and our reader's own. The English is built
 * from the code and values alone: the renderer's rejection-reasons `xmlProblem` texts say the
 * same words, and Korean from the same values.
 */
const XML_PROBLEMS = {
  tag_mismatch: (values) => `expected </${values.expected}> for the <${values.expected}> opened at line ${values.openLine}, column ${values.openColumn}, found </${values.found}>`,
  tag_unclosed: (values) => `<${values.tag}> is never closed`,
  tags_unclosed: (values) => `${values.tags} are never closed`,
  char_unexpected: (values) => `unexpected character "${values.char}"`,
  start_tag_expected: () => 'no element: expected a start tag',
  closing_unopened: (values) => `</${values.tag}> closes an element that is not open`,
  closing_unfinished: (values) => `</${values.tag}> is not closed with ">"`,
  closing_with_attributes: (values) => `</${values.tag}> has more than its name (a closing tag has no attributes)`,
  text_after_root: () => 'text after the root element',
  roots_multiple: () => 'more than one root element',
  tag_name_invalid: (values) => `"${values.tag}" is not a valid element name`,
  space_after_lt: () => 'a space after "<"',
  attribute_quote_open: (values) => `an attribute of <${values.tag}> opens a quote that is never closed`,
  attribute_repeated: (values) => `attribute ${values.attribute} is given twice`,
  attribute_without_value: (values) => `attribute ${values.attribute} has no quoted value`,
  attribute_boolean: (values) => `attribute ${values.attribute} has no value`,
  attribute_unspaced: (values) => `no space before attribute ${values.attribute}`,
  attribute_name_invalid: (values) => `"${values.attribute}" is not a valid attribute name`,
  declaration_not_first: () => 'an XML declaration (<?xml ...?>) after the start of the file',
  /** A validator message not read here: its own words, said as its. */
  parser: (values) => `the XML parser says: ${values.words}`,
  roots_count: (values) => `expected exactly one root element, found ${values.count}`,
  bang_markup: () => 'only comments and CDATA sections may start with "<!"',
  name_reserved: (values) => `<${values.tag}>: this name is reserved (it could pollute JavaScript prototypes)`,
  text_outside_root: () => 'text outside the root element',
  closing_tag_open: () => 'a closing tag is not closed',
  pi_open: () => 'a processing instruction is not closed',
  comment_open: () => 'a comment is not closed',
  cdata_open: () => 'a CDATA section is not closed',
  start_tag_open: () => 'a start tag is not closed',
  entity_invalid_text: (values) => `text of <${values.element}>: ${ENTITY_EXPECTED}, found "${values.found}"`,
  entity_invalid_attribute: (values) => `attribute ${values.attribute}: ${ENTITY_EXPECTED}, found "${values.found}"`,
  char_reference_invalid_text: (values) => `text of <${values.element}>: character reference ${values.reference} is not an XML character`,
  char_reference_invalid_attribute: (values) => `attribute ${values.attribute}: character reference ${values.reference} is not an XML character`,
} as const satisfies Record<string, Words>;

export type XmlProblemCode = keyof typeof XML_PROBLEMS;
export const XML_PROBLEM_CODES = Object.keys(XML_PROBLEMS) as XmlProblemCode[];
export type XmlProblem = { readonly problem: XmlProblemCode } & Readonly<Record<string, string>>;

/** fast-xml-parser's validator messages (5.x) by pattern, and the values each names. */
const PARSER_MESSAGES: readonly (readonly [RegExp, (match: RegExpExecArray) => XmlProblem])[] = [
  [/^Expected closing tag '(.*)' \(opened in line (\d+), col (\d+)\) instead of closing tag '(.*)'\.$/, (m) => ({ problem: 'tag_mismatch', expected: m[1] ?? '', openLine: m[2] ?? '', openColumn: m[3] ?? '', found: m[4] ?? '' })],
  [/^Unclosed tag '(.*)'\.$/, (m) => ({ problem: 'tag_unclosed', tag: m[1] ?? '' })],
  [/^Invalid '\[(.*)\]' found\.$/, (m) => ({ problem: 'tags_unclosed', tags: unclosedTags(m[1] ?? '') })],
  [/^char '(.)' is not expected\.$/u, (m) => ({ problem: 'char_unexpected', char: m[1] ?? '' })],
  [/^Start tag expected\.$/, () => ({ problem: 'start_tag_expected' })],
  [/^Closing tag '(.*)' has not been opened\.$/, (m) => ({ problem: 'closing_unopened', tag: m[1] ?? '' })],
  [/^Closing tag '(.*)' doesn't have proper closing\.$/, (m) => ({ problem: 'closing_unfinished', tag: m[1] ?? '' })],
  [/^Closing tag '(.*)' can't have attributes or invalid starting\.$/, (m) => ({ problem: 'closing_with_attributes', tag: m[1] ?? '' })],
  [/^Extra text at the end$/, () => ({ problem: 'text_after_root' })],
  [/^Multiple possible root nodes found\.$/, () => ({ problem: 'roots_multiple' })],
  [/^Tag '(.*)' is an invalid name\.$/, (m) => ({ problem: 'tag_name_invalid', tag: m[1] ?? '' })],
  [/^Invalid space after '<'\.$/, () => ({ problem: 'space_after_lt' })],
  [/^Attributes for '(.*)' have open quote\.$/, (m) => ({ problem: 'attribute_quote_open', tag: m[1] ?? '' })],
  [/^Attribute '(.*)' is repeated\.$/, (m) => ({ problem: 'attribute_repeated', attribute: m[1] ?? '' })],
  [/^Attribute '(.*)' is without value\.$/, (m) => ({ problem: 'attribute_without_value', attribute: m[1] ?? '' })],
  [/^boolean attribute '(.*)' is not allowed\.$/, (m) => ({ problem: 'attribute_boolean', attribute: m[1] ?? '' })],
  [/^Attribute '(.*)' has no space in starting\.$/, (m) => ({ problem: 'attribute_unspaced', attribute: m[1] ?? '' })],
  [/^Attribute '(.*)' is an invalid name\.$/, (m) => ({ problem: 'attribute_name_invalid', attribute: m[1] ?? '' })],
  [/^XML declaration allowed only at the start of the document\.$/, () => ({ problem: 'declaration_not_first' })],
];

/** The validator lists the elements left open as an indented JSON array ('[    "a",    "b"]'): "<a>, <b>". */
function unclosedTags(list: string): string {
  const names = JSON.parse(`[${list}]`) as unknown;
  return Array.isArray(names) ? names.map((name) => `<${String(name)}>`).join(', ') : list;
}

/** A validator message as a code and values; one not known here keeps its words, marked as the parser's. */
export function xmlProblemOf(message: string): XmlProblem {
  for (const [pattern, read] of PARSER_MESSAGES) {
    const match = pattern.exec(message);
    if (match !== null) return read(match);
  }
  return { problem: 'parser', words: message };
}

function malformed(fileName: string, said: XmlProblem, line?: number, column?: number): FileImportError {
  const where = line === undefined ? '' : ` at line ${line}${column === undefined ? '' : `, column ${column}`}`;
  const message = XML_PROBLEMS[said.problem](said);
  const at: SaidFacts = line === undefined ? { says: 'xml_malformed' } : column === undefined ? { says: 'xml_malformed_line', line: String(line) } : { says: 'xml_malformed_at', line: String(line), column: String(column) };
  return new FileImportError(
    'xml_malformed',
    `${fileName}: not well-formed XML${where}: ${message}`,
    {
      file: fileName,
      ...(line === undefined ? {} : { line }),
      ...(column === undefined ? {} : { column }),
    },
    { ...at, ...said },
  );
}

/** Why a text could not be decoded: an "&" that starts no entity or reference, or a reference to a character XML does not allow. */
export type XmlDecodeError = { readonly error: 'entity_invalid'; readonly found: string } | { readonly error: 'char_reference_invalid'; readonly reference: string };

/** Decodes the predefined entities and character references; anything else after "&" is refused. */
export function decodeXmlText(raw: string): string | XmlDecodeError {
  if (!raw.includes('&')) return raw;
  let out = '';
  let from = 0;
  for (let at = raw.indexOf('&'); at !== -1; at = raw.indexOf('&', from)) {
    ENTITY_PATTERN.lastIndex = at;
    const match = ENTITY_PATTERN.exec(raw);
    const body = match?.[1];
    if (match === null || body === undefined) return { error: 'entity_invalid', found: raw.slice(at, at + 12) };
    let decoded = PREDEFINED_ENTITIES.get(body);
    if (decoded === undefined) {
      const codePoint = body.startsWith('#x') ? Number.parseInt(body.slice(2), 16) : Number.parseInt(body.slice(1), 10);
      const allowed = codePoint === 0x9 || codePoint === 0xa || codePoint === 0xd || (codePoint >= 0x20 && codePoint <= 0xd7ff) || (codePoint >= 0xe000 && codePoint <= 0xfffd) || (codePoint >= 0x10000 && codePoint <= 0x10ffff);
      if (!allowed) return { error: 'char_reference_invalid', reference: `&${body};` };
      decoded = String.fromCodePoint(codePoint);
    }
    out += raw.slice(from, at) + decoded;
    from = at + match[0].length;
  }
  return out + raw.slice(from);
}

/** A field of the document: an element's text or an attribute's value. */
type XmlField = { readonly element: string } | { readonly attribute: string };

function fieldWords(field: XmlField): string {
  return 'element' in field ? `text of <${field.element}>` : `attribute ${field.attribute}`;
}

interface MutableElement extends XmlElement {
  readonly children: XmlElement[];
  text: string;
}

function splitName(qualified: string): { prefix: string | null; name: string } {
  const colon = qualified.indexOf(':');
  return colon === -1 ? { prefix: null, name: qualified } : { prefix: qualified.slice(0, colon), name: qualified.slice(colon + 1) };
}

function tooDeep(fileName: string, depthMax: number): FileImportError {
  return new FileImportError('xml_too_deep', `${fileName}: elements nest deeper than ${depthMax} levels`, { file: fileName }, { says: 'xml_too_deep', depthMax: String(depthMax) });
}

/**
 * Line and column of offsets given in increasing order (elements come in document order), by one
 * forward scan: the same answers as LineIndex without its table of every line start.
 */
export class LineCursor {
  private line = 1;
  private lineStart = 0;
  private nextNewline: number;
  private last = 0;

  constructor(private readonly text: string) {
    this.nextNewline = text.indexOf('\n');
  }

  locate(offset: number): { line: number; column: number } {
    // The details are built only on failure: this runs for every tag of a big file.
    if (offset < this.last) assert(false, 'offsets come in increasing order', { offset, last: this.last });
    this.last = offset;
    while (this.nextNewline !== -1 && this.nextNewline < offset) {
      this.line++;
      this.lineStart = this.nextNewline + 1;
      this.nextNewline = this.text.indexOf('\n', this.lineStart);
    }
    return { line: this.line, column: offset - this.lineStart + 1 };
  }
}

/**
 * The text with CRLF and lone CR as LF (XML end-of-line handling), and a way back from an index
 * in it to the index in the original, which is what lines, columns and excerpts refer to.
 */
class NormalizedText {
  readonly text: string;
  /** Normalized index of each LF that replaced a CRLF, ascending. */
  private readonly folded: number[] = [];
  private foldedBefore = 0;

  constructor(original: string) {
    if (!original.includes('\r')) {
      this.text = original;
      return;
    }
    this.text = original.replace(/\r\n?/g, (newline: string, index: number) => {
      if (newline.length === 2) this.folded.push(index - this.folded.length);
      return '\n';
    });
  }

  /** Original index of a normalized one; indexes must come in increasing order. */
  originalIndex(index: number): number {
    while (this.foldedBefore < this.folded.length && (this.folded[this.foldedBefore] ?? Infinity) < index) this.foldedBefore++;
    return index + this.foldedBefore;
  }
}

/** Index just past the end of a tag that starts at `from` and ends with `close`, skipping quoted values; -1 if it never ends. */
function tagEnd(text: string, from: number, close: '>' | '?>'): number {
  for (let index = from; index < text.length; index++) {
    const code = text.charCodeAt(index);
    if (code === 34 || code === 39) {
      index = text.indexOf(text.charAt(index), index + 1);
      if (index === -1) return -1;
    } else if (text.startsWith(close, index)) {
      return index + close.length;
    }
  }
  return -1;
}

/**
 * Builds the element tree of validated text in one pass. Problems of a single field (too long,
 * a bad entity, too deep for our limit) are kept and thrown at the end, after any problem of the
 * document's structure, which is thrown at once: the order in which the earlier two-step reading
 * (parse, then convert) reported them.
 */
class TreeBuilder {
  private readonly source: NormalizedText;
  private readonly lines: LineCursor;
  private readonly document: MutableElement = { name: '#document', prefix: null, attributes: NO_ATTRIBUTES, children: [], text: '', line: 1, column: 1, offset: 0 };
  /** Open elements, the document first. */
  private readonly open: MutableElement[] = [this.document];
  /** Character data since the last tag; comments do not end it. */
  private pending = '';
  private fieldProblem: FileImportError | null = null;

  constructor(
    original: string,
    private readonly fileName: string,
    private readonly limits: XmlLimits,
  ) {
    this.source = new NormalizedText(original);
    this.lines = new LineCursor(original);
  }

  build(): XmlElement[] {
    const text = this.source.text;
    let position = 0;
    while (position < text.length) {
      const open = text.indexOf('<', position);
      if (open === -1) break;
      this.pending += text.slice(position, open);
      position = this.markup(text, open);
    }
    // Character data after the last tag belongs to no element and is dropped.
    if (this.fieldProblem !== null) throw this.fieldProblem;
    if (this.document.text.trim().length > 0) throw malformed(this.fileName, { problem: 'text_outside_root' });
    return this.document.children;
  }

  /** Reads the markup starting at `at` ("<"); returns the index after it. */
  private markup(text: string, at: number): number {
    const next = text.charAt(at + 1);
    if (next === '/') {
      const end = text.indexOf('>', at);
      if (end === -1) throw malformed(this.fileName, { problem: 'closing_tag_open' });
      this.checkName(text.slice(at + 2, end).trim());
      this.flushText();
      if (this.open.length > 1) this.open.pop();
      return end + 1;
    }
    if (next === '?') {
      const end = tagEnd(text, at + 1, '?>');
      if (end === -1) throw malformed(this.fileName, { problem: 'pi_open' });
      this.flushText();
      return end;
    }
    if (text.startsWith('<!--', at)) {
      const end = text.indexOf('-->', at + 4);
      if (end === -1) throw malformed(this.fileName, { problem: 'comment_open' });
      return end + 3;
    }
    if (text.startsWith(CDATA_OPEN, at)) {
      const end = text.indexOf(']]>', at + CDATA_OPEN.length);
      if (end === -1) throw malformed(this.fileName, { problem: 'cdata_open' });
      this.flushText();
      const parent = this.current();
      parent.text += text.slice(at + CDATA_OPEN.length, end);
      this.checkTextLength(parent, parent.text.length);
      return end + 3;
    }
    if (next === '!') {
      const { line, column } = this.lines.locate(this.source.originalIndex(at));
      throw malformed(this.fileName, { problem: 'bang_markup' }, line, column);
    }
    return this.startTag(text, at);
  }

  private startTag(text: string, at: number): number {
    const end = tagEnd(text, at + 1, '>');
    if (end === -1) throw malformed(this.fileName, { problem: 'start_tag_open' });
    let body = text.slice(at + 1, end - 1);
    const selfClosing = body.endsWith('/');
    if (selfClosing) body = body.slice(0, -1);
    const separator = body.search(/\s/);
    const qualified = separator === -1 ? body : body.slice(0, separator);
    this.checkName(qualified);
    // Character data directly in the document (before the root) is dropped, as it is after it.
    if (this.open.length > 1) this.flushText();
    else this.pending = '';
    const depth = this.open.length;
    if (!selfClosing && depth > this.limits.depthMax + 1) throw tooDeep(this.fileName, this.limits.depthMax);
    const offset = this.source.originalIndex(at);
    const { line, column } = this.lines.locate(offset);
    if (depth > this.limits.depthMax) this.problem(tooDeep(this.fileName, this.limits.depthMax));
    const attributes = separator === -1 ? NO_ATTRIBUTES : this.readAttributes(body.slice(separator + 1), line);
    const { prefix, name } = splitName(qualified);
    const element: MutableElement = { name, prefix, attributes, children: [], text: '', line, column, offset };
    this.current().children.push(element);
    if (!selfClosing) this.open.push(element);
    return end;
  }

  private readAttributes(source: string, line: number): ReadonlyMap<string, string> {
    let attributes: Map<string, string> | null = null;
    for (const match of source.matchAll(ATTRIBUTE_PATTERN)) {
      const [, name = '', , doubleQuoted, singleQuoted] = match;
      const value = doubleQuoted ?? singleQuoted;
      if (value === undefined) continue;
      attributes ??= new Map();
      attributes.set(name, this.decodeField(value, { attribute: name }, line));
    }
    return attributes ?? NO_ATTRIBUTES;
  }

  private checkName(qualified: string): void {
    if (RESERVED_NAMES.has(qualified)) throw malformed(this.fileName, { problem: 'name_reserved', tag: qualified });
  }

  private current(): MutableElement {
    const top = this.open[this.open.length - 1];
    assert(top !== undefined, 'the document stays open');
    return top;
  }

  private flushText(): void {
    if (this.pending.length === 0) return;
    const parent = this.current();
    // Indentation between child elements is kept but is not content: counted, it would refuse a
    // statement of ~14,000 pretty-printed entries as one over-long field.
    const indentation = this.pending.trim().length === 0;
    parent.text += this.decodeField(this.pending, { element: parent.name }, parent.line);
    this.pending = '';
    if (!indentation) this.checkTextLength(parent, parent.text.trim().length);
  }

  private checkTextLength(element: MutableElement, length: number): void {
    if (length > this.limits.fieldLengthMax) this.problem(this.tooLong({ element: element.name }, element.line, length));
  }

  private decodeField(raw: string, field: XmlField, line: number): string {
    if (raw.length > this.limits.fieldLengthMax) {
      this.problem(this.tooLong(field, line, raw.length));
      return '';
    }
    const decoded = decodeXmlText(raw);
    if (typeof decoded === 'string') return decoded;
    const place = 'element' in field ? 'text' : 'attribute';
    const said: XmlProblem = decoded.error === 'entity_invalid' ? { problem: `entity_invalid_${place}`, ...field, found: decoded.found } : { problem: `char_reference_invalid_${place}`, ...field, reference: decoded.reference };
    this.problem(malformed(this.fileName, said, line));
    return '';
  }

  private tooLong(field: XmlField, line: number, length: number): FileImportError {
    const said = { says: 'element' in field ? 'xml_text_too_long' : 'xml_attribute_too_long', ...field, line: String(line), length: String(length), max: String(this.limits.fieldLengthMax) };
    return new FileImportError('field_too_long', `${this.fileName}: ${fieldWords(field)} at line ${line} has ${length} characters, more than ${this.limits.fieldLengthMax}`, { file: this.fileName, line }, said);
  }

  /** Keeps the first field problem; the pass goes on only to find a structure problem, which comes first. */
  private problem(error: FileImportError): void {
    this.fieldProblem ??= error;
  }
}

function rootNamespace(root: XmlElement): string | null {
  const attribute = root.prefix === null ? 'xmlns' : `xmlns:${root.prefix}`;
  return root.attributes.get(attribute) ?? null;
}

/** The refusal of a DOCTYPE or ENTITY declaration at a line and column, as this reader and OFX's SGML reader say it. */
export function doctypeRefused(fileName: string, line: number, column: number): FileImportError {
  return new FileImportError(
    'xml_doctype_refused',
    `${fileName}: a DOCTYPE or ENTITY declaration at line ${line}, column ${column} is refused (bank files never need one; it is how XXE and entity-expansion attacks work)`,
    { file: fileName, line, column },
    { says: 'xml_doctype_refused', line: String(line), column: String(column) },
  );
}

/** Throws FileImportError: 'file_empty', 'file_too_large', 'xml_doctype_refused', 'xml_malformed', 'xml_too_deep', 'field_too_long'. */
export function readXmlDocument(text: string, fileName: string, limits: XmlLimits = XML_LIMITS_DEFAULT): XmlDocument {
  if (text.length > limits.textLengthMax) {
    const said = { says: 'xml_too_large', length: String(text.length), max: String(limits.textLengthMax) };
    throw new FileImportError('file_too_large', `${fileName}: ${text.length} characters, more than the ${limits.textLengthMax} accepted for XML`, { file: fileName }, said);
  }
  if (text.trim().length === 0) throw new FileImportError('file_empty', `${fileName}: the file is empty`, { file: fileName }, { says: 'file_empty' });
  const declaration = DECLARATION_PATTERN.exec(text);
  if (declaration !== null) {
    const { line, column } = new LineIndex(text).locate(declaration.index);
    throw doctypeRefused(fileName, line, column);
  }
  const validation = XMLValidator.validate(text);
  if (validation !== true) throw malformed(fileName, xmlProblemOf(validation.err.msg), validation.err.line, validation.err.col);
  const roots = new TreeBuilder(text, fileName, limits).build();
  const root = roots[0];
  if (root === undefined || roots.length > 1) throw malformed(fileName, { problem: 'roots_count', count: String(roots.length) }, roots[1]?.line, roots[1]?.column);
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
