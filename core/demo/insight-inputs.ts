import { assert } from '../assert.ts';
import { sha256Hex } from '../hash/sha256.ts';
import { partnerReportImporter, parsePartnerReport } from '../importers/partner-report.ts';
import { partnerReportRows, type PartnerReportClaims } from '../importers/partner-report-rows.ts';
import type { PartnerReportRow, ReportDelivery } from '../insight/types.ts';
import { idFromReference } from '../transactions/identity.ts';
import type { CanonicalTransaction } from '../transactions/schema.ts';
import { parseAgreements, type AgreementVersion } from '../settlement/agreement.ts';
import type { DemoTransaction } from './activity.ts';
import type { DemoFile } from './writers/text.ts';
import { decimalOf } from './writers/text.ts';

/**
 * Feeds a generated month to core/insight the way the desk would: partner reports and
 * agreements are read back from the generated files; PSP movements are given as the canonical
 * transactions the PSP importers produce (same ids, kinds, partner and product), built from the
 * month in memory so insight can be measured before every importer exists.
 */
export function canonicalFromDemo(transactions: readonly DemoTransaction[]): CanonicalTransaction[] {
  return transactions.map((t, index) => ({
    id: idFromReference(`psp:${t.psp}`, null, t.id),
    source: { sourceId: `demo-${t.psp}`, format: t.psp, fileName: `${t.psp}.csv`, line: index + 2 },
    kind: t.kind,
    occurredAt: `${t.day}T${t.time}Z`,
    bookingDate: null,
    valueDate: null,
    amount: decimalOf(t.amountMinor, t.currency),
    currency: t.currency,
    account: t.psp,
    partnerId: t.partnerId,
    productId: t.productId,
    channel: t.psp,
    counterparty: { name: null, account: null },
    references: { externalId: t.id, batchId: t.payoutId, endToEndId: null, bankReference: null },
    description: t.orderRef,
    customerRef: t.customerId,
    raw: {},
  }));
}

/**
 * Reads every partner report file back through the partner-report importer, as the desk would:
 * the share each report claims per product and day, and when it was delivered (its generation
 * time). A generated report the importer does not read in full is a bug in the generator.
 * `hashHex` gives each file's SHA-256 for the import context, as in generateDemoMonth.
 */
export function readUsageReports(files: readonly DemoFile[], hashHex: (text: string) => string = sha256Hex): PartnerReportClaims {
  const rows: PartnerReportRow[] = [];
  const deliveries: ReportDelivery[] = [];
  for (const file of files) {
    if (!file.path.startsWith('partner-reports/')) continue;
    assert(partnerReportImporter.sniff(file.text, file.path), 'a generated usage report is recognized as a partner report', { path: file.path });
    const parsed = parsePartnerReport(file.text, { fileName: file.path, sha256: hashHex(file.text), pseudonymize: (id) => id });
    assert(parsed.rejected.length === 0, 'a generated usage report imports without rejections', { path: file.path, first: parsed.rejected[0]?.reason ?? null });
    const claims = partnerReportRows(parsed);
    rows.push(...claims.rows);
    deliveries.push(...claims.deliveries);
  }
  return { rows, deliveries };
}

export function readAgreements(files: readonly DemoFile[]): AgreementVersion[] {
  return files.filter((f) => f.path.startsWith('agreements/')).flatMap((f) => parseAgreements(JSON.parse(f.text), { file: f.path }));
}


