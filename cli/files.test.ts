import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readChunks } from './files.ts';

const dir = mkdtempSync(path.join(tmpdir(), 'settledesk-files-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Each chunk copied as it is given (the contract: bytes are valid until the next chunk is asked for). */
function chunksOf(bytes: Uint8Array, chunkBytes: number): { readonly text: string; readonly last: boolean }[] {
  const file = path.join(dir, `f${bytes.length}-${chunkBytes}`);
  writeFileSync(file, bytes);
  const chunks: { readonly text: string; readonly last: boolean }[] = [];
  for (const { bytes: chunk, last } of readChunks(file, chunkBytes)) chunks.push({ text: Buffer.from(chunk).toString('latin1'), last });
  return chunks;
}

describe('readChunks', () => {
  it('gives the file in chunks of the size asked, the last one marked', () => {
    expect(chunksOf(Buffer.from('abcdefghij'), 4)).toEqual([
      { text: 'abcd', last: false },
      { text: 'efgh', last: false },
      { text: 'ij', last: true },
    ]);
  });

  it('marks the last full chunk when the size is a multiple of the chunk', () => {
    expect(chunksOf(Buffer.from('abcdefgh'), 4)).toEqual([
      { text: 'abcd', last: false },
      { text: 'efgh', last: true },
    ]);
  });

  it('gives an empty file as one empty last chunk', () => {
    expect(chunksOf(new Uint8Array(0), 4)).toEqual([{ text: '', last: true }]);
  });

  it('gives every byte once, in order, over many chunks of two reused buffers', () => {
    const bytes = Uint8Array.from({ length: 1000 }, (_, index) => (index * 7) % 251);
    const chunks = chunksOf(bytes, 64);
    expect(chunks).toHaveLength(16);
    expect(chunks.map((chunk) => chunk.text).join('')).toBe(Buffer.from(bytes).toString('latin1'));
    expect(chunks.filter((chunk) => chunk.last)).toHaveLength(1);
  });
});
