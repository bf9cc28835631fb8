import { mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { readOpenedFile, writeSavedFile } from './desk-files.ts';

const folder = (): string => mkdtempSync(path.join(tmpdir(), 'settledesk-files-'));

describe('desk files behind the open and save dialogs', () => {
  it('reads a picked file as its name and bytes', async () => {
    const file = path.join(folder(), 'march.sta');
    writeFileSync(file, ':20:STATEMENT\n');
    const opened = await readOpenedFile(file);
    expect(opened.name).toBe('march.sta');
    expect(Buffer.from(opened.bytes).toString('utf8')).toBe(':20:STATEMENT\n');
  });

  it('refuses a directory and a file over the limit, with the file named', async () => {
    const dir = folder();
    await expect(readOpenedFile(dir)).rejects.toMatchObject({ code: 'file_not_regular', location: { file: dir } });
    const file = path.join(dir, 'big.csv');
    writeFileSync(file, 'x'.repeat(11));
    await expect(readOpenedFile(file, 10)).rejects.toMatchObject({ code: 'file_too_large' });
    expect((await readOpenedFile(file, 11)).bytes.length).toBe(11);
  });

  it('saves by replacing the target whole and leaves no temporary file', async () => {
    const dir = folder();
    const file = path.join(dir, 'P001.statement.pdf');
    writeFileSync(file, 'old');
    expect(await writeSavedFile(file, new TextEncoder().encode('%PDF-1.7 new'))).toEqual({ name: 'P001.statement.pdf' });
    expect(readFileSync(file, 'utf8')).toBe('%PDF-1.7 new');
    expect(readdirSync(dir)).toEqual(['P001.statement.pdf']);
  });

  it('reports a save into a missing folder as a typed error', async () => {
    const file = path.join(folder(), 'missing', 'x.csv');
    await expect(writeSavedFile(file, new Uint8Array([1]))).rejects.toMatchObject({ code: 'file_not_saved', location: { file } });
  });
});
