import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { exceptionsFromImport } from '../../../../core/exceptions/from-import.ts';
import { exceptionsFromReconcile } from '../../../../core/exceptions/from-reconcile.ts';
import { IMPORT_WITH_EVERY_KIND } from '../../../../core/exceptions/fixtures.test-support.ts';
import { createException, type ExceptionRecord } from '../../../../core/exceptions/model.ts';
import { bai2Importer } from '../../../../core/importers/bai2.ts';
import { camt053Importer } from '../../../../core/importers/camt.ts';
import { mt940Importer } from '../../../../core/importers/mt940.ts';
import { ofxImporter } from '../../../../core/importers/ofx.ts';
import { importBytesWith, importTextWith } from '../../../../core/importers/real-world-manifest.test-support.ts';
import type { CsvProfileInput } from '../../../../core/importers/csv-profile.ts';
import { csvImporter } from '../../../../core/importers/csv.ts';
import { finalizeImport } from '../../../../core/ingest/pipeline.ts';
import { importFile } from '../../../../core/ingest/import-file.ts';
import { reconcile } from '../../../../core/reconcile/reconcile.ts';
import { makeTx } from '../../../../core/reconcile/test-support.ts';
import { formatCount, formatDate, formatMoney } from '../../../i18n/format.ts';
import { i18next, startI18n } from '../../../i18n/index.ts';
import { expectSameKeysAndPlaceholders, latinOnlyKeys, textLeaves as leaves } from '../../../i18n/text-tree.test-support.ts';
import { registerReviewTexts } from '../../grid/texts.ts';
import { exceptionTitle } from './exception-title.ts';
import { EXCEPTION_TITLES_NS, exceptionTitlesEn, exceptionTitlesKo, registerExceptionTitleTexts } from './title-texts.ts';

const AT = '2026-03-05T00:00:00Z';

/** Dates in each language's own style, so the test shows they follow the locale. */
function titlesIn(locale: 'en' | 'ko', records: readonly ExceptionRecord[]): string[] {
  const t = i18next.getFixedT(locale, EXCEPTION_TITLES_NS);
  const format = { money: (amount: string, currency: string) => formatMoney(amount, currency, 'en'), count: (count: number) => formatCount(count, 'en'), date: (value: string) => formatDate(value, { locale, dateStyle: 'locale' }) };
  return records.map((record) => exceptionTitle(record, t, format));
}

function reconciled(): ExceptionRecord[] {
  const psp = [
    makeTx({ id: 's', amount: '1000.00', date: '2026-03-01', batchId: 'PO-5521' }),
    makeTx({ id: 'f', amount: '-30.00', date: '2026-03-01', kind: 'fee', batchId: 'PO-5521' }),
  ];
  const bank = [
    makeTx({ id: 'b', amount: '960.00', date: '2026-03-02', kind: 'transfer', description: 'PAYOUT PO-5521' }),
    makeTx({ id: 'r', amount: '-1234.50', date: '2026-03-04', kind: 'transfer', description: 'RETURN' }),
  ];
  const result = reconcile({ internal: [], psp, bank });
  const records = exceptionsFromReconcile(result, [...psp, ...bank], AT);
  // The PSP lines are unmatched too (no internal side given): the bank's return is the one shown here.
  return [records.find((record) => record.type === 'amount_mismatch'), records.find((record) => record.details.side === 'bank')] as ExceptionRecord[];
}

/** Facts as from-reconcile.ts writes them for a batch whose details total 295.00 against 290.00 booked. */
const batch = createException(
  {
    type: 'amount_mismatch',
    key: ['bank-batch', 'batches.xml', '14'],
    severity: 'low',
    title: 'batch entry whose details do not add up to it: batches.xml line 14, booked 290.00 EUR, details 295.00 (2 detail(s))',
    amountAtRisk: { amount: '5.00', currency: 'EUR' },
    partnerId: null,
    period: null,
    sourceRefs: [],
    details: { kind: 'bank_batch', status: 'total_mismatch', linkedBy: 'reference', entryAmount: '290.00', detailsTotal: '295.00', problems: '', fileName: 'batches.xml', entryLine: '14', detailCount: '2', currency: 'EUR' },
  },
  AT,
);

