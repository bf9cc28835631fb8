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
  /** Path below Ntry ("NtryDtls/TxDtls/Refs/EndToEndId", "Amt@Ccy") -> untrimmed text, in document order. */
  readonly leaves: ReadonlyMap<string, string>;
  /** Paths of the entry's elements that have child elements. */
  readonly branches: ReadonlySet<string>;
}

export interface ScannedCamt {
  readonly root: XmlElement;
  readonly namespace: string | null;
  /** The Ntry elements of each statement element (which hold none as children), in document order. */
  readonly entries: ReadonlyMap<XmlElement, readonly ScannedEntry[]>;
}

/** Markup the subset does not allow, anywhere in the text. */
const OUTSIDE_SUBSET = /[\r&\ufeff]|<!|]]>/;

/** Control characters other than tab and line feed: the full reader decides about them. */
function hasControlCharacter(text: string): boolean {
  for (let index = 0; index < text.length; index++) {
    const code = text.charCodeAt(index);
    if (code < 32 && code !== 9 && code !== 10) return true;
  }
  return false;
}
const DECLARATION = /^<\?xml version="1\.[0-9]"(?: encoding="[A-Za-z][A-Za-z0-9._-]*")?(?: standalone="(?:yes|no)")? ?\?>/;
const NAME = /^[A-Za-z_][A-Za-z0-9_.-]*$/;
const ATTRIBUTE = /\s+([A-Za-z_][A-Za-z0-9_.:-]*)="([^"<]*)"/y;
const NO_ATTRIBUTES: ReadonlyMap<string, string> = new Map();
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

interface Frame {
  readonly name: string;
  readonly element: (XmlElement & { children: XmlElement[]; text: string }) | null;
  /** Path below the entry when inside an Ntry, else null. */
  readonly path: string | null;
  /** Child names seen (only inside an entry, where a repeated name falls back). */
  readonly childNames: string[] | null;
  hasChildren: boolean;
  /** Whether all text so far is white space. */
  blank: boolean;
  text: string;
}

/** Entry paths built once per file ("NtryDtls/TxDtls/Refs"), not once per element of every entry. */
class PathNames {
  private readonly children = new Map<string, Map<string, string>>();

  below(parent: string, name: string): string {
    let named = this.children.get(parent);
    if (named === undefined) {
      named = new Map();
      this.children.set(parent, named);
    }
    let path = named.get(name);
    if (path === undefined) {
      path = parent === '' ? name : `${parent}/${name}`;
      named.set(name, path);
    }
    return path;
  }
}

function isBlank(text: string): boolean {
  return text.trim().length === 0;
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

/**
 * The document's frame and its entries, or null when the text is outside the subset.
 * `statementPath` names the message and statement elements for the namespace's message
 * ("BkToCstmrStmt", "Stmt" for camt.053): an Ntry is read only directly in one of those.
 */
export function scanCamt(text: string, statementPath: (namespace: string | null) => readonly [string, string] | null): ScannedCamt | null {
  if (text.length > textLengthMax || OUTSIDE_SUBSET.test(text) || hasControlCharacter(text)) return null;
  const declaration = DECLARATION.exec(text);
  let position = declaration === null ? 0 : declaration[0].length;
  if (text.includes('<?', position)) return null;
  const lines = new LineCursor(text);
  const paths = new PathNames();
  const stack: Frame[] = [];
  const entries = new Map<XmlElement, ScannedEntry[]>();
  let root: XmlElement | null = null;
  let namespace: string | null = null;
  let path: readonly [string, string] | null = null;
  let entryLeaves: Map<string, string> | null = null;
  let entryBranches: Set<string> | null = null;
  let entryList: ScannedEntry[] | null = null;
  let entryStart = 0;
  let entryLine = 0;
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
      if (top.element !== null) top.element.text += between;
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
      if (frame.element !== null && !frame.hasChildren) frame.element.text = detached(frame.element.text);
      if (frame.path !== null && entryLeaves !== null && entryBranches !== null) {
        if (!frame.hasChildren) entryLeaves.set(frame.path, detached(frame.text.trim()));
        else entryBranches.add(frame.path);
        if (frame.path === '') {
          // The Ntry itself ends; more leaves than an entry's raw record keeps is for the full reader.
          entryLeaves.delete('');
          if (entryLeaves.size > ENTRY_LEAVES_MAX || entryList === null) return null;
          entryList.push({ line: entryLine, offset: entryStart, leaves: entryLeaves, branches: entryBranches });
          entryLeaves = null;
          entryBranches = null;
        }
      }
      continue;
    }
    if (stack.length === 0 && root !== null) return null;
    let body = text.slice(open + 1, close);
    if (body.endsWith('/')) return null;
    const space = body.search(/\s/);
    const name = space === -1 ? body : body.slice(0, space);
    if (!NAME.test(name)) return null;
    body = space === -1 ? '' : body.slice(space);
    const attributes = body.length === 0 ? NO_ATTRIBUTES : attributesOf(body);
    if (attributes === null) return null;
    // The full reader counts the document as a level and warns one level early: stay well inside.
    if (stack.length + 2 > depthMax) return null;
    const parent = stack[stack.length - 1];
    if (parent !== undefined) {
      parent.hasChildren = true;
      if (parent.childNames !== null) {
        if (parent.childNames.includes(name)) return null;
        parent.childNames.push(name);
      }
      if (!parent.blank) return null;
    }
    if (parent !== undefined && parent.path !== null) {
      // Inside an entry: a leaf path, no element object.
      if (attributes.size > 0 && !(name === 'Amt' && attributes.size === 1 && attributes.has('Ccy'))) return null;
      const childPath = paths.below(parent.path, name);
      for (const [attribute, value] of attributes) entryLeaves?.set(`${childPath}@${attribute}`, value);
      stack.push({ name, element: null, path: childPath, childNames: [], hasChildren: false, blank: true, text: '' });
      continue;
    }
    if (name === 'Ntry') {
      const inStatement = path !== null && stack.length === 3 && stack[1]?.name === path[0] && stack[2]?.name === path[1];
      const statement = parent?.element ?? null;
      if (!inStatement || statement === null || attributes.size > 0) return null;
      entryList = entries.get(statement) ?? [];
      entries.set(statement, entryList);
      entryLeaves = new Map();
      entryBranches = new Set();
      entryStart = open;
      entryLine = lines.locate(open).line;
      stack.push({ name, element: null, path: '', childNames: [], hasChildren: false, blank: true, text: '' });
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
      parent.element?.children.push(element);
    }
    stack.push({ name, element, path: null, childNames: null, hasChildren: false, blank: true, text: '' });
  }
  if (stack.length > 0 || root === null) return null;
  return { root, namespace, entries };
}
