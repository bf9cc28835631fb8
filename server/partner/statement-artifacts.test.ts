import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { canonicalJson } from '../../core/canonical/json.ts';
import { createDevCertificate } from '../../node/statements/dev-cert.ts';
import { createJwsSigner } from '../../node/statements/jws.ts';
import { loadOrganizationSigner } from '../../node/statements/sign.ts';
import { verifyStatementFiles } from '../../node/statements/verify.ts';
import { partnerWorld, RUNS, type PartnerWorld } from '../../tests/partner-fixtures.test-support.ts';
import { ConfigError, readConfig } from '../config.ts';
import type { Db } from '../db/types.ts';
import { testDatabases } from '../test-support.ts';
import { loadServerSigning, signApprovedStatements, type ServerSigning } from './statement-artifacts.ts';
import { scanWebhookEvents } from './webhooks.ts';

/**
 * The server signs approved statements itself (its organization P12, here a development
 * certificate): only approved ones, each once, never over files an admin stored, and the files
 * verify as `settledesk verify` checks them. On PGlite and, when it is reachable, PostgreSQL.
 */
const NOW = new Date('2026-03-01T10:00:00Z');

for (const target of await testDatabases()) {
  describe.skipIf(target.skip !== null)(`server-side statement signing (${target.kind})`, () => {
    let db: Db;
    let drop: () => Promise<void>;
    let w: PartnerWorld;
    let signing: ServerSigning;
    let certificatePem: string;

    beforeAll(async () => {
      ({ db, drop } = await target.open());
      // No webhook worker: the scans below are the only ones.
      w = await partnerWorld(db, { partner: { webhookWorker: false } });
      const certificate = createDevCertificate({ organization: 'Example Platform GmbH', passphrase: 'server-signing', now: NOW });
      certificatePem = certificate.certificatePem;
      const organization = loadOrganizationSigner(certificate.p12, 'server-signing');
      signing = { organization, jws: await createJwsSigner(organization), locale: 'en' };
    }, 60_000);

    afterAll(async () => {
      await w?.t.app.close();
      await db?.close();
      await drop?.();
    });

    it('signs an approved statement once, leaves a submitted one and an admin’s files alone, and the files verify', async () => {
      const a1 = RUNS.a1();
      const aFeb = RUNS.aFeb();
      const b1 = RUNS.b1();
      await w.approve(a1);
      await w.approve(aFeb, { approve: false });
      await w.approve(b1);
      // B's files were stored by an admin (signed elsewhere) before the server got to them.
      const adminPdf = Buffer.from('%PDF-1.7 signed elsewhere');
      expect((await w.json('PUT', `/api/v1/admin/statements/${b1.statement.id}/artifacts`, w.tokens.root, { jws: null, pdfBase64: adminPdf.toString('base64') })).statusCode).toBe(200);
      const errors: unknown[] = [];

      expect(await signApprovedStatements(db, signing, () => NOW, (error) => errors.push(error))).toEqual([a1.statement.id]);
      expect(errors).toEqual([]);
      // Nothing new approved: nothing signed again.
      expect(await signApprovedStatements(db, signing, () => NOW, (error) => errors.push(error))).toEqual([]);

      const { rows } = await db.query<{ statement_id: string; stored_by: string }>('select statement_id, stored_by from statement_artifacts order by stored_by, statement_id');
      expect(rows).toEqual([
        { statement_id: b1.statement.id, stored_by: 'root' },
        { statement_id: a1.statement.id, stored_by: 'server' },
      ]);

      // Alice downloads A's PDF and JSON with its JWS: every check of `settledesk verify` passes against the certificate.
      const pdf = await w.json('GET', `/api/v1/partner/statements/${a1.statement.id}.pdf`, w.tokens.alice);
      expect(pdf.statusCode).toBe(200);
      const answer = (await w.json('GET', `/api/v1/partner/statements/${a1.statement.id}`, w.tokens.alice)).json() as { document: unknown; jws: string | null };
      expect(answer.jws).not.toBeNull();
      const report = await verifyStatementFiles({
        json: { file: 'a1.statement.json', text: `${canonicalJson(answer.document)}\n` },
        jws: { file: 'a1.statement.jws', text: answer.jws ?? '' },
        pdf: { file: 'a1.statement.pdf', bytes: pdf.rawPayload },
        trustAnchorPem: certificatePem,
        now: NOW,
      });
      expect(report.checks.filter((check) => !check.ok)).toEqual([]);
      expect(report.ok).toBe(true);
      expect(report.sha256).toBe(a1.statement.hash);

      // The audit trail says the server signed it, with which certificate.
      const { rows: audit } = await db.query<{ action: string; by: string; sha256: string; certificate: string }>(
        "select body->>'action' as action, body->>'actor' as by, body->'details'->>'sha256' as sha256, body->'details'->>'certificate' as certificate from sync_documents where collection = 'audit_events' and body->>'action' = 'statement_artifacts.signed'",
      );
      expect(audit).toEqual([{ action: 'statement_artifacts.signed', by: 'server', sha256: a1.statement.hash, certificate: signing.organization.certificate.fingerprint256 }]);
    }, 120_000);

    it('holds a statement.approved webhook until the server has signed the statement, at most the hold time', async () => {
      const hook = await w.json('POST', '/api/v1/admin/partners/A/webhooks', w.tokens.root, { url: 'https://93.184.215.14/hook', events: ['statement.approved'] });
      expect(hook.statusCode).toBe(201);
      const hold = { waitForSignedFiles: { holdMs: 60_000 } };
      const at = (plusMs: number) => new Date(w.t.clock.nowMs + plusMs).toISOString();
      const queued = async () => (await db.query<{ event_type: string; statement: string }>("select event_type, body::jsonb->'data'->'statement'->>'id' as statement from webhook_deliveries order by statement")).rows; // by statement id: st_run_feb_A < st_run_jan_A < st_run_jan_A_r2
      // A1 and B1 (signed or stored above) go out; revision 2 of A, approved now, waits for its files.
      await w.approve(RUNS.a2());
      await scanWebhookEvents(db, at(1_000), hold);
      expect(await queued()).toEqual([{ event_type: 'statement.approved', statement: w.a1.id }]);
      expect(await signApprovedStatements(db, signing, () => NOW, () => undefined)).toEqual([w.a2.id]);
      await scanWebhookEvents(db, at(2_000), hold);
      expect((await queued()).map((each) => each.statement)).toEqual([w.a1.id, w.a2.id]);
      // February's statement, approved now, is not signed (no signer runs here): it waits, then goes out once the hold is over.
      expect((await w.json('POST', `/api/v1/statements/${w.aFeb.id}/approve`, w.tokens.cy, { statementHash: w.aFeb.hash })).statusCode).toBe(201);
      await scanWebhookEvents(db, at(59_000), hold);
      expect((await queued()).map((each) => each.statement)).toEqual([w.a1.id, w.a2.id]);
      await scanWebhookEvents(db, at(60_000), hold);
      expect((await queued()).map((each) => each.statement)).toEqual([w.aFeb.id, w.a1.id, w.a2.id]);
    }, 120_000);
  });
}

