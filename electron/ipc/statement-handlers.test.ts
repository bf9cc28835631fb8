import type * as Electron from 'electron';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { canonicalJson } from '../../core/canonical/json.ts';
import { statementHash } from '../../core/settlement/index.ts';
import { SecretService } from '../../node/secrets/secret-service.ts';
import { SecretVault } from '../../node/secrets/secret-vault.ts';
import { createDevCertificate } from '../../node/statements/dev-cert.ts';
import { StatementSigningService } from '../../node/statements/export-service.ts';
import { handStatement, opensslVerifyPdf, runTool } from '../../node/statements/fixtures.test-support.ts';
import { verifyStatementFiles } from '../../node/statements/verify.ts';
import type { SignedStatementResult } from '../../renderer/host/host.ts';
import { createHandlers } from './handlers.ts';
import { registerHandlers, type IpcMainLike } from './register.ts';

type Listener = Parameters<Electron.IpcMain['handle']>[1];
type Frame = { url: string; parent: unknown } | null;
const DESK_FRAME = { url: 'app://settledesk/index.html', parent: null };
const P12_PASSPHRASE = 'p12 passphrase 91c4e0 never to the renderer';
const STORE_PASSPHRASE = 'secret store passphrase';

let dir: string;
let p12File: string;
let anchorPem: string;
let anchorFile: string;

beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'settledesk-statement-ipc-'));
  const made = createDevCertificate({ organization: 'Example Platform GmbH', passphrase: P12_PASSPHRASE, now: new Date() });
  p12File = path.join(dir, 'picked.p12');
  writeFileSync(p12File, made.p12);
  anchorPem = made.certificatePem;
  anchorFile = path.join(dir, 'anchor.pem');
  writeFileSync(anchorFile, anchorPem);
}, 60_000);

afterAll(() => rmSync(dir, { recursive: true, force: true }));

/**
 * The statement domain as main wires it (electron/main.ts): the real SecretService (passphrase mode,
 * as on Linux's basic_text), the real signing service over a data folder, and fake dialogs that
 * record what they were asked and answer with the given paths.
 */
async function desk(answers: { open?: string; save?: string; replace?: boolean } = {}) {
  const userData = mkdtempSync(path.join(dir, 'user-data-'));
  const secrets = new SecretService(new SecretVault(path.join(userData, 'secrets.json')), { cipher: null, reason: 'linux_basic_text' });
  await secrets.unlock(STORE_PASSPHRASE);
  const signing = new StatementSigningService({
    signingDir: path.join(userData, 'signing'),
    passphrase: () => secrets.read('signing-passphrase'),
    storePassphrase: (passphrase) => secrets.store('signing-passphrase', passphrase),
    now: () => new Date(),
  });
  const asked: string[] = [];
  const saveOptions: Electron.SaveDialogOptions[] = [];
  const messageOptions: Electron.MessageBoxOptions[] = [];
  const handlers = createHandlers({
    host: { version: '0.1.0', openExternal: async () => false, notify: () => undefined },
    dialogs: {
      showOpenDialog: async () => (asked.push('open'), answers.open === undefined ? { canceled: true, filePaths: [] } : { canceled: false, filePaths: [answers.open] }),
      showSaveDialog: async (options) => (asked.push('save'), saveOptions.push(options), answers.save === undefined ? { canceled: true, filePath: '' } : { canceled: false, filePath: answers.save }),
      showMessageBox: async (options) => (asked.push('replace?'), messageOptions.push(options), { response: answers.replace === true ? 0 : 1 }),
    },
    secrets,
    signing,
  });
  const listeners = new Map<string, Listener>();
  const ipcMain: IpcMainLike = { handle: (channel, listener) => void listeners.set(channel, listener) };
  registerHandlers(ipcMain, handlers);
  // Every answer and every rejection message is kept, to check none carries the passphrase.
  const seen: string[] = [];
  const invoke = async (channel: string, frame: Frame, ...args: unknown[]): Promise<unknown> => {
    const listener = listeners.get(channel);
    if (listener === undefined) throw new Error(`no handler for ${channel}`);
    try {
      const answer: unknown = await listener({ senderFrame: frame } as Electron.IpcMainInvokeEvent, ...args);
      seen.push(JSON.stringify(answer) ?? 'undefined');
      return answer;
    } catch (error) {
      seen.push(`${(error as Error).message} ${JSON.stringify(error)}`);
      throw error;
    }
  };
  return { invoke, asked, saveOptions, messageOptions, seen, signing, userData, secrets };
}

async function refusal(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
    return 'answered';
  } catch (error) {
    return (error as { code?: string }).code ?? String(error);
  }
}

function documentJson(): string {
  const statement = handStatement();
  return canonicalJson({ statement, sha256: statementHash(statement) });
}

