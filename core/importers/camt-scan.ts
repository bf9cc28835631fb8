import { LineCursor, XML_LIMITS_DEFAULT, type XmlElement } from './xml-safety.ts';

/**
 * A fast scanner for the camt files banks write most (issue 18: 100,000 entries were ~10 s
 * through the validated element tree): one pass over the text with indexOf, no validator and no
 * element objects for the entries. It reads only a plain subset of XML and returns null for
 * anything else, so the caller reads that file through xml-safety.ts's full reader, which
 * refuses what must be refused (DOCTYPE and ENTITY declarations, entities, malformed markup)
 * with its own errors. The subset: no CR, no "&" (so no entity or character reference), no
 * "<!" (no comment, CDATA or declaration), no processing instruction but a leading XML
 * declaration, no namespace prefix, no self-closing tag, closing tags that match, no text
 * outside the root, the full reader's size, depth and field limits.
 *
 * The frame of the document (the message and statement elements, balances, group header) is
 * built as the full reader builds it (XmlElement with lines, columns and offsets), small as it
 * is. Each Ntry directly in a statement is kept as its leaf texts instead (ScannedEntry), in
 * document order with the same paths as flattenLeaves; an entry with a name repeated among
 * siblings, an attribute other than Amt@Ccy, or text beside child elements makes the whole file
 * fall back. An Ntry anywhere else falls back too.
 */
export interface ScannedEntry {
  readonly line: number;
  readonly offset: number;
  /** The entry's leaves: positions [leavesStart, leavesEnd) of ScannedCamt.leafPaths and leafTexts, in document order. */
  readonly leavesStart: number;
  readonly leavesEnd: number;
  /** The entry's elements that have child elements: positions [branchesStart, branchesEnd) of ScannedCamt.branchPaths. */
  readonly branchesStart: number;
  readonly branchesEnd: number;
}

export interface ScannedCamt {
  readonly root: XmlElement;
  readonly namespace: string | null;
  /** The Ntry elements of each statement element (which hold none as children), in document order. */
  readonly entries: ReadonlyMap<XmlElement, readonly ScannedEntry[]>;
  /** Paths below Ntry by number ("NtryDtls/TxDtls/Refs/EndToEndId", "Amt@Ccy"), each made once per file. */
  readonly paths: readonly string[];
  /** Every entry's leaves as path numbers and texts (trimmed as textAt trims; an attribute as written), entry after entry. */
  readonly leafPaths: readonly number[];
  readonly leafTexts: readonly string[];
  /** Every entry's elements with child elements as path numbers, entry after entry. */
  readonly branchPaths: readonly number[];
}

/**
 * Anything the subset does not allow after the XML declaration (which holds none of it): CR, "&",
 * a BOM, control characters other than tab and line feed (the full reader decides about them),
 * "<!", "<?" and "]]>". Written as the allowed characters negated, one pass of the regular
 * expression engine from lastIndex: a character loop for the control characters and a search for
 * "<?" beside a shorter expression took twice as long.
 */
const OUTSIDE_SUBSET = /[^\t\n\x20-\x25\x27-\ufefe\uff00-\uffff]|<[!?]|]]>/g;
const DECLARATION = /^<\?xml version="1\.[0-9]"(?: encoding="[A-Za-z][A-Za-z0-9._-]*")?(?: standalone="(?:yes|no)")? ?\?>/;
const NAME = /^[A-Za-z_][A-Za-z0-9_.-]*$/;
const ATTRIBUTE = /\s+([A-Za-z_][A-Za-z0-9_.:-]*)="([^"<]*)"/y;
const NO_ATTRIBUTES: ReadonlyMap<string, string> = new Map();
const NTRY_TAG = { name: 'Ntry', attributes: NO_ATTRIBUTES } as const;
const { textLengthMax, depthMax, fieldLengthMax } = XML_LIMITS_DEFAULT;
/** V8 keeps a substring this long or longer as a view into the string it was cut from, shorter ones as copies. */
const SLICE_LENGTH_MIN = 13;

