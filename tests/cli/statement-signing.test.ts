import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { flipByte, pdfText, runTool } from '../../node/statements/fixtures.test-support.ts';
import { REPO_ROOT, runCli } from './run-cli.ts';

/**
 * The signed-statement path a script or the server takes: dev-cert, settle --pdf --sign-p12, and
 * verify as a partner would run it, on the hand-checked month of tests/fixtures/settle
 * (studio-nord EUR payable 98.76, studio-hana JPY payable 2951; worked out in settle-journal.test.ts).
 */
const FIXTURE = path.join(REPO_ROOT, 'tests', 'fixtures', 'settle');
const inputs = ['--agreements', path.join(FIXTURE, 'agreements.json'), '--transactions', path.join(FIXTURE, 'stripe-march.csv'), '--rules', path.join(FIXTURE, 'rules.json'), '--fx-rates', path.join(FIXTURE, 'ecb-rates.csv'), '--period', '2026-03'];

interface Check {
  name: string;
  ok: boolean;
  detail: string;
}
interface VerifyJson {
  verified: boolean;
  checks: Check[];
}

let dir: string;
let keys: string;
let out: string;
let passphrase: string;

beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'settledesk-statement-signing-'));
  keys = path.join(dir, 'keys');
  out = path.join(dir, 'out');
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function failed(run: ReturnType<typeof runCli>): string[] {
  return run
    .json<VerifyJson>()
    .checks.filter((check) => !check.ok)
    .map((check) => check.name)
    .sort();
}

// Each run starts the real binary and renders PDFs; the machine is shared, so the tests get room.
const SLOW = { timeout: 180_000 };

describe('settledesk dev-cert', SLOW, () => {
  it('writes the P12 and its passphrase file with mode 0600, says where, and never overwrites them', () => {
    const run = runCli(['dev-cert', '--out', keys, '--organization', 'Example Platform GmbH']);
    expect(run.status).toBe(0);
    const p12 = path.join(keys, 'dev-cert.p12');
    expect(run.stdout).toContain(`${p12} (mode 0600`);
    expect(run.stdout).toContain('DEVELOPMENT');
    expect(statSync(p12).mode & 0o777).toBe(0o600);
    expect(statSync(path.join(keys, 'dev-cert.passphrase')).mode & 0o777).toBe(0o600);
    passphrase = readFileSync(path.join(keys, 'dev-cert.passphrase'), 'utf8').trim();
    expect(run.stdout).not.toContain(passphrase);
    const again = runCli(['dev-cert', '--out', keys, '--json']);
    expect(again.status).toBe(1);
    expect(again.json<{ error: { code: string } }>().error.code).toBe('file_exists');
  });
});

