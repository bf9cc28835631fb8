import { describe, expect, it } from 'vitest';
import { asciiText, ownText } from './row-values.ts';

describe('asciiText', () => {
  it('reads every length the same, the short ones by fromCharCode of the codes and the longer through the subarray', () => {
    const bytes = new TextEncoder().encode('#txn_0123456789abcdef#');
    // The text starts one byte in, so each cut has an offset.
    const expected = ['', 't', 'tx', 'txn', 'txn_', 'txn_0', 'txn_01', 'txn_012', 'txn_0123', 'txn_01234', 'txn_012345', 'txn_0123456', 'txn_01234567', 'txn_012345678', 'txn_0123456789', 'txn_0123456789a'];
    expect(expected.map((_, length) => asciiText(bytes, 1, 1 + length))).toEqual(expected);
    expect(asciiText(bytes, 5, 15)).toBe('0123456789');
  });
});

describe('ownText', () => {
  it('gives the same characters, cut from a longer text or not', () => {
    const file = 'id,description\ntxn_1,Order 1 paid in full 😀\n';
    const long = file.slice(21, 44);
    expect(long).toBe('Order 1 paid in full 😀');
    expect(ownText(long)).toBe('Order 1 paid in full 😀');
    expect(ownText(long).length).toBe(23);
    expect(ownText('txn_1')).toBe('txn_1');
    expect(ownText('abcdefghijklm')).toBe('abcdefghijklm');
  });
});
