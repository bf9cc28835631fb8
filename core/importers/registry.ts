import type { ImporterRegistry } from '../ingest/import-file.ts';
import { adyenImporter } from './adyen.ts';
import { bai2Importer } from './bai2.ts';
import { camt052Importer, camt053Importer, camt054Importer } from './camt.ts';
import { csvImporter } from './csv.ts';
import { ledgerCsvImporter } from './ledger-csv.ts';
import { mt940Importer } from './mt940.ts';
import { ofxImporter } from './ofx.ts';
import { partnerReportImporter } from './partner-report.ts';
import { paypalImporter } from './paypal.ts';
import { stripeImporter } from './stripe.ts';

/**
 * Every importer, in detection order: structured formats, then PSP reports by their header row,
 * then the internal ledger CSV and partner reports; generic CSV last (it needs a mapping profile and is never sniffed).
 */
export const IMPORTERS: ImporterRegistry = [
  ['camt.052', camt052Importer],
  ['camt.053', camt053Importer],
  ['camt.054', camt054Importer],
  ['ofx', ofxImporter],
  ['mt940', mt940Importer],
  ['bai2', bai2Importer],
  ['stripe', stripeImporter],
  ['adyen', adyenImporter],
  ['paypal', paypalImporter],
  ['ledger-csv', ledgerCsvImporter],
  ['partner-report', partnerReportImporter],
  ['csv', csvImporter],
];
