import type { BankAccountMonth, BankEntry, BankStatementDay } from '../bank.ts';
import { decimalOf, xmlEscape } from './text.ts';

/**
 * ISO 20022 camt.053.001.08 (Bank to customer statement): one document per account for the
 * month, one <Stmt> per business day with opening (OPBD) and closing (CLBD) booked balances,
 * a transaction summary and the day's entries. Written as text: the layout is fixed and small.
 */
function balance(type: 'OPBD' | 'CLBD', minor: number, currency: string, day: string): string {
  return [
    '      <Bal>',
    `        <Tp><CdOrPrtry><Cd>${type}</Cd></CdOrPrtry></Tp>`,
    `        <Amt Ccy="${currency}">${decimalOf(Math.abs(minor), currency)}</Amt>`,
    `        <CdtDbtInd>${minor < 0 ? 'DBIT' : 'CRDT'}</CdtDbtInd>`,
    `        <Dt><Dt>${day}</Dt></Dt>`,
    '      </Bal>',
  ].join('\n');
}

function entry(e: BankEntry, currency: string): string {
  const credit = e.amountMinor > 0;
  const party = credit ? `<Dbtr><Pty><Nm>${xmlEscape(e.counterparty)}</Nm></Pty></Dbtr>` : `<Cdtr><Pty><Nm>${xmlEscape(e.counterparty)}</Nm></Pty></Cdtr>`;
  const family = e.payoutId === null && !credit && e.endToEndId === 'NOTPROVIDED' ? '<Cd>ACMT</Cd><Fmly><Cd>MDOP</Cd><SubFmlyCd>CHRG</SubFmlyCd></Fmly>' : credit ? '<Cd>PMNT</Cd><Fmly><Cd>RCDT</Cd><SubFmlyCd>ESCT</SubFmlyCd></Fmly>' : '<Cd>PMNT</Cd><Fmly><Cd>ICDT</Cd><SubFmlyCd>ESCT</SubFmlyCd></Fmly>';
  return [
    '      <Ntry>',
    `        <NtryRef>${e.bankReference}</NtryRef>`,
    `        <Amt Ccy="${currency}">${decimalOf(Math.abs(e.amountMinor), currency)}</Amt>`,
    `        <CdtDbtInd>${credit ? 'CRDT' : 'DBIT'}</CdtDbtInd>`,
    '        <Sts><Cd>BOOK</Cd></Sts>',
    `        <BookgDt><Dt>${e.day}</Dt></BookgDt>`,
    `        <ValDt><Dt>${e.day}</Dt></ValDt>`,
    `        <AcctSvcrRef>${e.bankReference}</AcctSvcrRef>`,
    `        <BkTxCd><Domn>${family}</Domn></BkTxCd>`,
    '        <NtryDtls><TxDtls>',
    `          <Refs><AcctSvcrRef>${e.bankReference}</AcctSvcrRef><EndToEndId>${xmlEscape(e.endToEndId)}</EndToEndId></Refs>`,
    `          <Amt Ccy="${currency}">${decimalOf(Math.abs(e.amountMinor), currency)}</Amt>`,
    `          <RltdPties>${party}</RltdPties>`,
    `          <RmtInf><Ustrd>${xmlEscape(e.remittance)}</Ustrd></RmtInf>`,
    '        </TxDtls></NtryDtls>',
    '      </Ntry>',
  ].join('\n');
}

function statement(month: BankAccountMonth, s: BankStatementDay): string {
  const { account } = month;
  const c = account.currency;
  const sum = s.entries.reduce((acc, e) => acc + Math.abs(e.amountMinor), 0);
  const net = s.closingMinor - s.openingMinor;
  const id = `${c}-${s.day.replace(/-/g, '')}`;
  return [
    '    <Stmt>',
    `      <Id>STMT-${id}</Id>`,
    `      <ElctrncSeqNb>${s.sequence}</ElctrncSeqNb>`,
    `      <CreDtTm>${s.day}T20:00:00+00:00</CreDtTm>`,
    `      <FrToDt><FrDtTm>${s.day}T00:00:00+00:00</FrDtTm><ToDtTm>${s.day}T23:59:59+00:00</ToDtTm></FrToDt>`,
    `      <Acct><Id><IBAN>${account.account}</IBAN></Id><Ccy>${c}</Ccy><Svcr><FinInstnId><BICFI>${account.bic}</BICFI><Nm>${xmlEscape(account.bankName)}</Nm></FinInstnId></Svcr></Acct>`,
    balance('OPBD', s.openingMinor, c, s.day),
    balance('CLBD', s.closingMinor, c, s.day),
    `      <TxsSummry><TtlNtries><NbOfNtries>${s.entries.length}</NbOfNtries><Sum>${decimalOf(sum, c)}</Sum><TtlNetNtry><Amt>${decimalOf(Math.abs(net), c)}</Amt><CdtDbtInd>${net < 0 ? 'DBIT' : 'CRDT'}</CdtDbtInd></TtlNetNtry></TtlNtries></TxsSummry>`,
    ...s.entries.map((e) => entry(e, c)),
    '    </Stmt>',
  ].join('\n');
}

export function camt053Document(month: BankAccountMonth, monthId: string): string {
  const last = month.statements[month.statements.length - 1];
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.08" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">',
    '  <BkToCstmrStmt>',
    `    <GrpHdr><MsgId>CAMT053-${month.account.currency}-${monthId}</MsgId><CreDtTm>${last?.day ?? monthId}T21:00:00+00:00</CreDtTm></GrpHdr>`,
    ...month.statements.map((s) => statement(month, s)),
    '  </BkToCstmrStmt>',
    '</Document>',
    '',
  ].join('\n');
}