/**
 * A text that does not hold the file's text alive: a long text cut from the file is a view into
 * it, so a description or an account kept by a transaction (reconcile keeps them all) kept the
 * whole file, 3.6 MB per 10,000 entries. Joining forces a flat copy, which the slice then cuts from.
 */
function detached(text: string): string {
  return text.length < SLICE_LENGTH_MIN ? text : ` ${text}`.slice(1);
}

/** Leaves kept in one entry's raw record (a batch entry may carry thousands of details); a scanned entry with more falls back. */
export const ENTRY_LEAVES_MAX = 500;

/** An element of the document's frame (outside the entries) while it is open. */
interface Frame {
  readonly name: string;
  readonly element: XmlElement & { children: XmlElement[]; text: string };
  hasChildren: boolean;
  /** Whether all text so far is white space. */
  blank: boolean;
  text: string;
}

function isBlank(text: string): boolean {
  return text.trim().length === 0;
}

/** White space that String.prototype.trim removes, among the ASCII characters. */
function isAsciiBlank(code: number): boolean {
  return code === 32 || (code >= 9 && code <= 13);
}

/** isBlank(text.slice(start, end)) without the slice for ASCII text: this runs for every leaf of every entry. */
function isBlankBetween(text: string, start: number, end: number): boolean {
  for (let index = start; index < end; index++) {
    const code = text.charCodeAt(index);
    if (isAsciiBlank(code)) continue;
    return code >= 128 && isBlank(text.slice(start, end));
  }
  return true;
}

/** A character of NAME's first place, and of the rest. */
function isNameStart(code: number): boolean {
  return (code >= 97 && code <= 122) || (code >= 65 && code <= 90) || code === 95;
}
function isNameCharacter(code: number): boolean {
  return isNameStart(code) || (code >= 48 && code <= 57) || code === 46 || code === 45;
}

/** Attributes of a tag body after its name, or null when they are not plain name="value" pairs. */
function attributesOf(source: string): Map<string, string> | null {
  const attributes = new Map<string, string>();
  ATTRIBUTE.lastIndex = 0;
  while (ATTRIBUTE.lastIndex < source.length) {
    const at = ATTRIBUTE.lastIndex;
    const match = ATTRIBUTE.exec(source);
    if (match === null) return isBlank(source.slice(at)) ? attributes : null;
    const [, name = '', value = ''] = match;
    if (attributes.has(name) || value.length > fieldLengthMax) return null;
    attributes.set(name, value);
  }
  return attributes;
}

/** The name and attributes of the opening tag text[open, close], or null when it is not in the subset (self-closing, prefixed, odd attributes). */
function tagAt(text: string, open: number, close: number): { readonly name: string; readonly attributes: ReadonlyMap<string, string> } | null {
  let body = text.slice(open + 1, close);
  if (body.endsWith('/')) return null;
  const space = body.search(/\s/);
  const name = space === -1 ? body : body.slice(0, space);
  if (!NAME.test(name)) return null;
  body = space === -1 ? '' : body.slice(space);
  const attributes = body.length === 0 ? NO_ATTRIBUTES : attributesOf(body);
  return attributes === null ? null : { name, attributes };
}

/** A path below Ntry ("NtryDtls/TxDtls/Refs"), made once per file, not once per element of every entry. */
class EntryPath {
  readonly children: EntryPath[] = [];
  /** The path of this element's Ccy attribute ("Amt@Ccy"), once one was seen. */
  currency: EntryPath | null = null;
  /** The frame (its serial number) this path was last opened in: opened again in the same one, the name is repeated among siblings. */
  openedIn = -1;
  /** The text of this path's last leaf. */
  lastText = '';

  constructor(
    readonly name: string,
    readonly path: string,
    readonly id: number,
  ) {}
}

