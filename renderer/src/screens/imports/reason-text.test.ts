import { readFileSync } from 'node:fs';
import { IDBKeyRange, indexedDB } from 'fake-indexeddb';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseCsvProfile, type CsvProfileInput } from '../../../../core/importers/csv-profile.ts';
import { csvImporter, decodeWithProfile } from '../../../../core/importers/csv.ts';
import { partnerReportImporter } from '../../../../core/importers/partner-report.ts';
import { paypalImporter } from '../../../../core/importers/paypal.ts';
import { stripeImporter } from '../../../../core/importers/stripe.ts';
import { ledgerCsvImporter } from '../../../../core/importers/ledger-csv.ts';
import { finalizeImport } from '../../../../core/ingest/pipeline.ts';
import type { Rejection } from '../../../../core/ingest/result.ts';
import { SettleDeskError } from '../../../../core/errors.ts';
import { camt053Importer, readCamt } from '../../../../core/importers/camt.ts';
import { OFX_PROBLEM_CODES, streamOfx } from '../../../../core/importers/ofx.ts';
import { MT940_PROBLEM_CODES, parseMt940 } from '../../../../core/importers/mt940.ts';
import { BAI2_PROBLEM_CODES, readBai2 } from '../../../../core/importers/bai2.ts';
import { createStreamDecoder, decodeText } from '../../../../core/ingest/decode.ts';
import { FILE_BYTES_MAX, importFile } from '../../../../core/ingest/import-file.ts';
import { IMPORTERS } from '../../../../core/importers/registry.ts';
import { readXmlDocument, XML_LIMITS_DEFAULT, XML_PROBLEM_CODES, xmlProblemOf } from '../../../../core/importers/xml-safety.ts';
import { exactAmount, isProblem } from '../../../../core/importers/row-values.ts';
import { AMOUNT_CAUSE_NAMES, AMOUNT_FORMATS, type AmountFormatName } from '../../../../core/money/parse.ts';
import { i18next, startI18n } from '../../../i18n/index.ts';
import { expectSameKeysAndPlaceholders, latinOnlyKeys, textLeaves as leaves } from '../../../i18n/text-tree.test-support.ts';
import { csvPreview } from '../../../engine/csv-preview.ts';
import { importFiles } from '../../../engine/import-files.ts';
import type { FileOutcome } from '../../../engine/protocol.ts';
import { recordOfDoc, recordOfOutcome } from '../../app/import-records.ts';
import { openDesk } from '../../../desk/desk.ts';
import { fileRefusal, rejectionReason, type SaidReason } from './reason-text.ts';
import { REJECTION_REASONS_NS, registerRejectionReasonTexts, rejectionReasonsEn, rejectionReasonsKo } from './reason-texts.ts';

const fixture = (name: string): Uint8Array => new Uint8Array(readFileSync(new URL(`../../../../core/importers/fixtures/csv/${name}`, import.meta.url)));
const context = (fileName: string) => ({ fileName, sha256: 'f'.repeat(64), pseudonymize: (id: string) => `pseudo(${id})` });
const say = <R extends SaidReason>(locale: 'en' | 'ko', rejections: readonly R[]) => rejections.map((rejection) => rejectionReason(rejection, i18next.getFixedT(locale, REJECTION_REASONS_NS)));

// The profile a user would save beside the orders export.
const usOrders = JSON.parse(readFileSync(new URL('../../../../core/importers/fixtures/csv/orders-us-utf8-bom.profile.json', import.meta.url), 'utf8')) as CsvProfileInput;

/** The orders fixture's rejected rows in Korean. */
const ORDERS_KO = [
  'Amount: 금액 "12.3.4": 소수점 "."이(가) 둘 이상 있음',
  '1행의 헤더처럼 열이 8개여야 하지만 6개임',
  'Type: "giftcard"이(가) 프로필의 종류 매핑에 없음',
  'Currency: "XYZ"은(는) 보조 단위가 있는 ISO 4217 통화 코드가 아님',
  'Amount: 0.015의 소수 자릿수가 USD에서 허용하는 2자리보다 많음',
  'Order ID: 비어 있음, 프로필은 이 참조로 행을 식별함',
];