describe('settle --pdf --sign-p12', SLOW, () => {
  const sign = (): string[] => ['--sign-p12', path.join(keys, 'dev-cert.p12'), '--sign-passphrase-file', path.join(keys, 'dev-cert.passphrase')];

  it('writes the signed PDF, the JWS, CSV and XLSX beside each statement JSON, never printing the passphrase', () => {
    const run = runCli(['settle', ...inputs, '--out', out, '--pdf', ...sign()]);
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(`${run.stdout}${run.stderr}`).not.toContain(passphrase);
    for (const partner of ['studio-nord', 'studio-hana']) {
      for (const suffix of ['.statement.json', '.statement.pdf', '.statement.jws', '.lines.csv', '.lines.xlsx']) expect(existsSync(path.join(out, `${partner}${suffix}`)), `${partner}${suffix}`).toBe(true);
    }
    const text = pdfText(path.join(out, 'studio-nord.statement.pdf'));
    expect(text).toContain('98.76');
    expect(text).toContain('DEVELOPMENT CERTIFICATE — NOT FOR PRODUCTION');
    expect(runTool('pdfsig', [path.join(out, 'studio-nord.statement.pdf')]).output).toContain('Signature is Valid.');
  });

  it('verify passes every check of the PDF and of the JSON with the dev certificate as trust anchor', () => {
    const anchor = ['--trust-anchor', path.join(keys, 'dev-cert.pem')];
    const pdf = runCli(['verify', path.join(out, 'studio-nord.statement.pdf'), ...anchor, '--json']);
    expect(pdf.status).toBe(0);
    expect(pdf.json<VerifyJson>().verified).toBe(true);
    const json = runCli(['verify', path.join(out, 'studio-hana.statement.json'), ...anchor]);
    expect(json.status).toBe(0);
    expect(json.stdout).toContain('VERIFIED: every check passed');
    expect(json.stdout).toMatch(/ok {3}pdf_hash .*the PDF and the JSON carry the same statement hash/);
  });

  it('verify names what failed: one changed byte of the PDF, an edited JSON, no trust anchor', () => {
    const anchor = ['--trust-anchor', path.join(keys, 'dev-cert.pem')];
    const pdfFile = path.join(out, 'studio-nord.statement.pdf');
    const original = readFileSync(pdfFile);
    const sha256 = /"sha256":"([0-9a-f]{64})"/.exec(readFileSync(path.join(out, 'studio-nord.statement.json'), 'utf8'))?.[1] ?? '';
    writeFileSync(pdfFile, flipByte(original, original.indexOf(`(${sha256})`, 0, 'latin1') + 1));
    const tampered = runCli(['verify', pdfFile, ...anchor, '--json']);
    expect(tampered.status).toBe(1);
    expect(failed(tampered)).toEqual(['pdf_hash', 'pdf_signature']);
    writeFileSync(pdfFile, original);

    const jsonFile = path.join(out, 'studio-nord.statement.json');
    const json = readFileSync(jsonFile, 'utf8');
    writeFileSync(jsonFile, json.replace('"payable":"98.76"', '"payable":"98.77"'));
    const edited = runCli(['verify', jsonFile, ...anchor, '--json']);
    expect(edited.status).toBe(1);
    expect(failed(edited)).toEqual(['json_hash', 'jws_signature']);
    writeFileSync(jsonFile, json);

    const unanchored = runCli(['verify', pdfFile]);
    expect(unanchored.status).toBe(1);
    expect(unanchored.stdout).toContain('FAIL pdf_chain');
    expect(unanchored.stdout).toContain('give --trust-anchor');
  });

  it('refuses a P12 without a passphrase file and a wrong passphrase (without echoing it)', () => {
    expect(runCli(['settle', ...inputs, '--out', out, '--pdf', '--sign-p12', path.join(keys, 'dev-cert.p12')]).status).toBe(2);
    const wrongFile = path.join(dir, 'wrong.passphrase');
    writeFileSync(wrongFile, 'not-the-passphrase\n');
    const wrong = runCli(['settle', ...inputs, '--out', path.join(dir, 'wrong'), '--pdf', '--sign-p12', path.join(keys, 'dev-cert.p12'), '--sign-passphrase-file', wrongFile, '--json']);
    expect(wrong.status).toBe(1);
    expect(wrong.json<{ error: { code: string } }>().error.code).toBe('p12_passphrase_wrong');
    expect(wrong.stdout).not.toContain('not-the-passphrase');
    expect(existsSync(path.join(dir, 'wrong'))).toBe(false);
  });

  it('writes a Korean PDF with --locale ko', () => {
    const korean = path.join(dir, 'ko');
    const run = runCli(['settle', ...inputs, '--partner', 'studio-hana', '--out', korean, '--pdf', ...sign(), '--locale', 'ko']);
    expect(run.status).toBe(0);
    const text = pdfText(path.join(korean, 'studio-hana.statement.pdf'));
    expect(text).toContain('정산 명세서');
    expect(text).toContain('파트너 지급액');
    expect(text).toContain('2,951');
  });
});
