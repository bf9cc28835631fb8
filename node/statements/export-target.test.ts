import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { existingStatementFiles, statementJsonTarget } from './export-target.ts';

const dir = mkdtempSync(path.join(tmpdir(), 'settledesk-export-target-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('where a desk export goes', () => {
  it('reads any save-dialog name as the statement set it stands for', () => {
    expect(statementJsonTarget('/d/P001.statement.pdf')).toBe(path.join('/d', 'P001.statement.json'));
    expect(statementJsonTarget('/d/P001.pdf')).toBe(path.join('/d', 'P001.statement.json'));
    expect(statementJsonTarget('/d/P001')).toBe(path.join('/d', 'P001.statement.json'));
    expect(statementJsonTarget('/d/P001.statement.json')).toBe(path.join('/d', 'P001.statement.json'));
  });

  it('names every file of the set already there, a dangling link and a folder included, and nothing else', () => {
    const folder = mkdtempSync(path.join(dir, 'set-'));
    expect(existingStatementFiles(path.join(folder, 'P001.pdf'))).toEqual([]);
    writeFileSync(path.join(folder, 'P001.statement.pdf'), 'x');
    symlinkSync(path.join(folder, 'missing'), path.join(folder, 'P001.lines.xlsx'));
    mkdirSync(path.join(folder, 'P001.statement.json'));
    // Other statements' files and unrelated names are not this export's business.
    writeFileSync(path.join(folder, 'P002.lines.csv'), 'x');
    writeFileSync(path.join(folder, 'P001.csv'), 'x');
    expect(existingStatementFiles(path.join(folder, 'P001.statement.pdf'))).toEqual(['P001.statement.json', 'P001.statement.pdf', 'P001.lines.xlsx']);
  });
});
