import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createStreamDecoder, decodeGuessingSingleByte, decodeText } from './decode.ts';
import { FileImportError } from './errors.ts';

const bytes = (...values: number[]) => new Uint8Array(values);
const utf8 = (text: string) => new TextEncoder().encode(text);

describe('decodeText', () => {
  it('strips a UTF-8 BOM and says so', () => {
    const decoded = decodeText(new Uint8Array([0xef, 0xbb, 0xbf, ...utf8('a;b\n')]), 'f.csv');
    expect(decoded).toEqual({ text: 'a;b\n', encoding: 'utf-8', hadBom: true });
  });

  it('reads UTF-16 with a BOM', () => {
    expect(decodeText(bytes(0xff, 0xfe, 0x41, 0x00, 0xe9, 0x00), 'f.csv').text).toBe('Aé');
    expect(decodeText(bytes(0xfe, 0xff, 0x00, 0x41, 0x00, 0xe9), 'f.csv').text).toBe('Aé');
  });

  it('reads Windows-1252 and EUC-KR when the profile names them', () => {
    expect(decodeText(bytes(0x43, 0x61, 0x66, 0xe9, 0x20, 0x80, 0x20, 0x93, 0x71, 0x94), 'f.csv', 'windows-1252').text).toBe('Café € \u201cq\u201d');
    // "한국" in EUC-KR.
    expect(decodeText(bytes(0xc7, 0xd1, 0xb1, 0xb9), 'f.csv', 'euc-kr').text).toBe('한국');
  });

  it('refuses invalid UTF-8 with the line and column of the first bad byte', () => {
    const input = new Uint8Array([...utf8('ok line\nsecond '), 0xe9, ...utf8('t\n')]);
    try {
      decodeText(input, 'latin1.csv');
      expect.unreachable('decoding should fail');
    } catch (error) {
      expect(error).toBeInstanceOf(FileImportError);
      expect((error as FileImportError).code).toBe('file_encoding_invalid');
      expect((error as FileImportError).location).toEqual({ file: 'latin1.csv', line: 2, column: 8 });
    }
  });
});

describe('UTF-16 without a BOM', () => {
  const utf16 = (text: string, endian: 'le' | 'be') => new Uint8Array([...text].flatMap((char) => (endian === 'le' ? [char.charCodeAt(0) & 0xff, char.charCodeAt(0) >> 8] : [char.charCodeAt(0) >> 8, char.charCodeAt(0) & 0xff])));

  it('is recognized by its zero bytes, little- and big-endian, whole or streamed', () => {
    const text = ':20:STATEMENT1\n:25:NL91ABNA0417164300\nCafé\n';
    expect(decodeText(utf16(text, 'le'), 'f.sta')).toEqual({ text, encoding: 'utf-16le', hadBom: false });
    expect(decodeText(utf16(text, 'be'), 'f.sta')).toEqual({ text, encoding: 'utf-16be', hadBom: false });
    expect(createStreamDecoder('f.sta').decode(utf16(text, 'le'), true)).toBe(text);
  });

  it('names UTF-16 without BOM when such a file is broken (an unpaired surrogate)', () => {
    const broken = new Uint8Array([...utf16('01,SENDER,RECEIVER\n', 'le'), 0x00, 0xd8, 0x41, 0x00]);
    const error = (() => {
      try {
        decodeText(broken, 'f.bai2');
      } catch (caught) {
        return caught;
      }
      return null;
    })();
    expect(error).toBeInstanceOf(FileImportError);
    expect((error as FileImportError).code).toBe('file_encoding_invalid');
    expect((error as FileImportError).message).toContain('UTF-16 without BOM');
    expect(() => createStreamDecoder('f.bai2').decode(broken, true)).toThrow(/UTF-16 without BOM/);
  });

  it('leaves UTF-8 text alone', () => {
    expect(decodeText(utf8('a,b\n1,2\n'), 'f.csv').encoding).toBe('utf-8');
  });
});

describe('decodeGuessingSingleByte', () => {
  const latin = (text: string, table: Readonly<Record<string, number>>) => new Uint8Array([...text].map((char) => table[char] ?? char.charCodeAt(0)));

  it('reads Polish narrative in Windows-1250 and names the lines it guessed', () => {
    // Windows-1250: ł B3, ś 9C, ć E6, ę EA, Ł A3, ó F3, ź 9F.
    const bytes = latin(':61:240507D250,00NTRF\n:86:Płatność za fakturę Łódź\nOK\n', { ł: 0xb3, ś: 0x9c, ć: 0xe6, ę: 0xea, Ł: 0xa3, ó: 0xf3, ź: 0x9f });
    expect(decodeGuessingSingleByte(bytes)).toEqual({ text: ':61:240507D250,00NTRF\n:86:Płatność za fakturę Łódź\nOK\n', encoding: 'windows-1250', hadBom: false, guessedLines: [2] });
  });

  it('reads CP852 (DOS) narrative', () => {
    // CP852: ś 98, ó A2, ń E4, Ż BD.
    const bytes = latin('x\r\nPrzelew środków Gdańsk Żory\r\n', { ś: 0x98, ó: 0xa2, ń: 0xe4, Ż: 0xbd });
    expect(decodeGuessingSingleByte(bytes)).toMatchObject({ text: 'x\r\nPrzelew środków Gdańsk Żory\r\n', encoding: 'cp852', guessedLines: [2] });
  });

  it('keeps lines that are valid UTF-8 as UTF-8, numbering lines as splitLines does (lone CR too)', () => {
    const bytes = new Uint8Array([...utf8('é\rA'), 0xe9, ...utf8('\n\nB'), 0xfc]);
    // Windows-1252: E9 é, FC ü; line 1 'é' is UTF-8, lines 2 and 4 are guessed.
    expect(decodeGuessingSingleByte(bytes)).toMatchObject({ text: 'é\rAé\n\nBü', encoding: 'windows-1252', guessedLines: [2, 4] });
  });

  it('never changes an ASCII character: amounts, dates and tags read the same in any code page', () => {
    const ascii = (values: Iterable<number>) => String.fromCharCode(...[...values].filter((value) => value < 0x80));
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), (bytes) => {
        const decoded = decodeGuessingSingleByte(bytes);
        const skipped = decoded.hadBom ? 3 : 0;
        expect(ascii([...decoded.text].map((char) => char.charCodeAt(0)))).toBe(ascii(bytes.subarray(skipped)));
      }),
      { numRuns: 300 },
    );
  });
});