class EntryPaths {
  readonly texts: string[] = [];
  readonly root = this.made('Ntry', '');

  /** The child of `parent` named text[start, start + length), found without cutting the name out. */
  childAt(parent: EntryPath, text: string, start: number, length: number): EntryPath {
    for (const child of parent.children) if (child.name.length === length && text.startsWith(child.name, start)) return child;
    return this.added(parent, text.slice(start, start + length));
  }

  child(parent: EntryPath, name: string): EntryPath {
    for (const child of parent.children) if (child.name === name) return child;
    return this.added(parent, name);
  }

  currencyOf(element: EntryPath): EntryPath {
    element.currency ??= this.made('Ccy', `${element.path}@Ccy`);
    return element.currency;
  }

  private added(parent: EntryPath, name: string): EntryPath {
    const child = this.made(name, parent.path === '' ? name : `${parent.path}/${name}`);
    parent.children.push(child);
    return child;
  }

  private made(name: string, path: string): EntryPath {
    const made = new EntryPath(name, path, this.texts.length);
    this.texts.push(path);
    return made;
  }
}

/**
 * Reads the entries of one file into shared lists (no Map, Set or frame object per entry): the
 * path number and text of each leaf, the path number of each element with children. Per level
 * below the Ntry (0 is the Ntry itself) the open element's path, frame number, whether it has
 * children, whether its text is blank, and where its text lies (a leaf has one run of text).
 */
class EntryScanner {
  readonly paths = new EntryPaths();
  readonly leafPaths: number[] = [];
  readonly leafTexts: string[] = [];
  readonly branchPaths: number[] = [];
  /** The position after the last entry read. */
  end = 0;
  private frames = 0;
  private readonly opened: EntryPath[] = [];
  private readonly frame: number[] = [];
  private readonly withChildren: boolean[] = [];
  private readonly blank: boolean[] = [];
  private readonly textStart: number[] = [];
  private readonly textEnd: number[] = [];

  constructor(private readonly text: string) {}

