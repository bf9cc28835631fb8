import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { SettleDeskError } from '../errors.ts';
import { REAL_WORLD_DIR, readRealWorldText } from './real-world-manifest.test-support.ts';
import { childElement, decodeXmlText, excerptAt, flattenLeaves, LineIndex, readXmlDocument, textAt, XML_LIMITS_DEFAULT, type XmlElement } from './xml-safety.ts';

const fixture = (name: string): string => readFileSync(new URL(`./fixtures/camt/${name}`, import.meta.url), 'utf8');

function codeOf(run: () => unknown): { code: string; location: SettleDeskError['location'] } {
  try {
    run();
  } catch (error) {
    if (error instanceof SettleDeskError) return { code: error.code, location: error.location };
    throw error;
  }
  throw new Error('expected a SettleDeskError');
}

describe('readXmlDocument refuses dangerous or broken input with typed errors', () => {
  it('refuses an XXE payload before parsing, pointing at the DOCTYPE', () => {
    expect(codeOf(() => readXmlDocument(fixture('camt053-xxe.xml'), 'xxe.xml'))).toEqual({ code: 'xml_doctype_refused', location: { file: 'xxe.xml', line: 2, column: 1 } });
  });

  it('refuses billion laughs (lower-case declarations) at once', () => {
    const started = performance.now();
    expect(codeOf(() => readXmlDocument(fixture('camt053-billion-laughs.xml'), 'lol.xml')).code).toBe('xml_doctype_refused');
    expect(performance.now() - started).toBeLessThan(1000);
  });

  it.each([
    ['<a><!ENTITY x "y"></a>', 'an ENTITY declaration in content'],
    ['<a><![CDATA[<!DoCtYpE x>]]></a>', 'a DOCTYPE inside CDATA'],
    ['<a><!-- <!doctype --></a>', 'a DOCTYPE inside a comment'],
  ])('refuses %j (%s)', (text) => {
    expect(codeOf(() => readXmlDocument(text, 'x.xml')).code).toBe('xml_doctype_refused');
  });

  it('reports a truncated document as xml_malformed with a line', () => {
    const failure = codeOf(() => readXmlDocument(fixture('camt053-truncated.xml'), 'cut.xml'));
    expect(failure.code).toBe('xml_malformed');
    expect(failure.location.file).toBe('cut.xml');
    expect(typeof failure.location.line).toBe('number');
  });

  it('reports a mismatched closing tag at its line and column', () => {
    expect(codeOf(() => readXmlDocument('<a>\n  <b></a>', 'x.xml'))).toEqual({ code: 'xml_malformed', location: { file: 'x.xml', line: 2, column: 6 } });
  });

  it.each([
    ['hello, this is not XML', 'xml_malformed'],
    ['{"json": true}', 'xml_malformed'],
    ['<a>x</a><b/>', 'xml_malformed'],
    ['<a>AT&T</a>', 'xml_malformed'],
    ['<a>&nbsp;</a>', 'xml_malformed'],
    ['<a>&#0;</a>', 'xml_malformed'],
    ['<__proto__><polluted>yes</polluted></__proto__>', 'xml_malformed'],
    ['', 'file_empty'],
    ['  \n ', 'file_empty'],
  ])('%j -> %s', (text, code) => {
    expect(codeOf(() => readXmlDocument(text, 'x.xml')).code).toBe(code);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('enforces the size, depth and field-length limits', () => {
    const limits = { textLengthMax: 1000, depthMax: 5, fieldLengthMax: 10 };
    expect(codeOf(() => readXmlDocument(`<a>${'x'.repeat(1000)}</a>`, 'big.xml', limits)).code).toBe('file_too_large');
    expect(codeOf(() => readXmlDocument('<a><b><c><d><e><f>1</f></e></d></c></b></a>', 'deep.xml', limits)).code).toBe('xml_too_deep');
    expect(readXmlDocument('<a><b><c><d><e>1</e></d></c></b></a>', 'ok.xml', limits).root.name).toBe('a');
    expect(codeOf(() => readXmlDocument('<a>12345678901</a>', 'long.xml', limits)).code).toBe('field_too_long');
    expect(codeOf(() => readXmlDocument('<a b="12345678901"/>', 'long.xml', limits)).code).toBe('field_too_long');
    const deep = '<a>'.repeat(XML_LIMITS_DEFAULT.depthMax + 1) + '</a>'.repeat(XML_LIMITS_DEFAULT.depthMax + 1);
    expect(codeOf(() => readXmlDocument(deep, 'deep.xml')).code).toBe('xml_too_deep');
  });

  it('says each refusal as a code and its values besides the unchanged English', () => {
    const limits = { textLengthMax: 1000, depthMax: 5, fieldLengthMax: 10 };
    const said = (run: () => unknown) => {
      try {
        run();
      } catch (error) {
        return error instanceof SettleDeskError ? [error.message, error.details] : error;
      }
      return null;
    };
    expect(said(() => readXmlDocument(`<a>${'x'.repeat(1000)}</a>`, 'big.xml', limits))).toEqual(['big.xml: 1007 characters, more than the 1000 accepted for XML', { says: 'xml_too_large', length: '1007', max: '1000' }]);
    expect(said(() => readXmlDocument('<a><b><c><d><e><f>1</f></e></d></c></b></a>', 'deep.xml', limits))).toEqual(['deep.xml: elements nest deeper than 5 levels', { says: 'xml_too_deep', depthMax: '5' }]);
    expect(said(() => readXmlDocument('<a>12345678901</a>', 'long.xml', limits))).toEqual(['long.xml: text of <a> at line 1 has 11 characters, more than 10', { says: 'xml_text_too_long', element: 'a', line: '1', length: '11', max: '10' }]);
    expect(said(() => readXmlDocument('<a>\n<b c="123456789012"/></a>', 'long.xml', limits))).toEqual(['long.xml: attribute c at line 2 has 12 characters, more than 10', { says: 'xml_attribute_too_long', attribute: 'c', line: '2', length: '12', max: '10' }]);
    expect(said(() => readXmlDocument(' ', 'x.xml'))).toEqual(['x.xml: the file is empty', { says: 'file_empty' }]);
    expect(said(() => readXmlDocument(fixture('camt053-xxe.xml'), 'xxe.xml'))).toEqual([
      'xxe.xml: a DOCTYPE or ENTITY declaration at line 2, column 1 is refused (bank files never need one; it is how XXE and entity-expansion attacks work)',
      { says: 'xml_doctype_refused', line: '2', column: '1' },
    ]);
    // fast-xml-parser's words are read as a code and values, said in ours.
    expect(said(() => readXmlDocument('<a>\n  <b></a>', 'x.xml'))).toEqual([
      'x.xml: not well-formed XML at line 2, column 6: expected </b> for the <b> opened at line 2, column 3, found </a>',
      { says: 'xml_malformed_at', line: '2', column: '6', problem: 'tag_mismatch', expected: 'b', openLine: '2', openColumn: '3', found: 'a' },
    ]);
  });

  it.each([
    ['<a><b></b>', '1, column 1: <a> is never closed', { problem: 'tag_unclosed', tag: 'a' }],
    ['<a><b>', '1, column 1: <a>, <b> are never closed', { problem: 'tags_unclosed', tags: '<a>, <b>' }],
    ['hello', '1, column 1: unexpected character "h"', { problem: 'char_unexpected', char: 'h' }],
    ['<a>AT&T</a>', '1, column 6: unexpected character "&"', { problem: 'char_unexpected', char: '&' }],
    ['<?xml version="1.0"?>', '1: no element: expected a start tag', { problem: 'start_tag_expected' }],
    ['</a>', '1, column 1: </a> closes an element that is not open', { problem: 'closing_unopened', tag: 'a' }],
    ['<a></a', '1, column 7: </a> is not closed with ">"', { problem: 'closing_unfinished', tag: 'a' }],
    ['<a></a b>', '1, column 4: </a> has more than its name (a closing tag has no attributes)', { problem: 'closing_with_attributes', tag: 'a' }],
    ['<a></a>x', '1, column 8: text after the root element', { problem: 'text_after_root' }],
    ['<1a/>', '1, column 4: "1a" is not a valid element name', { problem: 'tag_name_invalid', tag: '1a' }],
    ['< a/>', '1, column 2: a space after "<"', { problem: 'space_after_lt' }],
    ['<a b="1/>', '1, column 3: an attribute of <a> opens a quote that is never closed', { problem: 'attribute_quote_open', tag: 'a' }],
    ['<a b="1" b="2"/>', '1, column 10: attribute b is given twice', { problem: 'attribute_repeated', attribute: 'b' }],
    ['<a b=1/>', '1, column 4: attribute b has no quoted value', { problem: 'attribute_without_value', attribute: 'b' }],
    ['<a b/>', '1, column 4: attribute b has no value', { problem: 'attribute_boolean', attribute: 'b' }],
    ['<a/><b/>', '1, column 5: expected exactly one root element, found 2', { problem: 'roots_count', count: '2' }],
    ['<a><!ELEMENT x></a>', '1, column 4: only comments and CDATA sections may start with "<!"', { problem: 'bang_markup' }],
    ['<a>&nbsp;</a>', '1: text of <a>: "&" must start &lt; &gt; &amp; &quot; &apos; or a character reference, found "&nbsp;"', { problem: 'entity_invalid_text', element: 'a', found: '&nbsp;' }],
    ['<a x="&bad;"/>', '1: attribute x: "&" must start &lt; &gt; &amp; &quot; &apos; or a character reference, found "&bad;"', { problem: 'entity_invalid_attribute', attribute: 'x', found: '&bad;' }],
    ['<a>&#0;</a>', '1: text of <a>: character reference &#0; is not an XML character', { problem: 'char_reference_invalid_text', element: 'a', reference: '&#0;' }],
  ])('says %j as its problem\'s code and values, in words at line %s', (text, words, values) => {
    const refusal = ((): SettleDeskError => {
      try {
        readXmlDocument(text, 'x.xml');
      } catch (error) {
        if (error instanceof SettleDeskError) return error;
      }
      throw new Error('expected a refusal');
    })();
    expect(refusal.code).toBe('xml_malformed');
    expect(refusal.message).toBe(`x.xml: not well-formed XML at line ${words}`);
    const { line, column } = refusal.location;
    expect(refusal.details).toEqual({ says: column === undefined ? 'xml_malformed_line' : 'xml_malformed_at', line: String(line), ...(column === undefined ? {} : { column: String(column) }), ...values });
  });

  it('does not count indentation between child elements against the field limit', () => {
    const limits = { textLengthMax: 10_000_000, depthMax: 5, fieldLengthMax: 10 };
    const children = '\n    <b>1</b>'.repeat(20_000);
    const document = readXmlDocument(`<a>${children}\n</a>`, 'indented.xml', limits);
    expect(document.root.children).toHaveLength(20_000);
    expect(codeOf(() => readXmlDocument(`<a>${children} text that is content </a>`, 'mixed.xml', limits)).code).toBe('field_too_long');
  });
});

describe('readXmlDocument builds a located element tree', () => {
  const text = '<?xml version="1.0"?>\r\n<p:Doc xmlns:p="urn:x" k="a &amp; b">\r\n  <Item n="1">one &lt;1&gt; &#65;&#x42;</Item>\r\n  <Item><![CDATA[raw &amp; <kept>]]></Item>\r\n</p:Doc>';

  it('strips prefixes, finds the namespace, decodes text and keeps CDATA literal', () => {
    const { root, namespace } = readXmlDocument(text, 'x.xml');
    expect(root.name).toBe('Doc');
    expect(root.prefix).toBe('p');
    expect(namespace).toBe('urn:x');
    expect(root.attributes.get('k')).toBe('a & b');
    expect(root.children.map((child) => child.text)).toEqual(['one <1> AB', 'raw &amp; <kept>']);
    expect(textAt(root, 'Item')).toBe('one <1> AB');
  });

  it('gives each element the line and column of its start tag (CRLF files too)', () => {
    const { root } = readXmlDocument(text, 'x.xml');
    expect([root.line, root.column]).toEqual([2, 1]);
    expect(root.children.map((child) => [child.line, child.column])).toEqual([
      [3, 3],
      [4, 3],
    ]);
    expect(excerptAt(text, root.children[0]?.offset ?? -1)).toMatch(/^<Item n="1">one/);
  });

  it('flattens leaves with indexed repeats and attributes, and caps the count', () => {
    const { root } = readXmlDocument('<E><A c="X">1</A><B><C>2</C><C>3</C></B><D/></E>', 'x.xml');
    expect(flattenLeaves(root, 100)).toEqual({ leaves: { 'A@c': 'X', A: '1', 'B/C[1]': '2', 'B/C[2]': '3', D: '' }, truncatedLeaves: 0 });
    expect(flattenLeaves(root, 2)).toEqual({ leaves: { 'A@c': 'X', A: '1' }, truncatedLeaves: 3 });
    expect(childElement(root, 'Z')).toBeNull();
  });
});

describe('decodeXmlText and LineIndex properties', () => {
  const escape = (text: string): string => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

  it('decodes whatever escaping produced', () => {
    fc.assert(fc.property(fc.string({ unit: 'binary' }), (text) => decodeXmlText(escape(text)) === text));
  });

  it('locates every offset as a naive scan would', () => {
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom('a', '\n', '\r', 'b') }), fc.nat(), (text, seed) => {
        const offset = text.length === 0 ? 0 : seed % text.length;
        const before = text.slice(0, offset);
        const line = before.split('\n').length;
        const column = offset - (before.lastIndexOf('\n') + 1) + 1;
        expect(new LineIndex(text).locate(offset)).toEqual({ line, column });
      }),
    );
  });

  it('never throws anything but a SettleDeskError on arbitrary text', () => {
    const xmlish = fc.string({ unit: fc.constantFrom('<', '>', '/', 'a', 'b', '=', '"', '&', ';', '!', '?', '[', ']', '-', ' ', '\n', 'x:') });
    fc.assert(
      fc.property(fc.oneof(fc.string(), xmlish), (text) => {
        try {
          readXmlDocument(text, 'fuzz.xml');
        } catch (error) {
          expect(error).toBeInstanceOf(SettleDeskError);
        }
      }),
      { numRuns: 500 },
    );
  });
});

