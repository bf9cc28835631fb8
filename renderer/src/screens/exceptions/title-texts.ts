import { registerScreenTexts, type Widen } from '../../../i18n/texts.ts';
import { registerRejectionReasonTexts } from '../imports/reason-texts.ts';

/**
 * Exception titles in the analyst's language, said from the record's type and details
 * (exception-title.ts). Core's English title stays the record's own text (CLI, exports) and is
 * shown for any record these texts do not cover. Placeholders arrive already formatted.
 */
export const EXCEPTION_TITLES_NS = 'exception-titles';

export const exceptionTitlesEn = {
  unmatched: {
    internal: 'internal transaction not found at the PSP or the bank: {{amount}} {{currency}} on {{date}}',
    psp: 'PSP line with no internal transaction: {{amount}} {{currency}} on {{date}}',
    pspUnsettled: 'PSP line not yet settled to the bank: {{amount}} {{currency}} on {{date}}',
    bank: 'bank movement not explained by the PSP or the internal ledger: {{amount}} {{currency}} on {{date}}',
  },
  /** Many unmatched rows of one day, account and currency as one exception (core's grouped unmatched). */
  unmatchedGroup: {
    internal: '{{count}} internal transactions not found at the PSP or the bank on {{date}}{{account}}: net {{net}} {{currency}}, gross {{gross}} {{currency}}',
    psp: '{{count}} PSP lines with no internal transaction on {{date}}{{account}}: net {{net}} {{currency}}, gross {{gross}} {{currency}}',
    pspUnsettled: '{{count}} PSP lines not yet settled to the bank on {{date}}{{account}}: net {{net}} {{currency}}, gross {{gross}} {{currency}}',
    bank: '{{count}} bank movements not explained by the PSP or the internal ledger on {{date}}{{account}}: net {{net}} {{currency}}, gross {{gross}} {{currency}}',
    account: ' (account {{account}})',
  },
  mismatch: 'matched by {{rule}} but {{unexplained}} {{currency}} is unexplained (difference {{difference}})',
  batch: {
    title: '{{problem}}: {{file}} line {{line}}{{booked}}{{details}} ({{count}} detail(s))',
    booked: ', booked {{amount}} {{currency}}',
    details: ', details {{amount}}',
    problem: {
      unlinked: 'batch details name no bank line of the statements',
      already_detailed: 'a second set of details for a batch entry already detailed',
      unreadable_details: 'batch entry with details that cannot be read',
      count_mismatch: 'batch entry whose details are not as many as it states',
      total_mismatch: 'batch entry whose details do not add up to it',
    },
  },
  fxMissing: 'no {{from}}/{{to}} rate for {{date}}: {{count}} transaction(s) cannot be matched across currencies',
  rejected: '{{file}} line {{line}}: {{reason}}',
  duplicate: '{{file}} line {{line}} repeats a known transaction and was not imported again',
  possibleDuplicate: '{{file}} lines {{lines}} look identical: all imported, confirm they are distinct',
  conflicting: {
    title: '{{file}} line {{line}} repeats the id of {{first}} with other money or dates ({{amount}} {{currency}}{{against}}): kept aside, not counted, until someone decides',
    earlierRow: 'an earlier row',
    firstLine: 'line {{line}}',
    against: ' against {{amount}} {{currency}}',
  },
  partnerQuery: 'Partner {{partner}} questions line {{line}} of {{period}} (revision {{revision}})',
  issue: {
    statementIncomplete: '{{file}}: statement {{statement}} {{account}} {{currency}}: {{count}} rejected entries are missing from its sums, so its balances cannot be checked until they are fixed',
    balanceMismatch: '{{file}}: statement {{statement}} {{account}} {{currency}}: opening {{opening}} + credits {{credits}} - debits {{debits}} != closing {{closing}}',
    encodingReplaced: '{{file}}: line(s) {{lines}}{{more}} not UTF-8, read as {{encoding}} (the single-byte code page that fits them best): only their text can differ, never an amount, date or reference; name the encoding if the text reads wrong',
    more: ' and {{count}} more',
    /** Where an importer's message says its lines ("lines 3, 5 and 2 more: …"). */
    at: 'line(s) {{lines}}{{more}}',
    reversalConvention: '{{file}} line {{line}}: statement {{statement}} {{account}} {{currency}} balances only if its {{count}} reversal(s) (RvslInd) are signed the other way; read with reversalSign \'{{sign}}\': if this bank signs reversals the other way, import this account with reversalSign \'{{other}}\'',
    /** A BAI2 control check said from its code and values (core/importers/bai2.ts). */
    control: {
      account_total: 'line {{line}}: 49 control total {{stated}} != {{counted}}, the sum of the amounts of account {{account}} (line {{accountLine}})',
      account_records: 'line {{line}}: 49 record count {{stated}} != {{counted}} records of account {{account}} (line {{accountLine}})',
      credit_summary: 'line {{line}}: 100 total credits {{stated}} ({{statedItems}} items) != {{counted}} ({{countedItems}} items) in the details of account {{account}} (line {{accountLine}})',
      debit_summary: 'line {{line}}: 400 total debits {{stated}} ({{statedItems}} items) != {{counted}} ({{countedItems}} items) in the details of account {{account}} (line {{accountLine}})',
      group_total: 'line {{line}}: 98 control total {{stated}} != {{counted}}, the sum of the group\'s 49 totals',
      group_accounts: 'line {{line}}: 98 account count {{stated}} != {{counted}} accounts in the group',
      group_records: 'line {{line}}: 98 record count {{stated}} != {{counted}} records in the group',
      file_total: 'line {{line}}: 99 control total {{stated}} != {{counted}}, the sum of the 98 totals',
      file_groups: 'line {{line}}: 99 group count {{stated}} != {{counted}} groups in the file',
      file_records: 'line {{line}}: 99 record count {{stated}} != {{counted}} records in the file',
    },
    /** A camt statement's TxsSummry figures that differ from its entries (core/importers/camt.ts). */
    summary: {
      whole: '{{element}} {{statementId}} {{account}}: {{parts}}',
      part: '{{path}} {{stated}} but {{read}} read',
    },
    /** A format rule an importer says by code (core/importers BrokenRules): the rule, its lines said before it. */
    rule: {
      comma_missing: 'an amount without its decimal comma (read as a whole number)',
      indented_tag: 'a tag line indented by spaces (a tag starts its line)',
      zero_balance_unsigned: 'a zero balance :{{tag}}: without its C/D mark (zero needs no sign)',
      balance_unsigned: 'a balance :{{tag}}: without its C/D mark: its sign would be a guess, so the balance is left out',
      spaces_in_61: 'stray spaces between the subfields of :61: (MT940 writes them without spaces)',
      ends_before_closing: 'the file ends inside a statement before its closing balance :62F: (it may have been cut short); its balance is not checked',
      closing_missing: 'a statement without its closing balance :62F:/:62M:; its balance is not checked',
      stray_spaces: 'stray spaces around fields (BAI2 fields are not padded)',
      several_records: 'several records on one line (BAI2 puts each record on a line of its own)',
      blank_control_total: 'a blank control total in a 49/98/99 trailer (that total is not checked; the trailers around it still are)',
      blank_count: 'a blank record, account or group count in a trailer (that count is not checked)',
      ends_after_49: 'the file ends after a whole 49 trailer without its 98 and 99 trailers (the file totals are not checked)',
      ends_after_98: 'the file ends after a whole 98 trailer without its 99 file trailer (the file totals are not checked)',
      balance_type_missing: '{{path}}/Bal has no type code (Tp/CdOrPrtry): the balance is left out',
      balance_sign_missing: '{{path}}/Bal {{balance}} has no CdtDbtInd: its sign would be a guess, so the balance is left out',
      clbd_missing: '{{element}} {{statementId}} has no closing balance (CLBD), which camt.053 requires: its entries are imported, the statement cannot be checked against its balances',
      curdef_missing: '<{{element}}> has no CURDEF: each transaction is read in the currency its CURRENCY/CURSYM names, one that names none is rejected',
      curdef_empty: '<{{element}}> has an empty CURDEF: each transaction is read in the currency its CURRENCY/CURSYM names, one that names none is rejected',
      required_balance_missing: '<{{element}}> has no {{balance}} (it is required): no closing balance to check the statement against',
      balamt_empty: '{{balance}}/BALAMT is empty: read as no balance',
      balance_currency_unknown: '{{balance}} has an amount but CURDEF is empty, so its currency would be a guess: left out',
      sgml_body: 'the header says OFX 2 (XML) but the body is OFX 1 SGML (leaf elements without end tags; not XML at line {{xmlLine}}): read as SGML',
      end_tag_closes_open_one: '</{{endTag}}> closes {{open}}, which has no end tag',
      end_tag_closes_open_other: '</{{endTag}}> closes {{open}}, which have no end tag',
      ends_unclosed: 'the file ends with {{open}} not closed: read as closed there; if the file was cut short, what followed is missing',
    },
    /** One OFX element left open, in the list {{open}} of the two rules above. */
    openElement: '<{{element}}> (line {{line}})',
    /** An issue whose details are the importer's own words: named by its code, the words after it. */
    other: '{{file}}: {{kind}}: {{detail}}',
    kind: {
      control_total_mismatch: 'control totals do not match',
      format_rule_broken: 'format rule broken, imported because every amount, sign and date could be read',
      statement_gap: 'gap between statements',
      encoding_replaced: 'text not in UTF-8',
      reversal_convention: 'reversals signed the other way',
    },
  },
} as const;