  /**
   * The Ntry whose opening tag is text[open, close], `levels` elements deep, with the scanner's
   * rules for the frame (text beside child elements, repeated names, limits), or null.
   */
  scan(open: number, close: number, line: number, levels: number): ScannedEntry | null {
    const text = this.text;
    const leavesStart = this.leafPaths.length;
    const branchesStart = this.branchPaths.length;
    let depth = 0;
    this.enter(0, this.paths.root);
    let position = close + 1;
    for (;;) {
      const tagOpen = text.indexOf('<', position);
      if (tagOpen === -1) return null;
      if (tagOpen > position) {
        if (tagOpen - position > fieldLengthMax) return null;
        if (!(this.blank[depth] as boolean) || !isBlankBetween(text, position, tagOpen)) {
          // Text beside child elements falls back: only text that may be a leaf's is kept.
          if (this.withChildren[depth] as boolean) return null;
          this.blank[depth] = false;
        }
        this.textStart[depth] = position;
        this.textEnd[depth] = tagOpen;
      }
      if (text.charCodeAt(tagOpen + 1) === 47) {
        // </name>: no '>' can come before the one right after the name.
        const element = this.opened[depth] as EntryPath;
        const tagClose = tagOpen + 2 + element.name.length;
        if (text.charCodeAt(tagClose) !== 62 || !text.startsWith(element.name, tagOpen + 2)) return null;
        position = tagClose + 1;
        if (depth === 0) break;
        if (this.withChildren[depth] as boolean) {
          this.branchPaths.push(element.id);
        } else {
          this.leafPaths.push(element.id);
          this.leafTexts.push(this.leafText(depth, element));
        }
        depth--;
        continue;
      }
      const parent = this.opened[depth] as EntryPath;
      let element: EntryPath;
      let currency: string | null = null;
      let nameEnd = tagOpen + 1;
      while (isNameCharacter(text.charCodeAt(nameEnd))) nameEnd++;
      if (text.charCodeAt(nameEnd) === 62 && isNameStart(text.charCodeAt(tagOpen + 1))) {
        // <name>: its '>' is the first after the '<'.
        position = nameEnd + 1;
        element = this.paths.childAt(parent, text, tagOpen + 1, nameEnd - tagOpen - 1);
      } else {
        const tagClose = text.indexOf('>', tagOpen);
        if (tagClose === -1) return null;
        position = tagClose + 1;
        currency = this.plainCurrency(tagOpen, nameEnd, tagClose);
        const tag = currency === null ? tagAt(text, tagOpen, tagClose) : { name: 'Amt', attributes: NO_ATTRIBUTES };
        if (tag === null) return null;
        const { name, attributes } = tag;
        // Only an amount's currency is an attribute an entry may have.
        if (attributes.size > 0 && !(name === 'Amt' && attributes.size === 1 && attributes.has('Ccy'))) return null;
        currency ??= attributes.get('Ccy') ?? null;
        element = this.paths.child(parent, name);
      }
      // The full reader counts the document as a level and warns one level early: stay well inside.
      if (levels + depth + 3 > depthMax) return null;
      this.withChildren[depth] = true;
      if (element.openedIn === this.frame[depth] || !(this.blank[depth] as boolean)) return null;
      element.openedIn = this.frame[depth] as number;
      if (currency !== null) {
        this.leafPaths.push(this.paths.currencyOf(element).id);
        this.leafTexts.push(currency);
      }
      depth++;
      this.enter(depth, element);
    }
    // More leaves than an entry's raw record keeps is for the full reader.
    if (this.leafPaths.length - leavesStart > ENTRY_LEAVES_MAX) return null;
    this.end = position;
    return { line, offset: open, leavesStart, leavesEnd: this.leafPaths.length, branchesStart, branchesEnd: this.branchPaths.length };
  }

  /** The Ccy of `<Amt Ccy="...">` written just so (the tag text[open, close], its name ending at nameEnd); null for any other tag. */
  private plainCurrency(open: number, nameEnd: number, close: number): string | null {
    const text = this.text;
    const valueStart = nameEnd + 6;
    if (nameEnd !== open + 4 || !text.startsWith('Amt', open + 1) || !text.startsWith(' Ccy="', nameEnd) || text.charCodeAt(close - 1) !== 34 || close - 1 < valueStart) return null;
    const value = text.slice(valueStart, close - 1);
    return value.length <= fieldLengthMax && !value.includes('"') && !value.includes('<') ? value : null;
  }

  private enter(depth: number, element: EntryPath): void {
    this.opened[depth] = element;
    this.frame[depth] = ++this.frames;
    this.withChildren[depth] = false;
    this.blank[depth] = true;
    this.textStart[depth] = -1;
  }

  /**
   * The leaf's text trimmed as textAt trims, off the file's text; the very string the path's last
   * leaf had when the text is the same (a counterparty, a status, a date repeat from entry to entry).
   */
  private leafText(depth: number, element: EntryPath): string {
    const text = this.text;
    const from = this.textStart[depth] as number;
    if (from === -1) return '';
    const to = this.textEnd[depth] as number;
    let start = from;
    let end = to;
    while (start < end && isAsciiBlank(text.charCodeAt(start))) start++;
    while (end > start && isAsciiBlank(text.charCodeAt(end - 1))) end--;
    // Other white space than ASCII's is for trim to find.
    if (start < end && (text.charCodeAt(start) >= 128 || text.charCodeAt(end - 1) >= 128)) return detached(text.slice(from, to).trim());
    const last = element.lastText;
    if (last.length === end - start && text.startsWith(last, start)) return last;
    element.lastText = detached(text.slice(start, end));
    return element.lastText;
  }
}