/** A partner's question as server/partner/queries.ts raises it. */
const query = createException(
  {
    type: 'partner-query',
    key: ['studio-a', 'st_a', 'pq_1'],
    severity: 'medium',
    title: 'Partner studio-a questions line 3 of 2026-01 (revision 2)',
    amountAtRisk: null,
    partnerId: 'studio-a',
    period: '2026-01',
    sourceRefs: [{ kind: 'statement', id: 'st_a', line: 3 }],
    details: { queryId: 'pq_1', statementId: 'st_a', statementHash: 'a'.repeat(64), revision: '2', line: '3', text: 'We count 4 sales.', askedBy: 'alice' },
  },
  AT,
);

describe('exception titles in the analyst\'s language', () => {
  beforeAll(async () => {
    await startI18n('en');
    registerReviewTexts();
    registerExceptionTitleTexts();
  });

  it('Korean has every English key, with the same placeholders, in Hangul', () => {
    expectSameKeysAndPlaceholders(leaves(exceptionTitlesEn), leaves(exceptionTitlesKo));
    expect(latinOnlyKeys(leaves(exceptionTitlesKo))).toEqual([]);
  });

  it('says a reconciliation\'s exceptions with grouped money and dates per locale', () => {
    // Mismatch: 1000.00 - 30.00 fee = 970.00 expected, 960.00 paid: -10.00 unexplained; the return -1234.50 matches nothing.
    const records = [...reconciled(), batch];
    expect(titlesIn('en', records)).toEqual([
      'matched by Reference but -10.00 EUR is unexplained (difference -10.00)',
      'bank movement not explained by the PSP or the internal ledger: -1,234.50 EUR on 4 Mar 2026',
      'batch entry whose details do not add up to it: batches.xml line 14, booked 290.00 EUR, details 295.00 (2 detail(s))',
    ]);
    expect(titlesIn('ko', records)).toEqual([
      '참조 일치 기준으로 대사했지만 설명되지 않는 금액 -10.00 EUR (차액 -10.00)',
      'PSP나 내부 원장으로 설명되지 않는 은행 거래: 2026. 3. 4. -1,234.50 EUR',
      '상세 합계가 금액과 맞지 않는 묶음 항목: batches.xml 14행, 기장액 290.00 EUR, 상세 합계 295.00 (상세 2건)',
    ]);
  });

  it('says a day of many unmatched rows grouped as one exception, with its count and exact net and gross', () => {
    const account = 'NL91ABNA0417164300';
    const bank = [
      { ...makeTx({ id: 'r', amount: '-1234.50', date: '2026-03-04', kind: 'transfer' }), account },
      { ...makeTx({ id: 'c', amount: '2000.00', date: '2026-03-04', kind: 'transfer' }), account },
    ];
    const records = exceptionsFromReconcile(reconcile({ internal: [], psp: [], bank }), bank, AT, { groupUnmatchedAbove: 1 });
    // -1234.50 + 2000.00 = 765.50 net; 1234.50 + 2000.00 = 3234.50 gross.
    expect(records.map((record) => record.title)).toEqual(['2 x bank movement not explained by the PSP or the internal ledger on 2026-03-04 (account NL91ABNA0417164300): 765.50 EUR net, 3234.50 EUR gross']);
    expect(titlesIn('en', records)).toEqual(['2 bank movements not explained by the PSP or the internal ledger on 4 Mar 2026 (account NL91ABNA0417164300): net 765.50 EUR, gross 3,234.50 EUR']);
    expect(titlesIn('ko', records)).toEqual(['2026. 3. 4. (계좌 NL91ABNA0417164300) PSP나 내부 원장으로 설명되지 않는 은행 거래 2건: 순액 765.50 EUR, 총액 3,234.50 EUR']);
  });

  it('says an import\'s exceptions; an issue (no text for it yet) keeps core\'s English title', () => {
    const records = exceptionsFromImport(IMPORT_WITH_EVERY_KIND, AT);
    expect(titlesIn('en', records)).toEqual([
      'march.sta line 12: amount "12,3,4" is not a decimal',
      'march.sta line 20 repeats a known transaction and was not imported again',
      'march.sta lines 30, 31 look identical: all imported, confirm they are distinct',
      'march.sta line 22 repeats the id of line 5 with other money or dates (10.00 EUR against 100.00 EUR): kept aside, not counted, until someone decides',
      'march.sta: opening + entries != closing',
    ]);
    expect(titlesIn('ko', records)).toEqual([
      'march.sta 12행: amount "12,3,4" is not a decimal',
      'march.sta 20행은 이미 있는 거래를 반복하므로 다시 가져오지 않음',
      'march.sta 30, 31행이 똑같아 보임: 모두 가져왔으니 서로 다른 거래인지 확인하세요',
      'march.sta 22행이 5행의 id를 다른 금액이나 날짜로 반복함 (10.00 EUR, 앞선 행은 100.00 EUR): 누군가 결정할 때까지 따로 두고 합산하지 않음',
      'march.sta: opening + entries != closing',
    ]);
  });

  it('says a rejected row\'s reason by the importer\'s code and values; the column count too, now that the CSV table names it (a reason without a code is the test above: march.sta line 12)', () => {
    const profile: CsvProfileInput = { name: 'shop', date: { format: 'YYYY-MM-DD' }, sign: { convention: 'signed', column: 'amount' }, currency: { column: 'currency' }, kind: { fixed: 'sale' }, columns: { date: 'date' }, id: { policy: 'reference', column: 'ref' } };
    const text = 'ref,date,amount,currency\nr1,2026-03-02,5.00,XYZ\nr2,2026-02-30,1.00,EUR\nr3,2026-03-03,1.00\n';
    const context = { fileName: 'shop.csv', sha256: 'e'.repeat(64), pseudonymize: (id: string) => id };
    const records = exceptionsFromImport(finalizeImport(csvImporter.parse(text, context, profile), context, 'csv', text.length), AT);
    expect(titlesIn('en', records)).toEqual([
      'shop.csv line 2: currency: "XYZ" is not an ISO 4217 currency code with minor units',
      'shop.csv line 3: date: "2026-02-30" is not a valid date in the format YYYY-MM-DD',
      'shop.csv line 4: expected 4 columns as in the header on line 1, found 3',
    ]);
    expect(titlesIn('ko', records)).toEqual([
      'shop.csv 2행: currency: "XYZ"은(는) 보조 단위가 있는 ISO 4217 통화 코드가 아님',
      'shop.csv 3행: date: "2026-02-30"은(는) YYYY-MM-DD 형식의 올바른 날짜가 아님',
      'shop.csv 4행: 1행의 헤더처럼 열이 4개여야 하지만 3개임',
    ]);
  });

  it('says an import\'s statement checks from the statement\'s facts; other issues keep core\'s English', () => {
    // GAP1: 1000.00 + 2500.00 - 300.00 = 3200.00, but it closes at 3100.00. LOST2: its 31 Feb entry is rejected.
    const sta = [
      ':20:GAP1', ':25:NL91ABNA0417164300', ':28C:3/1', ':60F:C260301EUR1000,00',
      ':61:2603020302C2500,00NTRFNONREF//R1', ':86:PAYOUT', ':61:2603030303D300,00NTRFNONREF//R2', ':86:FEE', ':62F:C260303EUR3100,00', '-',
      ':20:LOST2', ':25:NL91ABNA0417164300', ':28C:3/2', ':60F:C260303EUR3100,00',
      ':61:2602310231D20,00NTRFNONREF//R3', ':86:DATED 31 FEBRUARY', ':61:2603040304C10,00NTRFNONREF//R4', ':86:REFUND', ':62F:C260304EUR3090,00', '-',
    ].join('\r\n');
    const issues = exceptionsFromImport(importTextWith(mt940Importer, 'mt940', `${sta}\r\n`, 'march.sta'), AT).filter((record) => record.type === 'anomaly');
    expect(issues.map((record) => record.title)).toEqual([
      'march.sta: statement LOST2 NL91ABNA0417164300 EUR: 1 rejected entries are missing from its sums, so its balances cannot be checked until they are fixed',
      'march.sta: statement GAP1 NL91ABNA0417164300 EUR: opening 1000.00 + credits 2500.00 - debits 300.00 != closing 3100.00',
    ]);
    expect(titlesIn('en', issues)).toEqual([
      'march.sta: statement LOST2 NL91ABNA0417164300 EUR: 1 rejected entries are missing from its sums, so its balances cannot be checked until they are fixed',
      'march.sta: statement GAP1 NL91ABNA0417164300 EUR: opening 1,000.00 + credits 2,500.00 - debits 300.00 != closing 3,100.00',
    ]);
    expect(titlesIn('ko', issues)).toEqual([
      'march.sta: 명세서 LOST2 NL91ABNA0417164300 EUR: 거부된 항목 1건이 합계에서 빠져 있어, 고치기 전에는 잔액을 확인할 수 없음',
      'march.sta: 명세서 GAP1 NL91ABNA0417164300 EUR: 기초 잔액 1,000.00 + 입금 2,500.00 - 출금 300.00 ≠ 기말 잔액 3,100.00',
    ]);
  });

  it('says an importer\'s other issues: a guessed encoding and reversals signed the other way in full, another by its code with the importer\'s words', () => {
    const fixture = (path: string) => new Uint8Array(readFileSync(new URL(`../../../../core/importers/fixtures/${path}`, import.meta.url)));
    const issuesOf = (result: Parameters<typeof exceptionsFromImport>[0]) => exceptionsFromImport(result, AT).filter((record) => record.type === 'anomaly' && record.details.code !== 'balance_mismatch');
    const issues = [
      ...issuesOf(importFile([['mt940', mt940Importer]], fixture('mt940-issue14/narrative-cp1250.sta'), 'narrative-cp1250.sta', { format: 'auto', pseudonymization: { mode: 'off' } })),
      ...issuesOf(importTextWith(camt053Importer, 'camt.053', new TextDecoder().decode(fixture('camt-issue14/reversals-inverted.xml')), 'reversals.xml')),
      ...issuesOf(importBytesWith(bai2Importer, 'bai2', fixture('bai2/wrong-control-total.bai2'), 'wrong.bai2')),
    ];
    expect(issues.map((record) => record.details.code)).toEqual(['encoding_replaced', 'reversal_convention', 'control_total_mismatch']);
    expect(titlesIn('en', issues)).toEqual([
      'narrative-cp1250.sta: line(s) 6, 7, 9 not UTF-8, read as windows-1250 (the single-byte code page that fits them best): only their text can differ, never an amount, date or reference; name the encoding if the text reads wrong',
      "reversals.xml line 6: statement RVSL-INV-1 DE02120300000000202051 EUR balances only if its 2 reversal(s) (RvslInd) are signed the other way; read with reversalSign 'cdtdbtind': if this bank signs reversals the other way, import this account with reversalSign 'inverted'",
      'wrong.bai2: control totals do not match: line 6: 49 control total 240000 != 241000, the sum of the amounts of account DE44500105175407324931 (line 3)',
    ]);
    expect(titlesIn('ko', issues)).toEqual([
      'narrative-cp1250.sta: 6, 7, 9행이 UTF-8이 아니어서 가장 잘 맞는 단일 바이트 코드 페이지 windows-1250(으)로 읽음: 텍스트만 다를 수 있고 금액·날짜·참조는 그대로임. 텍스트가 이상하면 파일의 인코딩을 지정하세요',
      "reversals.xml 6행: 명세서 RVSL-INV-1 DE02120300000000202051 EUR은(는) 취소 거래 2건(RvslInd)의 부호를 반대로 해야 잔액이 맞음. reversalSign 'cdtdbtind'(으)로 읽었으니, 이 은행이 취소 거래 부호를 반대로 쓴다면 이 계좌는 reversalSign 'inverted'(으)로 가져오세요",
      // BAI2 says its control checks by code and values (core/importers/bai2.ts): 240000 stated on line 6, 241000 summed from account DE44… opened on line 3.
      'wrong.bai2: 관리 합계 불일치: 6행: 49 레코드의 관리 합계 240000 ≠ 계좌 DE44500105175407324931(3행)의 금액 합계 241000',
    ]);
    // A broken format rule as core/importers/text-lines.ts writes one: the lines said as lines, its closing words left to the kind.
    const rule = { ...issues[2]!, title: 'march.sta: march.sta: lines 4, 9 and 3 more: a :61: amount with a dot as decimal mark; imported because every amount, sign and date could still be read', details: { code: 'format_rule_broken', fileName: 'march.sta' } };
    expect(titlesIn('ko', [rule])).toEqual(['march.sta: 형식 규칙 위반 (금액·부호·날짜는 모두 읽을 수 있어 가져옴): 4, 9행 외 3개 행: a :61: amount with a dot as decimal mark']);
    expect(titlesIn('en', [rule])).toEqual(['march.sta: format rule broken, imported because every amount, sign and date could be read: line(s) 4, 9 and 3 more: a :61: amount with a dot as decimal mark']);
    // camt's TxsSummry said from its values: 3 entries stated, 2 read; 120.50 stated, 10.50 + 80.00 = 90.5 read.
    const totals = issuesOf(importTextWith(camt053Importer, 'camt.053', new TextDecoder().decode(fixture('camt/camt053-v08-totals-reversal.xml')), 'totals.xml')).filter((record) => record.details.code === 'control_total_mismatch');
    expect(titlesIn('en', totals)).toEqual(['totals.xml: control totals do not match: Stmt STMT-8 DE89370400440532013000: TtlNtries/NbOfNtries 3 but 2 read; TtlNtries/Sum 120.50 but 90.5 read']);
    expect(titlesIn('ko', totals)).toEqual(['totals.xml: 관리 합계 불일치: 명세서(Stmt) STMT-8 DE89370400440532013000: TtlNtries/NbOfNtries 파일 기재 3, 읽은 값 2; TtlNtries/Sum 파일 기재 120.50, 읽은 값 90.5']);
    // A broken format rule said by its code (core/importers BrokenRules): a real comma-less amount on line 11, and one with values and lines beyond those listed.
    const comma = issuesOf(importFile([['mt940', mt940Importer]], fixture('mt940-issue14/zero-padded-amounts.sta'), 'zero.sta', { format: 'auto', pseudonymization: { mode: 'off' } })).filter((record) => record.details.code === 'format_rule_broken');
    expect(titlesIn('en', comma)).toEqual(['zero.sta: format rule broken, imported because every amount, sign and date could be read: line(s) 11: an amount without its decimal comma (read as a whole number)']);
    expect(titlesIn('ko', comma)).toEqual(['zero.sta: 형식 규칙 위반 (금액·부호·날짜는 모두 읽을 수 있어 가져옴): 11행: 소수점 쉼표가 없는 금액 (정수로 읽음)']);
    const unsigned = { ...comma[0]!, details: { code: 'format_rule_broken', fileName: 'zero.sta', says: 'balance_unsigned', tag: '60F', lines: '4, 9', more: '1234' } };
    expect(titlesIn('ko', [unsigned])).toEqual(['zero.sta: 형식 규칙 위반 (금액·부호·날짜는 모두 읽을 수 있어 가져옴): 4, 9행 외 1,234개 행: 잔액 :60F:에 C/D 표시가 없어 부호를 추측해야 하므로 이 잔액은 제외함']);
    expect(titlesIn('en', [unsigned])).toEqual(['zero.sta: format rule broken, imported because every amount, sign and date could be read: line(s) 4, 9 and 1,234 more: a balance :60F: without its C/D mark: its sign would be a guess, so the balance is left out']);
    // camt's broken rules by code: a balance without CdtDbtInd (line 10), one without a type code (11), a statement without CLBD (6).
    const lax = issuesOf(importTextWith(camt053Importer, 'camt.053', new TextDecoder().decode(fixture('camt-issue14/lenient-balances.xml')), 'lax.xml')).filter((record) => record.details.code === 'format_rule_broken');
    const KIND_KO = '형식 규칙 위반 (금액·부호·날짜는 모두 읽을 수 있어 가져옴)';
    expect(titlesIn('ko', lax)).toEqual([
      `lax.xml: ${KIND_KO}: 10행: Stmt/Bal CLAV에 CdtDbtInd가 없어 부호를 추측해야 하므로 이 잔액은 제외함`,
      `lax.xml: ${KIND_KO}: 11행: Stmt/Bal에 유형 코드(Tp/CdOrPrtry)가 없어 이 잔액은 제외함`,
      `lax.xml: ${KIND_KO}: 6행: Stmt LAX-STMT-1에 camt.053이 요구하는 기말 잔액(CLBD)이 없음: 거래는 가져왔지만 잔액으로 명세서를 확인할 수 없음`,
    ]);
    expect(titlesIn('en', lax)[0]).toBe('lax.xml: format rule broken, imported because every amount, sign and date could be read: line(s) 10: Stmt/Bal CLAV has no CdtDbtInd: its sign would be a guess, so the balance is left out');
    // OFX's empty BALAMT by its code (the empty-balance fixture, line 12).
    const ofx = issuesOf(importTextWith(ofxImporter, 'ofx', new TextDecoder().decode(fixture('ofx-issue14/empty-balance.ofx')), 'empty.ofx')).filter((record) => record.details.code === 'format_rule_broken');
    expect(titlesIn('ko', ofx)).toEqual([`empty.ofx: ${KIND_KO}: 12행: LEDGERBAL/BALAMT가 비어 있어 잔액 없음으로 읽음`]);
    expect(titlesIn('en', ofx)).toEqual(['empty.ofx: format rule broken, imported because every amount, sign and date could be read: line(s) 12: LEDGERBAL/BALAMT is empty: read as no balance']);
    // OFX elements left open, with their lines: the file ending with them open (the unclosed-list fixture, lines 9, 6, 6, 6, 5; it ends at line 11), and an end tag closing one.
    const eof = new TextDecoder().decode(fixture('ofx-issue14/unclosed-list-eof.ofx'));
    const unclosed = issuesOf(importTextWith(ofxImporter, 'ofx', eof, 'open.ofx')).filter((record) => record.details.code === 'format_rule_broken' && record.details.says === 'ends_unclosed');
    expect(titlesIn('ko', unclosed)).toEqual([`open.ofx: ${KIND_KO}: 11행: 파일이 <BANKTRANLIST>(9행), <STMTRS>(6행), <STMTTRNRS>(6행), <BANKMSGSRSV1>(6행), <OFX>(5행)을(를) 닫지 않은 채 끝남: 끝에서 닫힌 것으로 읽었으며, 파일이 잘렸다면 그 뒤의 내용은 빠져 있음`]);
    expect(titlesIn('en', unclosed)).toEqual(['open.ofx: format rule broken, imported because every amount, sign and date could be read: line(s) 11: the file ends with <BANKTRANLIST> (line 9), <STMTRS> (line 6), <STMTTRNRS> (line 6), <BANKMSGSRSV1> (line 6), <OFX> (line 5) not closed: read as closed there; if the file was cut short, what followed is missing']);
    const closed = issuesOf(importTextWith(ofxImporter, 'ofx', `${eof}<LEDGERBAL><BALAMT>19.75<DTASOF>20240630</LEDGERBAL>\n</STMTRS></STMTTRNRS></BANKMSGSRSV1>\n</OFX>\n`, 'closed.ofx')).filter((record) => record.details.says === 'end_tag_closes_open');
    expect(titlesIn('ko', closed)).toEqual([`closed.ofx: ${KIND_KO}: 13행: </STMTRS> 태그가 끝 태그가 없는 <BANKTRANLIST>(9행)까지 닫음`]);
    expect(titlesIn('en', closed)).toEqual(['closed.ofx: format rule broken, imported because every amount, sign and date could be read: line(s) 13: </STMTRS> closes <BANKTRANLIST> (line 9), which has no end tag']);
    // More guessed lines than the importer lists: the rest counted. A title of another shape: core's.
    const many = { ...issues[0]!, title: 'big.sta: big.sta: lines 2, 3, 4, 5, 6, 7, 8, 9, 10, 11 and 1234 more are not UTF-8 and were read as cp852, the single-byte code page that fits them best; only their text can differ, never an amount, date or reference. Name the encoding (--encoding) if the text reads wrong.', details: { code: 'encoding_replaced', fileName: 'big.sta' } };
    expect(titlesIn('ko', [many])).toEqual(['big.sta: 2, 3, 4, 5, 6, 7, 8, 9, 10, 11행 외 1,234개 행이 UTF-8이 아니어서 가장 잘 맞는 단일 바이트 코드 페이지 cp852(으)로 읽음: 텍스트만 다를 수 있고 금액·날짜·참조는 그대로임. 텍스트가 이상하면 파일의 인코딩을 지정하세요']);
    expect(titlesIn('ko', [{ ...many, title: 'other.sta: something else' }])).toEqual(['other.sta: something else']);
  });

  it('says a partner\'s question, and keeps core\'s title for one raised before the revision was kept', () => {
    expect(titlesIn('en', [query])).toEqual(['Partner studio-a questions line 3 of 2026-01 (revision 2)']);
    expect(titlesIn('ko', [query])).toEqual(['파트너 studio-a의 2026-01 명세서 (개정 2) 3번 항목 문의']);
    const { revision: _kept, ...older } = query.details;
    expect(titlesIn('ko', [{ ...query, details: older }])).toEqual(['Partner studio-a questions line 3 of 2026-01 (revision 2)']);
  });

  it('falls back to core\'s English title for a record stored before its facts were kept', () => {
    const [, unmatched] = reconciled() as [ExceptionRecord, ExceptionRecord];
    const stored = { ...unmatched, details: { side: 'bank', kind: 'transfer' } };
    expect(titlesIn('ko', [stored])).toEqual(['bank movement not explained by the PSP or the internal ledger: -1234.50 EUR on 2026-03-04']);
  });
});