describe('a rejected row\'s reason in the analyst\'s language', () => {
  beforeAll(async () => {
    await startI18n('en');
    registerRejectionReasonTexts();
  });

  it('Korean has every English key, with the same placeholders, in Hangul', () => {
    expectSameKeysAndPlaceholders(leaves(rejectionReasonsEn), leaves(rejectionReasonsKo));
    expect(latinOnlyKeys(leaves(rejectionReasonsKo))).toEqual([]);
  });

  it('says the generic CSV importer\'s reasons by code: the English as the importer wrote it, Korean from the same values', () => {
    const text = decodeWithProfile(fixture('orders-us-utf8-bom.csv'), 'orders.csv', parseCsvProfile(usOrders)).text;
    const { rejected } = csvImporter.parse(text, context('orders.csv'), usOrders);
    // Line 5 is said by parseAmount's cause and the separator it names, as core words it.
    expect(say('en', rejected)).toEqual(['Amount: amount "12.3.4": more than one decimal separator "."', 'expected 8 columns as in the header on line 1, found 6', ...rejected.slice(2).map((rejection) => rejection.reason)]);
    expect(say('ko', rejected)).toEqual(ORDERS_KO);
  });

  it('says them in Korean after a reload: the desk\'s import document keeps each rejection\'s code and values', async () => {
    const text = decodeWithProfile(fixture('orders-us-utf8-bom.csv'), 'orders.csv', parseCsvProfile(usOrders)).text;
    const result = finalizeImport(csvImporter.parse(text, context('orders.csv'), usOrders), context('orders.csv'), 'csv', text.length);
    const options = { name: `reason_text_reload_${process.pid}`, userId: 'ana', indexedDB, IDBKeyRange };
    const first = await openDesk(options);
    await first.storeImport(result, { importId: 'imp_orders', importedAt: '2026-03-05T09:00:00Z' });
    await first.close();
    const again = await openDesk(options);
    try {
      const docs = await again.listImports();
      expect(docs.map((doc) => doc.id)).toEqual(['imp_orders']);
      const { rejections } = recordOfDoc(docs[0] as (typeof docs)[number]);
      expect(rejections.map((row) => [row.line, row.says, row.params])).toEqual(result.rejected.map((row) => [row.line, row.says, row.params]));
      expect(rejections[0]).toMatchObject({ says: 'amount_unreadable', params: { columnName: 'Amount', value: '12.3.4' }, raw: null });
      expect(say('ko', rejections)).toEqual(ORDERS_KO);
    } finally {
      await again.close();
    }
  });

  it('says every cause parseAmount names, with its values: the English word for word as core wrote it, the Korean whole', () => {
    const cells: [string, AmountFormatName][] = [
      ['x'.repeat(65), 'plain'],
      ['', 'plain'],
      [' - ', 'plain'],
      ['1E-2', 'plain'],
      ['-(12.00)', 'en'],
      ['12.5O', 'plain'],
      ['.', 'plain'],
      ['1,2,3', 'plain-comma'],
      ['1.234.5', 'de'],
      ['$12.00', 'plain'],
    ];
    const problems = cells.map(([text, format]) => exactAmount(text, AMOUNT_FORMATS[format], 'Betrag'));
    const said = problems.filter(isProblem);
    expect(said.map((problem) => problem.params?.problem)).toEqual(AMOUNT_CAUSE_NAMES);
    expect(say('en', said)).toEqual(said.map((problem) => problem.reason));
    expect(say('ko', said)).toEqual([
      'Betrag: 금액 "xxxxxxxxxxxxxxxxxxxx…": 64자보다 김',
      'Betrag: 금액 "": 비어 있음, 숫자가 필요함',
      'Betrag: 금액 " - ": "-"만 있음, 숫자가 필요함',
      'Betrag: 금액 "1E-2": 금액에는 지수 표기를 쓸 수 없음',
      'Betrag: 금액 "-(12.00)": 부호가 둘 이상임 (마이너스, 뒤쪽 마이너스 또는 괄호)',
      'Betrag: 금액 "12.5O": 소수점 "." 뒤에 숫자가 와야 함',
      'Betrag: 금액 ".": 숫자가 없음',
      'Betrag: 금액 "1,2,3": 소수점 ","이(가) 둘 이상 있음',
      'Betrag: 금액 "1.234.5": 자릿수 구분이 형식과 맞지 않음 (소수점 ",", 자릿수 구분 기호 ["."])',
      'Betrag: 금액 "$12.00": 1234.56 같은 숫자가 필요함',
    ]);
    // A rejection an older desk stored names parseAmount's code, no cause: said by the importer's English.
    const stored = { reason: 'Amount: amount "12.3.4": more than one decimal separator "."', says: 'amount_unreadable', params: { columnName: 'Amount', value: '12.3.4', problem: 'amount_not_decimal' } };
    expect(say('ko', [stored])).toEqual([stored.reason]);
  });

  it('says a camt entry\'s reasons by code: the English as core wrote it, Korean from the same values', () => {
    const text = readFileSync(new URL('../../../../core/importers/fixtures/camt/camt053-v02-bad-entries.xml', import.meta.url), 'utf8');
    const { rejected } = camt053Importer.parse(text, context('bad.xml'), undefined);
    expect(say('en', rejected)).toEqual(rejected.map((rejection) => rejection.reason));
    expect(say('ko', rejected)).toEqual([
      '금액 "12,34": 자릿수 구분이 형식과 맞지 않음 (소수점 ".", 자릿수 구분 기호 [])',
      'BookgDt: Dt YYYY-MM-DD 또는 DtTm YYYY-MM-DDThh:mm:ss[오프셋] 형식이어야 함',
      '항목에 CdtDbtInd가 없음',
      '알 수 없는 통화 "XYZ"',
      '금액 "5.5"의 소수 자릿수가 JPY에서 허용하는 0자리보다 많음',
      '금액 "-5.00": camt 금액에는 부호가 없으며 방향은 CdtDbtInd가 나타냄',
      '항목에 BookgDt도 ValDt도 없음',
    ]);
  });

  it('says an OFX transaction\'s reasons by code: the English as core wrote it, Korean from the same values', () => {
    const text = readFileSync(new URL('../../../../core/importers/fixtures/ofx/ofx-bad-entries.ofx', import.meta.url), 'utf8');
    const { rejected } = streamOfx(text, 'bad.ofx', () => undefined);
    const noCurrency = streamOfx(text.replace('<CURDEF>USD', '<CURDEF>'), 'bad.ofx', () => undefined).rejected.slice(0, 1);
    const said = [...rejected, ...noCurrency];
    expect(say('en', said)).toEqual(said.map((rejection) => rejection.reason));
    expect(say('ko', said)).toEqual([
      '금액 "12.3.4": 소수점 "."이(가) 둘 이상 있음',
      'DTPOSTED "20240231": YYYYMMDD[HHMMSS[.XXX]][[오프셋:시간대]] 형식이어야 함',
      '거래에 DTPOSTED가 없음',
      '금액 "-1.005"의 소수 자릿수가 USD에서 허용하는 2자리보다 많음',
      '거래에 TRNAMT가 없음',
      'CURDEF가 비어 있고 거래에도 CURRENCY/CURSYM이 없음',
    ]);
  });

  it('says PayPal\'s and a partner report\'s reasons by code, a kind in words', () => {
    const paypal = paypalImporter.parse(new TextDecoder().decode(fixture('paypal-activity-download.csv')), context('paypal.csv'), undefined).rejected;
    // Line 9: 10.00 less the fee 0.79 is 9.21, not the 9.20 the row says.
    expect(say('ko', paypal)).toEqual([
      'Balance Impact가 Memo임: 잔액 변동을 기록하지 않는 행 (승인, 보류 또는 거절된 결제)',
      'Gross 10.00 - Fee 0.79이(가) Net 9.20와(과) 다름',
      'Date/Time/TimeZone: "13/08/2026 09:00:00 PDT"은(는) 알려진 시간대의 "MM/DD/YYYY HH:mm:ss" 형식이 아님',
      'Type: "Mass Pay Payment"은(는) 이 가져오기 도구가 아는 PayPal 거래 유형이 아님',
    ]);
    expect(say('en', paypal)).toEqual(paypal.map((rejection) => rejection.reason));
    const sora = partnerReportImporter.parse(new TextDecoder().decode(fixture('partner-usage-studio-sora-2026-03.csv')), context('sora.csv')).rejected;
    expect(say('ko', [sora[0], sora[1], sora[5]] as Rejection[])).toEqual([
      'net: 10.99이(가) gross 9.99보다 큼. 환불은 판매 행의 순액을 낮출 수만 있음',
      'net: -200.00이(가) gross -250.00와(과) 다르지만 판매 행만 환불을 순액에서 뺌 (이 행은 환불)',
      'generated_at: "2026-03-08 18:30"은(는) 2026-04-02T09:30:00Z처럼 오프셋이 있는 ISO 8601 시각이 아님',
    ]);
    expect(say('en', [sora[0], sora[1], sora[5]] as Rejection[])).toEqual([sora[0]?.reason, sora[1]?.reason, sora[5]?.reason]);
    // The line schema's problems: units not whole, a kind not in the list, an empty product.
    const hana = partnerReportImporter.parse(new TextDecoder().decode(fixture('partner-usage-studio-hana-2026-03.csv')), context('hana.csv')).rejected.slice(1);
    expect(say('en', hana)).toEqual(hana.map((rejection) => rejection.reason));
    expect(say('ko', hana)).toEqual([
      'units: 수량은 정수여야 함',
      'kind: 허용되지 않는 종류. 다음 중 하나여야 함: "sale"|"refund"|"chargeback"|"fee"|"payout"|"promotion"|"adjustment"|"tax"|"transfer"',
      'product: 비어 있음, 값이 필요함',
    ]);
  });

  it('says Stripe\'s reasons by code, in both layouts', () => {
    const dashboard = new TextDecoder().decode(fixture('stripe-balance-transactions.csv'));
    const report = new TextDecoder().decode(fixture('stripe-balance-change-report.csv'));
    // Line 2 available 'soon', line 3 created with a dotted date, line 4 with no id (the Dashboard export's lines 8 and 10 as they are).
    const broken = dashboard
      .replace('96.80,usd,2026-03-02 14:05,2026-03-04 00:00', '96.80,usd,2026-03-02 14:05,soon')
      .replace('2026-03-02 23:59,2026-03-04 00:00', '02.03.2026,2026-03-04 00:00')
      .replace(/\ntxn_[^,]*,refund,/, '\n,refund,');
    const rejected = [...stripeImporter.parse(broken, context('stripe.csv'), undefined).rejected, ...stripeImporter.parse(report, context('report.csv'), undefined).rejected];
    expect(say('en', rejected)).toEqual(rejected.map((rejection) => rejection.reason));
    expect(say('ko', rejected)).toEqual([
      'Available On (UTC): "soon"은(는) 날짜가 아님',
      'Created (UTC): "02.03.2026"은(는) "YYYY-MM-DD HH:mm[:ss]" 형식이 아님',
      'id: 비어 있음, 잔액 거래 id(txn_…)가 필요함',
      // 50.00 - 1.75 = 48.25, the row says 48.00.
      'Amount 50.00 - Fee 1.75이(가) Net 48.00와(과) 다름',
      'Type: "issuing_authorization_hold"은(는) 이 가져오기 도구가 아는 Stripe 잔액 거래 유형이 아님',
      'reporting_category: "issuing_authorization_hold"은(는) 이 가져오기 도구가 아는 Stripe 보고 범주가 아님',
      // 10.00 - 0.59 = 9.41, the report says 9.40.
      'gross 10.00 - fee 0.59이(가) net 9.40와(과) 다름',
    ]);
    // The export's line 2 pasted above its header.
    const pasted = stripeImporter.parse(`${dashboard.split('\n')[1] ?? ''}\n${dashboard}`, context('stripe.csv'), undefined).rejected.slice(0, 1);
    expect(say('en', pasted)).toEqual(['reads as a report row but stands above the header; move it below the header or delete it']);
    expect(say('ko', pasted)).toEqual(['보고서 행으로 읽히지만 헤더보다 위에 있음. 헤더 아래로 옮기거나 삭제하세요']);
  });

  it('says the ledger CSV\'s reasons by code (the generic CSV\'s)', () => {
    // The ledger fixture's lines 5-8 (12.5O, 2026-03-32, gift, EUX), and its line 9 given a tenth cell.
    const ledger = readFileSync(new URL('../../../../core/importers/fixtures/ledger/ledger.csv', import.meta.url), 'utf8').replace('\nL-8,', '\nX,L-8,');
    const rejected = ledgerCsvImporter.parse(ledger, context('ledger.csv'), undefined).rejected;
    // Line 5 is said by parseAmount's cause in both languages, the English as core wrote it.
    expect(say('en', rejected)).toEqual(rejected.map((rejection) => rejection.reason));
    expect(say('ko', rejected)).toEqual([
      'amount: 금액 "12.5O": 소수점 "." 뒤에 숫자가 와야 함',
      'date: "2026-03-32"은(는) YYYY-MM-DD 형식의 올바른 날짜가 아님',
      'kind: "gift"이(가) 프로필의 종류 매핑에 없음',
      'currency: "EUX"은(는) 보조 단위가 있는 ISO 4217 통화 코드가 아님',
      '1행의 헤더처럼 열이 9개여야 하지만 10개임',
    ]);
  });

  it('says a whole file refused from the error\'s details: English as core wrote it after the file, Korean from the same values', () => {
    const refused = (run: () => unknown): SettleDeskError => {
      try {
        run();
      } catch (error) {
        if (error instanceof SettleDeskError) return error;
      }
      throw new Error('expected a SettleDeskError');
    };
    const noHeader = refused(() => csvImporter.parse('Date,Amount,Currency\n03/01/2026,1.00,USD\n', context('x.csv'), usOrders));
    const doctype = refused(() => readXmlDocument('<?xml version="1.0"?>\n<!DOCTYPE x [<!ENTITY e "e">]>\n<a/>', 'x.xml'));
    const broken = refused(() => readXmlDocument('<a>\n  <b></a>', 'x.xml'));
    const said = (locale: 'en' | 'ko') => [noHeader, doctype, broken].map((error) => fileRefusal(error.details, i18next.getFixedT(locale, REJECTION_REASONS_NS)));
    expect(said('en')).toEqual([noHeader, doctype, broken].map((error) => error.message.slice(error.message.indexOf(': ') + 2)));
    expect(said('ko')).toEqual([
      '처음 30행에서 필요한 열이 있는 헤더 행을 찾지 못함. 없는 열: "Type", "Order ID", "Partner", "Product", "Memo"',
      '2행 1열의 DOCTYPE 또는 ENTITY 선언을 거부함 (은행 파일에는 필요 없으며 XXE와 엔티티 확장 공격에 쓰이는 방식임)',
      // The XML parser's message read as a code and values, said whole in Korean.
      '2행 6열에서 올바른 형식의 XML이 아님: 2행 3열에서 열린 <b>을(를) 닫는 </b>이(가) 와야 하는데 </a>이(가) 있음',
    ]);
    // A partner report in JSON cut short and one with a trailing comma (json-text's codes, carried on by partner-report).
    const cut = refused(() => partnerReportImporter.parse('{"partner": "p",\n "lines": [', context('cut.json')));
    const comma = refused(() => partnerReportImporter.parse('{"partner": "p",}', context('comma.json')));
    expect([cut, comma].map((error) => fileRefusal(error.details, i18next.getFixedT('en', REJECTION_REASONS_NS)))).toEqual([cut, comma].map((error) => error.message.slice(error.message.indexOf(':') + 1)));
    expect([cut, comma].map((error) => fileRefusal(error.details, i18next.getFixedT('ko', REJECTION_REASONS_NS)))).toEqual([
      '2행 12열: 올바른 JSON이 아님 (와야 할 것: 값 또는 \']\', 실제: 파일 끝)',
      '1행 17열: 올바른 JSON이 아님 (와야 할 것: 큰따옴표로 묶은 속성 이름, 실제: "}")',
    ]);
    // JSON that is not a partner report: its first problem by code, and how many more.
    const stripeLike = refused(() => partnerReportImporter.parse('{"object": "list", "data": []}', context('balance.json')));
    const reversed = refused(() => partnerReportImporter.parse('{"format": "settledesk.partner-report/1", "partner": "p", "period": {"start": "2026-03-31", "end": "2026-03-01"}, "lines": []}', context('r.json')));
    const listless = refused(() => partnerReportImporter.parse('{"format": "settledesk.partner-report/1", "partner": "p", "period": {"start": "2026-03-01", "end": "2026-03-31"}, "lines": {}, "total": 1}', context('r.json')));
    const reports = [stripeLike, reversed, listless];
    expect(reports.map((error) => fileRefusal(error.details, i18next.getFixedT('en', REJECTION_REASONS_NS)))).toEqual(reports.map((error) => error.message.slice(error.message.indexOf(': ') + 2)));
    expect(reports.map((error) => fileRefusal(error.details, i18next.getFixedT('ko', REJECTION_REASONS_NS)))).toEqual([
      '파트너 보고서가 아님: format: "settledesk.partner-report/1"이어야 함 (외 4건)',
      '파트너 보고서가 아님: period: 시작일 2026-03-31이(가) 종료일 2026-03-01보다 늦음',
      '파트너 보고서가 아님: lines: 목록 형식이어야 함 (외 1건)',
    ]);
    expect(fileRefusal({ says: 'not_partner_report', field: 'lines', issue: 'type', expected: 'bigint', more: '0' }, i18next.getFixedT('ko', REJECTION_REASONS_NS))).toBeNull();
    expect(fileRefusal({ says: 'xml_too_deep' }, i18next.getFixedT('ko', REJECTION_REASONS_NS))).toBeNull();
    expect(fileRefusal({ says: 'no_such_refusal' }, i18next.getFixedT('ko', REJECTION_REASONS_NS))).toBeNull();
    expect(fileRefusal(undefined, i18next.getFixedT('ko', REJECTION_REASONS_NS))).toBeNull();
  });

  it('says why XML is not well-formed by xml-safety\'s code: the English as core wrote it, Korean whole; a parser message not read there as its own words, marked', () => {
    expect(Object.keys(rejectionReasonsEn.xmlProblem)).toEqual(XML_PROBLEM_CODES);
    const texts = ['<a><b>', 'hello', '</a>', '<a b="1" b="2"/>', '<a>&nbsp;</a>', '<a/><b/>', '<?xml version="1.0"?>', '<a>\n<b>12345678901</b></a>', '<a c="12345678901"/>'];
    const refusals = texts.map((text) => {
      try {
        readXmlDocument(text, 'x.xml', { ...XML_LIMITS_DEFAULT, fieldLengthMax: 10 });
      } catch (error) {
        if (error instanceof SettleDeskError) return error;
      }
      throw new Error(`expected ${text} refused`);
    });
    expect(refusals.map((error) => fileRefusal(error.details, i18next.getFixedT('en', REJECTION_REASONS_NS)))).toEqual(refusals.map((error) => error.message.slice('x.xml: '.length)));
    expect(refusals.map((error) => fileRefusal(error.details, i18next.getFixedT('ko', REJECTION_REASONS_NS)))).toEqual([
      '1행 1열에서 올바른 형식의 XML이 아님: <a>, <b>이(가) 닫히지 않음',
      '1행 1열에서 올바른 형식의 XML이 아님: 예상하지 못한 문자 "h"',
      '1행 1열에서 올바른 형식의 XML이 아님: </a>이(가) 열리지 않은 요소를 닫음',
      '1행 10열에서 올바른 형식의 XML이 아님: 속성 b이(가) 두 번 있음',
      '1행에서 올바른 형식의 XML이 아님: <a>의 텍스트: "&" 뒤에는 &lt; &gt; &amp; &quot; &apos; 또는 문자 참조가 와야 하지만 "&nbsp;"이(가) 있음',
      '1행 5열에서 올바른 형식의 XML이 아님: 루트 요소가 정확히 하나여야 하지만 2개임',
      '1행에서 올바른 형식의 XML이 아님: 요소가 없음: 시작 태그가 필요함',
      '2행의 <b> 텍스트가 11자로 10자보다 많음',
      '1행의 속성 c이(가) 11자로 10자보다 많음',
    ]);
    // A message of a later parser version: kept, marked as the parser's English.
    const unknown = { says: 'xml_malformed_at', line: '3', column: '7', ...xmlProblemOf('Something new went wrong.') };
    expect(unknown).toMatchObject({ problem: 'parser', words: 'Something new went wrong.' });
    expect(fileRefusal(unknown, i18next.getFixedT('ko', REJECTION_REASONS_NS))).toBe('3행 7열에서 올바른 형식의 XML이 아님: XML 파서의 메시지(영어): Something new went wrong.');
    // A code this desk does not know (a newer core's) or one lacking its values: core's English message is shown instead.
    expect(fileRefusal({ says: 'xml_malformed_line', line: '3', problem: 'something_new' }, i18next.getFixedT('ko', REJECTION_REASONS_NS))).toBeNull();
    expect(fileRefusal({ says: 'xml_malformed_line', line: '3', problem: 'tag_unclosed' }, i18next.getFixedT('ko', REJECTION_REASONS_NS))).toBeNull();
  });

  it('says a camt file refused as a whole: the English as core wrote it, Korean from the same values', () => {
    const camt = (text: string, expected: 'camt.053' | 'camt.054' = 'camt.053'): SettleDeskError => {
      try {
        readCamt(text, 'x.xml', expected);
      } catch (error) {
        if (error instanceof SettleDeskError) return error;
      }
      throw new Error('expected a refusal');
    };
    const v08 = (body: string) => `<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.08">${body}</Document>`;
    const statement = (account: string, balance: string) => `<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.02"><BkToCstmrStmt><Stmt><Id>X</Id>\n<Acct>${account}</Acct>\n${balance}\n</Stmt></BkToCstmrStmt></Document>`;
    const account = '<Id><IBAN>DE89370400440532013000</IBAN></Id><Ccy>EUR</Ccy>';
    const balance = (amount: string, creditDebit = 'CRDT', date = '<Dt>2024-03-01</Dt>') => `<Bal><Tp><CdOrPrtry><Cd>OPBD</Cd></CdOrPrtry></Tp>${amount}<CdtDbtInd>${creditDebit}</CdtDbtInd><Dt>${date}</Dt></Bal>`;
    const refusals = [
      camt(statement(account, balance('<Amt Ccy="XXQ">1.00</Amt>'))),
      camt(statement(account, balance('<Amt Ccy="EUR">1,00</Amt>'))),
      camt(statement(account, balance('<Amt Ccy="JPY">1.5</Amt>'))),
      camt(statement(account, balance('<Amt Ccy="EUR">1.00</Amt>', 'UP'))),
      camt(statement(account, balance('<Amt Ccy="EUR">1.00</Amt>', 'CRDT', '<Dt>x</Dt>'))),
      camt(statement('<Ccy>EUR</Ccy>', '')),
      camt(statement('<Id><IBAN>DE89370400440532013000</IBAN></Id><Ccy>XYZ</Ccy>', '')),
      camt('<Statement xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.02"/>'),
      camt('<Document xmlns="urn:example:statement"/>'),
      camt('<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.09"/>'),
      camt(v08('<BkToCstmrStmt/>'), 'camt.054'),
      camt(v08('<Other/>')),
      camt(v08('<BkToCstmrStmt>\n<Stmx><Ntry/></Stmx></BkToCstmrStmt>')),
    ];
    expect(refusals.map((error) => fileRefusal(error.details, i18next.getFixedT('en', REJECTION_REASONS_NS)))).toEqual(refusals.map((error) => error.message.slice('x.xml: '.length)));
    expect(refusals.map((error) => fileRefusal(error.details, i18next.getFixedT('ko', REJECTION_REASONS_NS)))).toEqual([
      '3행 Stmt/Bal/Amt: 잔액 OPBD에 알려진 Ccy가 있는 Amt가 필요함',
      '3행 Stmt/Bal/Amt: 잔액 OPBD: 금액 "1,00": 자릿수 구분이 형식과 맞지 않음 (소수점 ".", 자릿수 구분 기호 [])',
      '3행 Stmt/Bal/Amt: 잔액 OPBD: 금액 "1.5"의 소수 자릿수가 JPY에서 허용하는 0자리보다 많음',
      '3행 Stmt/Bal/CdtDbtInd: 잔액 OPBD: CdtDbtInd는 CRDT 또는 DBIT여야 함',
      '3행 Stmt/Bal/Dt: 잔액 OPBD: Dt YYYY-MM-DD 또는 DtTm 형식이어야 함',
      '1행 Stmt/Acct/Id: 계좌에 IBAN도 Othr/Id도 없음',
      '1행 Stmt/Acct/Ccy: 알 수 없는 통화 "XYZ"',
      '루트 요소가 <Statement>임. camt 파일은 <Document>로 시작함',
      '네임스페이스 "urn:example:statement"은(는) camt.052, camt.053, camt.054가 아님 (urn:iso:std:iso:20022:tech:xsd:camt.053.001.NN)',
      'camt.053.001.09은(는) 지원하지 않음 (지원 버전: 02~08)',
      '이 파일은 camt.054이(가) 아니라 camt.053.001.08 파일임',
      'camt.053.001.08의 <Document> 아래에 <BkToCstmrStmt>이(가) 없음',
      '2행: 메시지의 Stmt 밖에 있는 Ntry는 가져오면 사라지므로 거부함',
    ]);
    // A balance whose amount names a reason this screen does not know: core's English is shown instead.
    expect(fileRefusal({ ...refusals[1]?.details, amountSays: 'something_new' }, i18next.getFixedT('ko', REJECTION_REASONS_NS))).toBeNull();
  });

  it('says an OFX file refused as a whole: the English as core wrote it, Korean from the same values', () => {
    const texts = [
      'just some text',
      '<?xml version="1.0"?><BANK></BANK>',
      'OFXHEADER:100\n\n<!DOCTYPE x>\n<OFX></OFX>',
      `OFXHEADER:100\n\n${'<A>'.repeat(100)}`,
      'OFXHEADER:100\n\n<OFX><INVSTMTRS></INVSTMTRS></OFX>',
      `OFXHEADER:100\n\n<OFX><NAME>${'x'.repeat(100_001)}</OFX>`,
      `OFXHEADER:100\n\n<OFX><${'A'.repeat(50)}>x`,
      'OFXHEADER:100\n\n<OFX><STMTRS><CURDEF>USD<BANKACCTFROM><ACCTID>1</BANKACCTFROM><LEDGERBAL><BALAMT>x</LEDGERBAL></STMTRS></OFX>',
      'OFXHEADER:100\n\n<OFX></B></OFX>',
      'OFXHEADER:100\n\n<OFX><STMTRS><CURDEF>USD<BANKACCTFROM><ACCTID>1</BANKACCTFROM></STMTRS>\n<STMTTRN><TRNAMT>1.00</STMTTRN></OFX>',
    ];
    const refusals = texts.map((text) => {
      try {
        streamOfx(text, 'x.ofx', () => undefined);
      } catch (error) {
        if (error instanceof SettleDeskError) return error;
      }
      throw new Error('expected a refusal');
    });
    expect(refusals.map((error) => fileRefusal(error.details, i18next.getFixedT('en', REJECTION_REASONS_NS)))).toEqual(refusals.map((error) => error.message.slice('x.ofx: '.length)));
    expect(refusals.map((error) => fileRefusal(error.details, i18next.getFixedT('ko', REJECTION_REASONS_NS)))).toEqual([
      'OFX 파일이 아님 (OFXHEADER: 헤더나 <OFX>가 있어야 함)',
      '루트 요소가 <BANK>임. OFX 파일의 루트는 <OFX>임',
      '3행 1열의 DOCTYPE 또는 ENTITY 선언을 거부함 (은행 파일에는 필요 없으며 XXE와 엔티티 확장 공격에 쓰이는 방식임)',
      '3행에서 요소가 64단계보다 깊이 중첩됨',
      '3행: OFX 투자 명세서(INVSTMTRS)는 지원하지 않음',
      '3행의 <NAME>이(가) 100001자로 100000자보다 많음',
      '3행에서 열린 <OFX> 안의 줄 중간에서 파일이 끝남: 마지막 값이 잘렸을 수 있음',
      '3행 63열: LEDGERBAL/BALAMT "x"은(는) USD 금액이 아님',
      '3행 6열: </B>에 대응하는 열린 <B>이(가) 없음',
      '4행 1열: STMTRS나 CCSTMTRS의 BANKTRANLIST 밖에 있는 STMTTRN은 가져오면 사라지므로 거부함',
    ]);
    expect(Object.keys(rejectionReasonsEn.ofxProblem)).toEqual(OFX_PROBLEM_CODES);
  });

  it('says an MT940 file\'s refusals and rejected entries: the English as core wrote it, Korean from the same values', () => {
    const head = ':20:T\n:25:A\n:60F:C240101EUR0,\n';
    const texts = [
      'hello\n',
      `:20:${'T'.repeat(65)}\n`,
      ':61:240101C1,NTRFNONREF\n',
      ':20:T\n:25:A\n:60F:X\n',
      ':20:T\n:25:A\n:60F:C240230EUR0,\n',
      ':20:T\n:25:A\n:60F:C240101JPY1,5\n',
      ':20:T\n:25:A\n:60F:C240101EUR1,2,3\n',
      `${head}:62F:C240101EUR0,\n:61:240101C1,NTRFNONREF\n`,
      ':20:T\n:60F:C240101EUR0,\n',
      `${head}:62F:C240101USD0,\n`,
    ];
    const refusals = texts.map((text) => {
      try {
        parseMt940(text, 'x.sta');
      } catch (error) {
        if (error instanceof SettleDeskError) return error;
      }
      throw new Error('expected a refusal');
    });
    expect(refusals.map((error) => fileRefusal(error.details, i18next.getFixedT('en', REJECTION_REASONS_NS)))).toEqual(refusals.map((error) => error.message.slice('x.sta: '.length)));
    expect(refusals.map((error) => fileRefusal(error.details, i18next.getFixedT('ko', REJECTION_REASONS_NS)))).toEqual([
      'MT940 명세서를 찾지 못함 (:20:으로 시작하는 줄이 있어야 함)',
      '1행의 :20:이(가) 64자보다 김',
      '1행 :61: :20:보다 앞에 있음 (명세서는 :20:으로 시작함)',
      '3행 :60F: "X": C110522EUR3236,28처럼 C 또는 D, YYMMDD 날짜, 통화, 금액이 와야 함',
      '3행 :60F: 날짜 "240230"은(는) 달력에 있는 날짜가 아님 (YYMMDD)',
      '3행 :60F: 금액 "1,5"의 소수 자릿수가 JPY에서 허용하는 0자리보다 많음',
      '3행 :60F: 금액 "1,2,3": 소수점 ","이(가) 둘 이상 있음',
      '5행 :61: 기말 잔액 :62F:/:62M: 뒤에 있는 거래',
      '1행 :25: 없음: 1행에서 시작하는 명세서에 계좌가 없음',
      '4행 :62F: 기말 잔액 통화 USD이(가) 기초 잔액 통화 EUR와(과) 다름',
    ]);
    expect(Object.keys(rejectionReasonsEn.mt940Problem)).toEqual(MT940_PROBLEM_CODES);
    const entries = [':61:', ':61:240231C1,NTRFNONREF', ':61:2401011301C1,NTRFNONREF', ':61:240101X1,00NTRFNONREF', ':61:240101CNTRFNONREF', ':61:240101C1234567890123,45NTRFNONREF', ':61:240101C1.5NTRFNONREF', ':61:240101C1,00', `:61:240101C1,NTRF${'R'.repeat(300)}`, '61:240101C1,NTRFLOST'];
    const { rejected } = parseMt940(`${head}${entries.join('\n')}\n:62F:C240101EUR0,\n`, 'x.sta');
    expect(say('en', rejected)).toEqual(rejected.map((rejection) => rejection.reason));
    expect(say('ko', rejected)).toEqual([
      ':61:이(가) 비어 있음. 맨 앞에 YYMMDD 형식의 기산일이 와야 함',
      '기산일 "240231"은(는) 달력에 있는 날짜가 아님 (YYMMDD)',
      '기장일 "1301"은(는) 달력에 있는 날짜가 아님 (MMDD)',
      '"X1,00NTRFNON…" 위치에 차변/대변 표시 C, D, RC 또는 RD가 와야 함',
      '금액이 없음',
      '금액 "1234567890123,45"의 유효 문자가 MT940에서 허용하는 15자보다 많음',
      '금액 "1.5": 1234,56처럼 숫자와 소수점 쉼표로 써야 함',
      '금액 뒤 "" 위치에 NTRF 같은 거래 유형이 와야 함',
      ':61:이(가) 256자보다 김',
      '"61:240101C1,…": 태그 줄 맨 앞의 콜론이 없음 (:61:이어야 함)',
    ]);
  });

  it('says a BAI2 file\'s refusals and rejected details: the English as core wrote it, Korean from the same values', () => {
    const h = '01,S,R,240301,0800,1,,,2/\n';
    const g = '02,R,B,1,240229,,USD,/\n';
    const texts = [
      '02,R,B/',
      '01,S,R,240301,0800,1,,,1/',
      `${h}${g}03,A1,USD,010,12.00,,/`,
      `${h}${g}03,A1,USD,010,5,,D,99/`,
      `${h}${g}03,A1,USD/\n49,${'1'.repeat(19)},2/`,
      `${h}${g}03,A1,USD/\n49,0,two/`,
      `${h}99,0,0,2/\n${g}`,
      `${h}${g}17,X/`,
      `${h}${g}03,A1,USD/\n16,175,100,,,,X`,
      `${h}${Array.from({ length: 501 }, () => '88,X').join('\n')}`,
    ];
    const refusals = texts.map((text) => {
      try {
        readBai2(text, 'x.bai2');
      } catch (error) {
        if (error instanceof SettleDeskError) return error;
      }
      throw new Error('expected a refusal');
    });
    expect(refusals.map((error) => fileRefusal(error.details, i18next.getFixedT('en', REJECTION_REASONS_NS)))).toEqual(refusals.map((error) => error.message.slice('x.bai2: '.length)));
    expect(refusals.map((error) => fileRefusal(error.details, i18next.getFixedT('ko', REJECTION_REASONS_NS)))).toEqual([
      '1행: BAI2 파일이 아님 (첫 레코드는 01 파일 헤더여야 함)',
      '1행: BAI 버전 "1". BAI2(버전 2)만 읽을 수 있음',
      '3행 03.amount: 유형 010의 금액 "12.00"은(는) 숫자가 아님 (부호와 숫자만 쓸 수 있음)',
      '3행 03.fundsType: 분산 가용 건수 "99"이(가) 0~31 범위가 아님',
      '4행 49.controlTotal: 관리 합계 "1111111111111111111"의 자릿수가 너무 많음',
      '4행 49.recordCount: recordCount "two"은(는) 숫자가 아님',
      '3행 02: 2행의 99 파일 트레일러 뒤에 레코드가 있음',
      '3행 17: 알 수 없는 레코드 유형 "17" (02, 03, 16, 49, 88, 98, 99 중 하나여야 함)',
      '파일이 99 파일 트레일러 없이 4행에서 끝남',
      '502행: 1행의 레코드 01에 88 연속 레코드가 500개보다 많음',
    ]);
    expect(Object.keys(rejectionReasonsEn.bai2Problem)).toEqual(BAI2_PROBLEM_CODES);
    const details = ['16,1X,100,,,,X/', '16,890,100,,,,X/', '16,175,1.00,,,,X/', '16,175,100,V,240230,,,,X/', '16,175,100,Q,,,X/', `16,175,100,,${'R'.repeat(129)},,X/`, '17,175,100,,,,X/'];
    const { rejected } = readBai2(`${h}${g}03,A1,JPY/\n${details.join('\n')}\n49,,/\n98,,,/\n99,,,/`, 'x.bai2').output;
    expect(say('en', rejected)).toEqual(rejected.map((rejection) => rejection.reason));
    expect(say('ko', rejected)).toEqual([
      '유형 코드 "1X"은(는) 세 자리 숫자가 아님',
      '유형 코드 890은(는) 입금(100-399) 거래도 출금(400-699) 거래도 아님',
      '금액 "1.00": 부호 없는 숫자여야 하며 소수점 위치는 JPY에 따라 정해짐',
      '기산일 "240230"은(는) 달력에 있는 날짜가 아님 (YYMMDD)',
      '자금 유형 "Q"은(는) 0, 1, 2, S, V, D, Z 중 하나가 아님',
      '참조가 128자보다 김',
      '계좌 A1 안에 알 수 없는 레코드 유형 "17"이(가) 있음',
    ]);
  });

  it('says a file not in its encoding and one too large to import: the English as core wrote it, Korean from the same values', () => {
    // 'Caf' and a Windows-1252 é (0xE9) start line 2 at byte 4: the bad byte is byte 7, column 4.
    const latin1 = new Uint8Array([...new TextEncoder().encode('a,b\nCaf'), 0xe9, ...new TextEncoder().encode(',1\n')]);
    // UTF-16LE recognized by its zero bytes, with a lone high surrogate (0xD800) on line 2: core places no byte in UTF-16 (line 1, column 1, byte 0).
    const utf16 = new Uint8Array([0x61, 0, 0x62, 0, 0x63, 0, 0x64, 0, 0x0a, 0, 0x65, 0, 0x00, 0xd8, 0x66, 0, 0x67, 0, 0x68, 0]);
    const refused = (run: () => unknown): SettleDeskError => {
      try {
        run();
      } catch (error) {
        if (error instanceof SettleDeskError) return error;
      }
      throw new Error('expected a refusal');
    };
    const refusals = [
      refused(() => decodeText(latin1, 'x.csv')),
      refused(() => decodeText(utf16, 'x.csv')),
      refused(() => createStreamDecoder('x.csv').decode(latin1, true)),
      // Only the length is read before the refusal: no 512 MiB are made.
      refused(() => importFile(IMPORTERS, { length: FILE_BYTES_MAX + 1 } as Uint8Array, 'x.csv', { format: 'auto', pseudonymization: { mode: 'off' } })),
      refused(() => importFile(IMPORTERS, new Uint8Array(0), 'x.csv', { format: 'auto', pseudonymization: { mode: 'off' } })),
    ];
    expect(refusals.map((error) => error.details)).toEqual([
      { says: 'encoding_invalid_at', encoding: 'utf-8', line: '2', column: '4', byte: '7' },
      { says: 'encoding_invalid_at_guessed', encoding: 'utf-16le', line: '1', column: '1', byte: '0' },
      { says: 'encoding_invalid_line', encoding: 'utf-8', line: '2', byte: '7' },
      { says: 'import_too_large', bytes: '536870913', max: '536870912' },
      { says: 'file_empty' },
    ]);
    expect(refusals.map((error) => fileRefusal(error.details, i18next.getFixedT('en', REJECTION_REASONS_NS)))).toEqual(refusals.map((error) => error.message.slice('x.csv: '.length)));
    expect(refusals.map((error) => fileRefusal(error.details, i18next.getFixedT('ko', REJECTION_REASONS_NS)))).toEqual([
      '2행 4열(바이트 7)이 올바른 utf-8이(가) 아님. 가져오기 프로필에 파일의 인코딩을 지정하세요 (예: windows-1252, euc-kr)',
      '1행 1열(바이트 0)이 올바른 utf-16le(0 바이트로 알아본 BOM 없는 UTF-16)이(가) 아님. 가져오기 프로필에 파일의 인코딩을 지정하세요 (예: windows-1252, euc-kr)',
      '2행(바이트 7)이 올바른 utf-8이(가) 아님. 가져오기 프로필에 파일의 인코딩을 지정하세요 (예: windows-1252, euc-kr)',
      '536870913바이트로 한 번에 가져올 수 있는 536870912바이트를 넘음. 파일을 나누거나 CSV로 스트리밍하세요',
      '파일이 비어 있음',
    ]);
    // An MT940 entry read in a guessed code page whose reference holds a guessed character (É in Windows-1252).
    const guessed = importFile(IMPORTERS, new Uint8Array(readFileSync(new URL('../../../../core/importers/fixtures/mt940-issue14/reference-not-utf8.sta', import.meta.url))), 'x.sta', { format: 'auto', pseudonymization: { mode: 'off' } }).rejected;
    expect(say('en', guessed)).toEqual(guessed.map((rejection) => rejection.reason));
    expect(say('ko', guessed)).toEqual(['계좌나 참조에 UTF-8이 아닌 바이트가 있음 (windows-1252(으)로 추측해 읽음): 이 항목을 가져오려면 파일의 인코딩을 지정하세요']);
    // The Imports screen's profiled CSV is decoded as a stream by the engine: its refusal keeps the same values.
    const [outcome] = importFiles({ files: [{ name: 'orders.csv', bytes: latin1 }], profiles: { 'orders.csv': usOrders }, known: [] }, () => {}, () => 0).files;
    expect(outcome?.status).toBe('failed');
    const record = recordOfOutcome(outcome as Exclude<FileOutcome, { readonly status: 'needs-profile' }>, '2026-03-05T00:00:00Z', 'k1');
    expect(fileRefusal(record.failure?.details, i18next.getFixedT('ko', REJECTION_REASONS_NS))).toBe('2행(바이트 7)이 올바른 utf-8이(가) 아님. 가져오기 프로필에 파일의 인코딩을 지정하세요 (예: windows-1252, euc-kr)');
    // The same CSV path refuses an empty file and one over the limit (only its length is read: no 512 MiB are made).
    const streamed = [new Uint8Array(0), { length: FILE_BYTES_MAX + 1 } as Uint8Array].map((bytes) => {
      const [refused] = importFiles({ files: [{ name: 'orders.csv', bytes }], profiles: { 'orders.csv': usOrders }, known: [] }, () => {}, () => 0).files;
      return recordOfOutcome(refused as Exclude<FileOutcome, { readonly status: 'needs-profile' }>, '2026-03-05T00:00:00Z', 'k1').failure;
    });
    expect(streamed.map((failure) => failure?.details)).toEqual([{ says: 'file_empty' }, { says: 'import_too_large_split', bytes: '536870913', max: '536870912' }]);
    expect(streamed.map((failure) => fileRefusal(failure?.details, i18next.getFixedT('en', REJECTION_REASONS_NS)))).toEqual(['the file is empty', '536870913 bytes is over the 536870912-byte limit for one import; split the file']);
    expect(streamed.map((failure) => fileRefusal(failure?.details, i18next.getFixedT('ko', REJECTION_REASONS_NS)))).toEqual(['파일이 비어 있음', '536870913바이트로 한 번에 가져올 수 있는 536870912바이트를 넘음. 파일을 나누세요']);
  });

  it('says a refusal and a preview\'s rejected row the engine passes on, in Korean', () => {
    const xxe = { name: 'camt053-xxe.xml', bytes: new Uint8Array(readFileSync(new URL('../../../../core/importers/fixtures/camt/camt053-xxe.xml', import.meta.url))) };
    const [outcome] = importFiles({ files: [xxe], profiles: {}, known: [] }, () => {}, () => 0).files;
    expect(outcome?.status).toBe('failed');
    const record = recordOfOutcome(outcome as Exclude<FileOutcome, { readonly status: 'needs-profile' }>, '2026-03-05T00:00:00Z', 'k1');
    expect(fileRefusal(record.failure?.details, i18next.getFixedT('ko', REJECTION_REASONS_NS))).toBe('2행 1열의 DOCTYPE 또는 ENTITY 선언을 거부함 (은행 파일에는 필요 없으며 XXE와 엔티티 확장 공격에 쓰이는 방식임)');
    const preview = csvPreview({ file: { name: 'orders.csv', bytes: fixture('orders-us-utf8-bom.csv') }, profile: usOrders, rowsMax: 20 });
    const rejected = preview.parsed.flatMap((row) => (row.ok ? [] : [rejectionReason(row, i18next.getFixedT('ko', REJECTION_REASONS_NS))]));
    expect(rejected[2]).toBe('Type: "giftcard"이(가) 프로필의 종류 매핑에 없음');
    // A valid profile whose columns the file lacks: the preview is refused with the error's details.
    const lacking = csvPreview({ file: { name: 'orders.csv', bytes: fixture('orders-us-utf8-bom.csv') }, profile: { ...usOrders, columns: { ...usOrders.columns, date: 'Datum' } }, rowsMax: 20 });
    expect(fileRefusal(lacking.refusal, i18next.getFixedT('ko', REJECTION_REASONS_NS))).toBe('처음 30행에서 필요한 열이 있는 헤더 행을 찾지 못함. 없는 열: "Datum"');
  });

  it('keeps the importer\'s English for a code it does not know or a value its text lacks', () => {
    const base = { reason: 'Amount: something new' };
    expect(say('ko', [{ ...base, line: 1, column: null, code: 'field_invalid', raw: '', says: 'something_new', params: {} }])).toEqual(['Amount: something new']);
    expect(say('ko', [{ ...base, line: 1, column: null, code: 'field_invalid', raw: '', says: 'amount_minor_units', params: { columnName: 'Amount' } }])).toEqual(['Amount: something new']);
  });
});