describe('statement signing over IPC', () => {
  it('refuses a foreign page, a sub-frame and a missing frame before any dialog or key is touched', async () => {
    const { invoke, asked, signing } = await desk({ open: p12File, save: path.join(dir, 'never.statement.pdf') });
    const foreign = [{ url: 'https://evil.example/', parent: null }, { url: 'app://settledesk/frame.html', parent: DESK_FRAME }, { url: 'file:///index.html', parent: null }, null];
    for (const frame of foreign) {
      expect(await refusal(invoke('statement-signing-import', frame, { passphrase: P12_PASSPHRASE }))).toBe('ipc_untrusted_sender');
      expect(await refusal(invoke('statement-export-signed', frame, { documentJson: documentJson(), locale: 'en' }))).toBe('ipc_untrusted_sender');
      expect(await refusal(invoke('statement-signing-status', frame))).toBe('ipc_untrusted_sender');
    }
    expect(asked).toEqual([]);
    expect(await signing.status()).toEqual({ configured: false, certificate: null });
  });

  it('refuses input the schema does not accept, and a document whose hash is not its own, without opening a dialog', async () => {
    const { invoke, asked } = await desk({ open: p12File, save: path.join(dir, 'never.statement.pdf') });
    const statement = handStatement();
    const bad: [string, unknown[]][] = [
      ['statement-export-signed', [{ documentJson: documentJson(), locale: 'fr' }]],
      ['statement-export-signed', [{ documentJson: documentJson(), locale: 'en', p12: '/tmp/other.p12' }]],
      ['statement-export-signed', [{ documentJson: { statement, sha256: statementHash(statement) }, locale: 'en' }]],
      ['statement-export-signed', [{ documentJson: documentJson(), locale: 'en' }, '/tmp/target.pdf']],
      ['statement-signing-import', [{ passphrase: '' }]],
      ['statement-signing-import', [{ passphrase: P12_PASSPHRASE, file: '/etc/ssl/private/key.p12' }]],
      ['statement-signing-status', [{ reveal: true }]],
    ];
    for (const [channel, args] of bad) expect(await refusal(invoke(channel, DESK_FRAME, ...args)), `${channel} ${JSON.stringify(args).slice(0, 80)}`).toBe('ipc_invalid_input');
    const forged = canonicalJson({ statement: { ...statement, totals: { ...statement.totals, payable: '9995.08' } }, sha256: statementHash(statement) });
    await expect(invoke('statement-export-signed', DESK_FRAME, { documentJson: forged, locale: 'en' })).rejects.toThrow(/^statement_hash_mismatch: /);
    await expect(invoke('statement-export-signed', DESK_FRAME, { documentJson: '{"statement": 1}', locale: 'en' })).rejects.toThrow(/^statement_invalid: /);
    expect(asked).toEqual([]);
  });

  it('never puts the P12 passphrase in an answer or a rejection: wrong passphrase, import, status, export, missing passphrase', async () => {
    const out = mkdtempSync(path.join(dir, 'out-'));
    // The second export goes to the same files: the analyst confirms replacing them.
    const { invoke, seen, signing, userData, secrets } = await desk({ open: p12File, save: path.join(out, 'P001.statement.pdf'), replace: true });
    expect(await refusal(invoke('statement-export-signed', DESK_FRAME, { documentJson: documentJson(), locale: 'en' }))).toBe('signing_not_configured');
    expect(await refusal(invoke('statement-signing-import', DESK_FRAME, { passphrase: `${P12_PASSPHRASE}x` }))).toBe('p12_passphrase_wrong');
    const imported = await invoke('statement-signing-import', DESK_FRAME, { passphrase: P12_PASSPHRASE });
    expect(imported).toMatchObject({ imported: true, certificate: { organization: 'Example Platform GmbH', development: true } });
    expect(statSync(signing.p12File).mode & 0o777).toBe(0o600);
    expect(readdirSync(path.join(userData, 'signing'))).toEqual(['organization.p12']);
    expect(await invoke('statement-signing-status', DESK_FRAME)).toMatchObject({ configured: true, certificate: { development: true } });
    expect(await invoke('statement-export-signed', DESK_FRAME, { documentJson: documentJson(), locale: 'ko' })).toMatchObject({ exported: true });
    // At rest the passphrase is sealed, not written out: neither the vault nor the data folder holds it.
    expect(readFileSync(path.join(userData, 'secrets.json'), 'utf8')).not.toContain(P12_PASSPHRASE);
    await secrets.forget('signing-passphrase');
    expect(await refusal(invoke('statement-export-signed', DESK_FRAME, { documentJson: documentJson(), locale: 'en' }))).toBe('signing_passphrase_missing');
    expect(seen.length).toBe(6);
    for (const text of seen) expect(text).not.toContain(P12_PASSPHRASE);
  }, 60_000);

  it('exports through IPC a signed PDF, JWS, JSON, CSV and XLSX that node/statements verify, pdfsig and openssl accept', async () => {
    const out = mkdtempSync(path.join(dir, 'out-'));
    const { invoke, saveOptions } = await desk({ open: p12File, save: path.join(out, 'chosen.pdf') });
    await invoke('statement-signing-import', DESK_FRAME, { passphrase: P12_PASSPHRASE });
    const result = (await invoke('statement-export-signed', DESK_FRAME, { documentJson: documentJson(), locale: 'en' })) as SignedStatementResult;
    // Main suggested the name from the checked statement (partner "p"), the analyst chose another.
    expect(saveOptions[0]?.defaultPath).toBe('p.statement.pdf');
    expect(result).toEqual({
      exported: true,
      files: { json: 'chosen.statement.json', pdf: 'chosen.statement.pdf', jws: 'chosen.statement.jws', csv: 'chosen.lines.csv', xlsx: 'chosen.lines.xlsx' },
      sha256: statementHash(handStatement()),
      certificate: expect.objectContaining({ organization: 'Example Platform GmbH', development: true }),
    });
    // Names only: nothing the renderer could reuse as a path.
    expect(JSON.stringify(result)).not.toContain(out);
    const pdfFile = path.join(out, 'chosen.statement.pdf');
    const report = await verifyStatementFiles({
      json: { file: 'chosen.statement.json', text: readFileSync(path.join(out, 'chosen.statement.json'), 'utf8') },
      jws: { file: 'chosen.statement.jws', text: readFileSync(path.join(out, 'chosen.statement.jws'), 'utf8') },
      pdf: { file: 'chosen.statement.pdf', bytes: readFileSync(pdfFile) },
      trustAnchorPem: anchorPem,
      now: new Date(),
    });
    expect(report.checks.filter((check) => !check.ok)).toEqual([]);
    expect(report.ok).toBe(true);
    expect(report.sha256).toBe(statementHash(handStatement()));
    const pdfsig = runTool('pdfsig', [pdfFile]);
    expect(pdfsig.output).toContain('Signature Validation: Signature is Valid.');
    expect(pdfsig.output).toContain('Total document signed');
    const openssl = opensslVerifyPdf(readFileSync(pdfFile), anchorFile, out);
    expect(openssl.output).toContain('Verification successful');
  }, 60_000);

  it("asks in main's message box before replacing the statement's other files, and writes nothing when the analyst cancels", async () => {
    const out = mkdtempSync(path.join(dir, 'out-'));
    // The save dialog confirmed replacing chosen.pdf; the earlier export's JSON and XLSX are also there.
    writeFileSync(path.join(out, 'chosen.statement.json'), 'earlier\n');
    writeFileSync(path.join(out, 'chosen.lines.xlsx'), 'earlier\n');
    const cancelling = await desk({ open: p12File, save: path.join(out, 'chosen.pdf'), replace: false });
    await cancelling.invoke('statement-signing-import', DESK_FRAME, { passphrase: P12_PASSPHRASE });
    expect(await cancelling.invoke('statement-export-signed', DESK_FRAME, { documentJson: documentJson(), locale: 'en' })).toEqual({ exported: false });
    expect(cancelling.asked).toEqual(['open', 'save', 'replace?']);
    expect(cancelling.messageOptions[0]).toMatchObject({ buttons: ['Replace', 'Cancel'], defaultId: 1, cancelId: 1 });
    expect(cancelling.messageOptions[0]?.detail).toBe('Replacing overwrites:\nchosen.statement.json\nchosen.lines.xlsx');
    expect(readdirSync(out).sort()).toEqual(['chosen.lines.xlsx', 'chosen.statement.json']);
    expect(readFileSync(path.join(out, 'chosen.statement.json'), 'utf8')).toBe('earlier\n');

    const replacing = await desk({ open: p12File, save: path.join(out, 'chosen.pdf'), replace: true });
    await replacing.invoke('statement-signing-import', DESK_FRAME, { passphrase: P12_PASSPHRASE });
    expect(await replacing.invoke('statement-export-signed', DESK_FRAME, { documentJson: documentJson(), locale: 'en' })).toMatchObject({ exported: true, sha256: statementHash(handStatement()) });
    expect(readdirSync(out).length).toBe(5);
    expect(readFileSync(path.join(out, 'chosen.statement.json'), 'utf8')).toContain(statementHash(handStatement()));
  }, 60_000);

  it('answers a cancelled dialog with nothing written', async () => {
    const { invoke } = await desk();
    expect(await invoke('statement-signing-import', DESK_FRAME, { passphrase: P12_PASSPHRASE })).toEqual({ imported: false });
    expect(await invoke('statement-signing-status', DESK_FRAME)).toEqual({ configured: false, certificate: null });
  });
});
