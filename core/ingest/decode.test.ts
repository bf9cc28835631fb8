import { describe, expect, it } from 'vitest';
import { decodeText } from './decode.ts';
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