describe('the server’s signing settings', () => {
  it('takes the P12 and its passphrase file together, and opens them at start (a wrong passphrase is refused without printing it)', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'settledesk-server-signing-'));
    try {
      const certificate = createDevCertificate({ organization: 'Example Platform GmbH', passphrase: 'right-passphrase', now: NOW });
      const p12File = path.join(dir, 'org.p12');
      writeFileSync(p12File, certificate.p12);
      writeFileSync(path.join(dir, 'right'), 'right-passphrase\n');
      writeFileSync(path.join(dir, 'wrong'), 'wrong-passphrase\n');
      expect(() => readConfig(['--signing-p12', p12File], {})).toThrow(ConfigError);
      const config = readConfig([], { SETTLEDESK_SIGNING_P12: p12File, SETTLEDESK_SIGNING_PASSPHRASE_FILE: path.join(dir, 'right') });
      const signing = await loadServerSigning(config.signingP12 ?? '', config.signingPassphraseFile ?? '');
      expect(signing.organization.certificate.organization).toBe('Example Platform GmbH');
      expect(signing.organization.certificate.development).toBe(true);
      const refused = await loadServerSigning(p12File, path.join(dir, 'wrong')).then(() => null, (error: unknown) => error as { code: string; message: string });
      expect(refused?.code).toBe('p12_passphrase_wrong');
      expect(refused?.message).not.toContain('wrong-passphrase');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