describe('readXmlDocument reads text as fast-xml-parser does (its parser as the oracle)', () => {
  const metaKey = XMLParser.getMetaDataSymbol() as symbol | string;
  const oracleParser = new XMLParser({
    preserveOrder: true,
    captureMetaData: true,
    processEntities: false,
    htmlEntities: false,
    ignoreAttributes: false,
    attributeNamePrefix: '@_',
    parseTagValue: false,
    parseAttributeValue: false,
    trimValues: false,
    cdataPropName: '#cdata',
    commentPropName: false,
  });

  interface Plain {
    name: string;
    prefix: string | null;
    attributes: Record<string, string>;
    text: string;
    line: number;
    column: number;
    offset: number;
    children: Plain[];
  }

  const decoded = (raw: string): string => {
    const text = decodeXmlText(raw);
    if (typeof text !== 'string') throw new Error(text.error);
    return text;
  };

  /** fast-xml-parser's ordered output as plain elements: the tree our reader must give. */
  function oracle(text: string): Plain[] {
    const lines = new LineIndex(text);
    const convert = (nodes: unknown[], parent: { text: string; children: Plain[] }): void => {
      for (const node of nodes as Array<Record<string | symbol, unknown>>) {
        for (const [key, value] of Object.entries(node)) {
          if (key === ':@' || key.startsWith('?')) continue;
          if (key === '#text') parent.text += decoded(value as string);
          else if (key === '#cdata') parent.text += (value as Array<{ '#text': string }>).map((part) => part['#text']).join('');
          else {
            const offset = (node[metaKey] as { startIndex: number }).startIndex;
            const colon = key.indexOf(':');
            const attributes = Object.entries((node[':@'] ?? {}) as Record<string, string>).map(([name, raw]) => [name.slice(2), decoded(raw)]);
            const element: Plain = { name: key.slice(colon + 1), prefix: colon === -1 ? null : key.slice(0, colon), attributes: Object.fromEntries(attributes), text: '', ...lines.locate(offset), offset, children: [] };
            parent.children.push(element);
            convert(value as unknown[], element);
          }
        }
      }
    };
    const document = { text: '', children: [] as Plain[] };
    convert(oracleParser.parse(text) as unknown[], document);
    return document.children;
  }

  function plain(element: XmlElement): Plain {
    const { name, prefix, text, line, column, offset } = element;
    return { name, prefix, attributes: Object.fromEntries(element.attributes), text, line, column, offset, children: element.children.map(plain) };
  }

  const expectSameTree = (text: string): void => {
    expect(XMLValidator.validate(text)).toBe(true);
    expect([plain(readXmlDocument(text, 'x.xml').root)]).toEqual(oracle(text));
  };

  it('on the camt fixtures', () => {
    for (const name of ['camt053-v08-totals-reversal.xml', 'camt053-v02-bad-entries.xml']) expectSameTree(fixture(name));
  });

  it.skipIf(REAL_WORLD_DIR === null)('on the real camt and OFX 2 files (SETTLEDESK_REAL_WORLD)', () => {
    const real = ['camt053/camt053-v02-minimal.xml', 'camt053/camt053-v04.xml', 'camt053/camt053-v02-two-statements.xml', 'camt054/camt054-v02.xml', 'camt054/camt054-v04.xml', 'ofx/ofxparse-suncorp-v200-xml-cdata.ofx'];
    for (const path of real) expectSameTree(readRealWorldText(path));
  });

  const lineBreak = fc.constantFrom('\n', '\r\n', '\r');
  const characters = (extra: readonly string[]) => fc.array(fc.oneof(fc.constantFrom('x', 'Ü', ' ', '\t', '&amp;', '&lt;', '&gt;', '&quot;', '&#65;', '&#x42;', '/', '=', ...extra), lineBreak), { maxLength: 8 }).map((parts) => parts.join(''));
  const qualifiedName = fc.tuple(fc.constantFrom(null, 'c', 'ns1'), fc.constantFrom('Ntry', 'Amt', 'a', 'b-c', 'x.y', 'Cd_1')).map(([prefix, name]) => (prefix === null ? name : `${prefix}:${name}`));
  const attribute = fc.tuple(fc.constantFrom('Ccy', 'id', 'xmlns', 'xmlns:c', 'k'), characters(['>', "'", '"']), fc.constantFrom(' ', '\n', '\t', '\r\n'));
  const attributeText = (attributes: ReadonlyArray<readonly [string, string, string]>): string =>
    attributes
      .filter(([name], index) => attributes.findIndex(([other]) => other === name) === index)
      .map(([name, value, space]) => (value.includes('"') ? `${space}${name}='${value.replaceAll("'", '&apos;')}'` : `${space}${name}="${value}"`))
      .join('');
  const comment = characters(['>', '-']).map((body) => `<!--${body.replaceAll('--', '- -')}-->`);
  const cdata = characters(['<', '&', ']', '>']).map((body) => `<![CDATA[${body.replaceAll(']]>', ']] >')}]]>`);
  const instruction = characters(['?']).map((body) => `<?pi ${body.replaceAll('?>', '? >').replaceAll('"', '').replaceAll("'", '')}?>`);
  const { element } = fc.letrec<{ element: string }>((tie) => ({
    element: fc
      .tuple(qualifiedName, fc.array(attribute, { maxLength: 3 }), fc.array(fc.oneof({ depthSize: 'small' }, characters(['>']), comment, cdata, instruction, tie('element')), { maxLength: 4 }), fc.boolean())
      .map(([name, attributes, content, selfClose]) => (content.length === 0 && selfClose ? `<${name}${attributeText(attributes)}/>` : `<${name}${attributeText(attributes)}>${content.join('')}</${name}>`)),
  }));
  const document = fc
    .tuple(fc.boolean(), fc.constantFrom('', '\n', '\r\n', '  '), fc.option(comment, { nil: '' }), element, fc.constantFrom('', '\n', '\r\n \r\n'), fc.option(fc.oneof(comment, instruction), { nil: '' }))
    .map(([declaration, space, before, root, after, trailer]) => `${declaration ? '<?xml version="1.0" encoding="UTF-8"?>' : ''}${space}${before}${root}${after}${trailer}`);

  it('on generated documents: names, prefixes, attributes, entities, comments, CDATA, instructions, CR/LF, positions', () => {
    fc.assert(fc.property(document, expectSameTree), { numRuns: 600 });
  });
});