/**
 * The document's frame and its entries, or null when the text is outside the subset.
 * `statementPath` names the message and statement elements for the namespace's message
 * ("BkToCstmrStmt", "Stmt" for camt.053): an Ntry is read only directly in one of those.
 */
export function scanCamt(text: string, statementPath: (namespace: string | null) => readonly [string, string] | null): ScannedCamt | null {
  if (text.length > textLengthMax) return null;
  const declaration = DECLARATION.exec(text);
  let position = declaration === null ? 0 : declaration[0].length;
  OUTSIDE_SUBSET.lastIndex = position;
  if (OUTSIDE_SUBSET.test(text)) return null;
  const lines = new LineCursor(text);
  const scanner = new EntryScanner(text);
  const stack: Frame[] = [];
  const entries = new Map<XmlElement, ScannedEntry[]>();
  let root: XmlElement | null = null;
  let namespace: string | null = null;
  let path: readonly [string, string] | null = null;
  while (position < text.length) {
    const open = text.indexOf('<', position);
    const between = open === -1 ? text.slice(position) : text.slice(position, open);
    const top = stack[stack.length - 1];
    if (top === undefined) {
      if (!isBlank(between)) return null;
    } else if (between.length > 0) {
      if (between.length > fieldLengthMax) return null;
      if (!top.blank || !isBlank(between)) {
        // Text beside child elements falls back (below): only text that may be a leaf's is kept.
        if (top.hasChildren) return null;
        top.blank = false;
      }
      top.text += between;
      if (top.text.length > fieldLengthMax && !top.blank) return null;
      top.element.text += between;
    }
    if (open === -1) break;
    const close = text.indexOf('>', open);
    if (close === -1) return null;
    position = close + 1;
    if (text.charCodeAt(open + 1) === 47) {
      // </name>
      const frame = stack.pop();
      if (frame === undefined || close !== open + 2 + frame.name.length || !text.startsWith(frame.name, open + 2)) return null;
      // The statement's own fields (its account's IBAN) are kept by every transaction of the file too.
      if (!frame.hasChildren) frame.element.text = detached(frame.element.text);
      continue;
    }
    if (stack.length === 0 && root !== null) return null;
    // The tag between entries is read without tagAt.
    const tag = close === open + 5 && text.startsWith('Ntry', open + 1) ? NTRY_TAG : tagAt(text, open, close);
    if (tag === null) return null;
    const { name, attributes } = tag;
    // The full reader counts the document as a level and warns one level early: stay well inside.
    if (stack.length + 2 > depthMax) return null;
    const parent = stack[stack.length - 1];
    if (parent !== undefined) {
      parent.hasChildren = true;
      if (!parent.blank) return null;
    }
    if (name === 'Ntry') {
      const inStatement = path !== null && stack.length === 3 && stack[1]?.name === path[0] && stack[2]?.name === path[1];
      const statement = parent?.element ?? null;
      if (!inStatement || statement === null || attributes.size > 0) return null;
      const entry = scanner.scan(open, close, lines.locate(open).line, stack.length);
      if (entry === null) return null;
      const list = entries.get(statement);
      if (list === undefined) entries.set(statement, [entry]);
      else list.push(entry);
      position = scanner.end;
      continue;
    }
    const { line, column } = lines.locate(open);
    const element = { name, prefix: null, attributes, children: [] as XmlElement[], text: '', line, column, offset: open };
    if (parent === undefined) {
      root = element;
      namespace = attributes.get('xmlns') ?? null;
      path = statementPath(namespace);
      if (path === null) return null;
    } else {
      parent.element.children.push(element);
    }
    stack.push({ name, element, hasChildren: false, blank: true, text: '' });
  }
  if (stack.length > 0 || root === null) return null;
  return { root, namespace, entries, paths: scanner.paths.texts, leafPaths: scanner.leafPaths, leafTexts: scanner.leafTexts, branchPaths: scanner.branchPaths };
}