export const exceptionTitlesKo: Widen<typeof exceptionTitlesEn> = {
  unmatched: {
    internal: 'PSP나 은행에서 찾지 못한 내부 거래: {{date}} {{amount}} {{currency}}',
    psp: '내부 거래가 없는 PSP 행: {{date}} {{amount}} {{currency}}',
    pspUnsettled: '아직 은행으로 정산되지 않은 PSP 행: {{date}} {{amount}} {{currency}}',
    bank: 'PSP나 내부 원장으로 설명되지 않는 은행 거래: {{date}} {{amount}} {{currency}}',
  },
  unmatchedGroup: {
    internal: '{{date}}{{account}} PSP나 은행에서 찾지 못한 내부 거래 {{count}}건: 순액 {{net}} {{currency}}, 총액 {{gross}} {{currency}}',
    psp: '{{date}}{{account}} 내부 거래가 없는 PSP 행 {{count}}건: 순액 {{net}} {{currency}}, 총액 {{gross}} {{currency}}',
    pspUnsettled: '{{date}}{{account}} 아직 은행으로 정산되지 않은 PSP 행 {{count}}건: 순액 {{net}} {{currency}}, 총액 {{gross}} {{currency}}',
    bank: '{{date}}{{account}} PSP나 내부 원장으로 설명되지 않는 은행 거래 {{count}}건: 순액 {{net}} {{currency}}, 총액 {{gross}} {{currency}}',
    account: ' (계좌 {{account}})',
  },
  mismatch: '{{rule}} 기준으로 대사했지만 설명되지 않는 금액 {{unexplained}} {{currency}} (차액 {{difference}})',
  batch: {
    title: '{{problem}}: {{file}} {{line}}행{{booked}}{{details}} (상세 {{count}}건)',
    booked: ', 기장액 {{amount}} {{currency}}',
    details: ', 상세 합계 {{amount}}',
    problem: {
      unlinked: '묶음 상세가 명세서의 어느 은행 행도 가리키지 않음',
      already_detailed: '이미 상세가 있는 묶음 항목에 두 번째 상세',
      unreadable_details: '상세를 읽을 수 없는 묶음 항목',
      count_mismatch: '상세 건수가 적힌 건수와 다른 묶음 항목',
      total_mismatch: '상세 합계가 금액과 맞지 않는 묶음 항목',
    },
  },
  fxMissing: '{{date}}의 {{from}}/{{to}} 환율 없음: 거래 {{count}}건을 통화 간 대사할 수 없음',
  rejected: '{{file}} {{line}}행: {{reason}}',
  duplicate: '{{file}} {{line}}행은 이미 있는 거래를 반복하므로 다시 가져오지 않음',
  possibleDuplicate: '{{file}} {{lines}}행이 똑같아 보임: 모두 가져왔으니 서로 다른 거래인지 확인하세요',
  conflicting: {
    title: '{{file}} {{line}}행이 {{first}}의 id를 다른 금액이나 날짜로 반복함 ({{amount}} {{currency}}{{against}}): 누군가 결정할 때까지 따로 두고 합산하지 않음',
    earlierRow: '앞선 행',
    firstLine: '{{line}}행',
    against: ', 앞선 행은 {{amount}} {{currency}}',
  },
  partnerQuery: '파트너 {{partner}}의 {{period}} 명세서 (개정 {{revision}}) {{line}}번 항목 문의',
  issue: {
    statementIncomplete: '{{file}}: 명세서 {{statement}} {{account}} {{currency}}: 거부된 항목 {{count}}건이 합계에서 빠져 있어, 고치기 전에는 잔액을 확인할 수 없음',
    balanceMismatch: '{{file}}: 명세서 {{statement}} {{account}} {{currency}}: 기초 잔액 {{opening}} + 입금 {{credits}} - 출금 {{debits}} ≠ 기말 잔액 {{closing}}',
    encodingReplaced: '{{file}}: {{lines}}행{{more}}이 UTF-8이 아니어서 가장 잘 맞는 단일 바이트 코드 페이지 {{encoding}}(으)로 읽음: 텍스트만 다를 수 있고 금액·날짜·참조는 그대로임. 텍스트가 이상하면 파일의 인코딩을 지정하세요',
    more: ' 외 {{count}}개 행',
    at: '{{lines}}행{{more}}',
    reversalConvention: '{{file}} {{line}}행: 명세서 {{statement}} {{account}} {{currency}}은(는) 취소 거래 {{count}}건(RvslInd)의 부호를 반대로 해야 잔액이 맞음. reversalSign \'{{sign}}\'(으)로 읽었으니, 이 은행이 취소 거래 부호를 반대로 쓴다면 이 계좌는 reversalSign \'{{other}}\'(으)로 가져오세요',
    control: {
      account_total: '{{line}}행: 49 레코드의 관리 합계 {{stated}} ≠ 계좌 {{account}}({{accountLine}}행)의 금액 합계 {{counted}}',
      account_records: '{{line}}행: 49 레코드의 레코드 수 {{stated}} ≠ 계좌 {{account}}({{accountLine}}행)의 레코드 {{counted}}개',
      credit_summary: '{{line}}행: 계좌 {{account}}({{accountLine}}행)의 100 입금 합계 {{stated}}({{statedItems}}건) ≠ 상세 내역 {{counted}}({{countedItems}}건)',
      debit_summary: '{{line}}행: 계좌 {{account}}({{accountLine}}행)의 400 출금 합계 {{stated}}({{statedItems}}건) ≠ 상세 내역 {{counted}}({{countedItems}}건)',
      group_total: '{{line}}행: 98 레코드의 관리 합계 {{stated}} ≠ 그룹 내 49 합계의 합 {{counted}}',
      group_accounts: '{{line}}행: 98 레코드의 계좌 수 {{stated}} ≠ 그룹의 계좌 {{counted}}개',
      group_records: '{{line}}행: 98 레코드의 레코드 수 {{stated}} ≠ 그룹의 레코드 {{counted}}개',
      file_total: '{{line}}행: 99 레코드의 관리 합계 {{stated}} ≠ 98 합계의 합 {{counted}}',
      file_groups: '{{line}}행: 99 레코드의 그룹 수 {{stated}} ≠ 파일의 그룹 {{counted}}개',
      file_records: '{{line}}행: 99 레코드의 레코드 수 {{stated}} ≠ 파일의 레코드 {{counted}}개',
    },
    summary: {
      whole: '명세서({{element}}) {{statementId}} {{account}}: {{parts}}',
      part: '{{path}} 파일 기재 {{stated}}, 읽은 값 {{read}}',
    },
    rule: {
      comma_missing: '소수점 쉼표가 없는 금액 (정수로 읽음)',
      indented_tag: '공백으로 들여쓴 태그 줄 (태그는 줄 맨 앞에서 시작해야 함)',
      zero_balance_unsigned: '0 잔액 :{{tag}}:에 C/D 표시가 없음 (0에는 부호가 필요 없음)',
      balance_unsigned: '잔액 :{{tag}}:에 C/D 표시가 없어 부호를 추측해야 하므로 이 잔액은 제외함',
      spaces_in_61: ':61: 하위 필드 사이의 불필요한 공백 (MT940은 공백 없이 씀)',
      ends_before_closing: '기말 잔액 :62F: 전에 명세서 중간에서 파일이 끝남 (잘렸을 수 있음). 잔액은 확인하지 않음',
      closing_missing: '기말 잔액 :62F:/:62M:이 없는 명세서. 잔액은 확인하지 않음',
      stray_spaces: '필드 앞뒤의 불필요한 공백 (BAI2 필드는 공백으로 채우지 않음)',
      several_records: '한 줄에 여러 레코드 (BAI2는 레코드마다 한 줄씩 씀)',
      blank_control_total: '49/98/99 트레일러의 관리 합계가 비어 있음 (이 합계는 확인하지 않으며, 앞뒤 트레일러는 그대로 확인함)',
      blank_count: '트레일러의 레코드·계좌·그룹 수가 비어 있음 (이 수는 확인하지 않음)',
      ends_after_49: '49 트레일러 뒤에 98, 99 트레일러 없이 파일이 끝남 (파일 합계는 확인하지 않음)',
      ends_after_98: '98 트레일러 뒤에 99 파일 트레일러 없이 파일이 끝남 (파일 합계는 확인하지 않음)',
      balance_type_missing: '{{path}}/Bal에 유형 코드(Tp/CdOrPrtry)가 없어 이 잔액은 제외함',
      balance_sign_missing: '{{path}}/Bal {{balance}}에 CdtDbtInd가 없어 부호를 추측해야 하므로 이 잔액은 제외함',
      clbd_missing: '{{element}} {{statementId}}에 camt.053이 요구하는 기말 잔액(CLBD)이 없음: 거래는 가져왔지만 잔액으로 명세서를 확인할 수 없음',
      curdef_missing: '<{{element}}>에 CURDEF가 없음: 각 거래는 CURRENCY/CURSYM에 적힌 통화로 읽고, 통화가 없는 거래는 거부함',
      curdef_empty: '<{{element}}>의 CURDEF가 비어 있음: 각 거래는 CURRENCY/CURSYM에 적힌 통화로 읽고, 통화가 없는 거래는 거부함',
      required_balance_missing: '<{{element}}>에 필수 항목 {{balance}}이(가) 없음: 명세서를 확인할 기말 잔액이 없음',
      balamt_empty: '{{balance}}/BALAMT가 비어 있어 잔액 없음으로 읽음',
      balance_currency_unknown: '{{balance}}에 금액은 있지만 CURDEF가 비어 있어 통화를 추측해야 하므로 제외함',
      sgml_body: '머리글은 OFX 2(XML)이지만 본문은 OFX 1 SGML임 (끝 태그 없는 요소, {{xmlLine}}행부터 XML이 아님): SGML로 읽음',
      end_tag_closes_open_one: '</{{endTag}}> 태그가 끝 태그가 없는 {{open}}까지 닫음',
      end_tag_closes_open_other: '</{{endTag}}> 태그가 끝 태그가 없는 {{open}}까지 닫음',
      ends_unclosed: '파일이 {{open}}을(를) 닫지 않은 채 끝남: 끝에서 닫힌 것으로 읽었으며, 파일이 잘렸다면 그 뒤의 내용은 빠져 있음',
    },
    openElement: '<{{element}}>({{line}}행)',
    other: '{{file}}: {{kind}}: {{detail}}',
    kind: {
      control_total_mismatch: '관리 합계 불일치',
      format_rule_broken: '형식 규칙 위반 (금액·부호·날짜는 모두 읽을 수 있어 가져옴)',
      statement_gap: '명세서 사이 누락 구간',
      encoding_replaced: 'UTF-8이 아닌 텍스트',
      reversal_convention: '취소 거래 부호 규칙 불일치',
    },
  },
};

export function registerExceptionTitleTexts(): void {
  registerScreenTexts(EXCEPTION_TITLES_NS, { en: exceptionTitlesEn, ko: exceptionTitlesKo });
  // A rejected row's title says its reason in these texts (exception-title.ts).
  registerRejectionReasonTexts();
}
