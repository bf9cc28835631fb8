/**
 * The engine writes its calculation notes (adjustment explanations, the tier rule) in English.
 * A Korean statement shows them in Korean: each known note shape is rewritten with its numbers
 * kept as they are. A note of a shape not listed here (an engine change) is shown unchanged,
 * English but correct, rather than dropped; tests pin the shapes the engine writes today.
 */
type Rewrite = readonly [RegExp, (...groups: string[]) => string];

const SIDE: Readonly<Record<string, string>> = { higher: '상위', lower: '하위' };
const WHEN: Readonly<Record<string, string>> = { after: '후', before: '전' };
const BASIS: Readonly<Record<string, string>> = { gross: '총액', net: '순액', 'gross-share': '총 배분액', 'cash-paid': '실지급액', share: '배분액', 'net-payable': '순지급액' };

const word = (table: Readonly<Record<string, string>>, key: string): string => table[key] ?? key;

const RULES: readonly Rewrite[] = [
  [/^flat (\S+) %$/, (rate) => `단일 요율 ${rate} %`],
  [/^zero base$/, () => '기준액 0'],
  [/^negative base: zero share$/, () => '음수 기준액: 배분 없음'],
  [/^negative base: first tier rate (\S+) %$/, (rate) => `음수 기준액: 첫 구간 요율 ${rate} %`],
  [/^count (\S+) with a positive base: first tier rate (\S+) %$/, (count, rate) => `건수 ${count}, 양수 기준액: 첫 구간 요율 ${rate} %`],
  [/^marginal on (.+): each band at its own rate$/, (where) => `구간별 한계 요율 (${where})`],
  [/^retroactive on (.+): reached (\S+), boundary to the (\w+) tier, whole base at (\S+) %$/, (where, reached, side, rate) => `소급 요율 (${where}): ${reached} 도달, 경계값은 ${word(SIDE, side)} 구간, 전체 기준액에 ${rate} %`],
];

const NOTES: readonly Rewrite[] = [
  [/^platform fee (\S+) % on (\S+), separate from the split(.*)$/, (rate, basis, rest) => `플랫폼 수수료 ${rate} % (${word(BASIS, basis)} 기준), 배분 후 별도 차감${vatSuffix(rest)}`],
  [/^(\d+) transactions \(([^)]*)\) x (\S+?)(\s\(VAT.*)?$/, (count, kinds, fee, rest) => `거래 ${count}건 (${kinds}) × ${fee}${vatSuffix(rest ?? '')}`],
  [/^fixed fee per period(, charged in an empty period)?(.*)$/, (empty, rest) => `기간당 고정 수수료${empty ? ', 거래 없는 기간에도 부과' : ''}${vatSuffix(rest ?? '')}`],
  [/^VAT (\S+) % \(([^)]*)\) added on fees (\S+)$/, (rate, where, fees) => `부가가치세 ${rate} % (${where}), 수수료 ${fees}에 가산`],
  [/^VAT (\S+) % \(([^)]*)\) included in fees (\S+): (.*)$/, (rate, where, fees, formula) => `부가가치세 ${rate} % (${where}), 수수료 ${fees}에 포함: ${formula}`],
  [/^advance recouped from (\S+), at most (\S+) % of (\S+), (\S+) outstanding$/, (from, rate, basis, open) => `선급금 회수 (${word(BASIS, from)}에서), 최대 ${basis}의 ${rate} %, 미회수 잔액 ${open}`],
  [/^balance carried in from the previous period$/, () => '이전 기간에서 이월된 잔액'],
  [/^withholding (\S+) % on cash paid: no cash paid this period$/, (rate) => `원천징수 ${rate} %: 이번 기간 실지급 없음`],
  [/^withholding (\S+) % \(([^)]*)\) on (\S+) (after|before) carry-forward and recoupment: basis (\S+)$/, (rate, where, basis, when, amount) => `원천징수 ${rate} % (${where}), ${word(BASIS, basis)} 기준, 이월 및 회수 ${word(WHEN, when)}: 과세 기준액 ${amount}`],
  [/^negative balance (\S+) carried forward$/, (amount) => `음수 잔액 ${amount}, 다음 기간으로 이월`],
  [/^negative balance (\S+) written off$/, (amount) => `음수 잔액 ${amount} 상각`],
  [/^(\S+) is under the minimum payout (\S+): rolled into the next period$/, (amount, minimum) => `${amount}은(는) 최소 지급액 ${minimum} 미만: 다음 기간으로 이월`],
  [/^cap (\S+) applied (\S+): share reduced by (\S+)$/, (cap, when, cut) => `상한 ${cap} 적용 (${when === 'before-mg' ? '최소 보장 전' : '최소 보장 후'}): 배분액 ${cut} 감액`],
  [/^minimum guarantee (\S+) not applied: empty period$/, (amount) => `최소 보장액 ${amount}: 거래 없는 기간이므로 미적용`],
  [/^minimum guarantee (\S+): top-up (\S+) \((recoupable|not recoupable)\)$/, (amount, topUp, recoupable) => `최소 보장액 ${amount}: 보전액 ${topUp} (${recoupable === 'recoupable' ? '회수 가능' : '회수 불가'})`],
  [/^recouped (\S+) of earlier guarantee top-ups \((\S+) outstanding\) from the share above (\S+)$/, (recouped, open, above) => `이전 보장 보전액 중 ${recouped} 회수 (미회수 ${open}), ${above} 초과 배분액에서`],
];

function vatSuffix(rest: string): string {
  const vat = /^\s?\(VAT (\S+) % included\)$/.exec(rest);
  return vat === null ? rest : ` (부가가치세 ${vat[1] ?? ''} % 포함)`;
}

function rewrite(text: string, table: readonly Rewrite[]): string {
  for (const [pattern, write] of table) {
    const match = pattern.exec(text);
    if (match !== null) return write(...match.slice(1).map((group) => group ?? ''));
  }
  return text;
}

export function koreanRule(rule: string): string {
  return rewrite(rule, RULES);
}

export function koreanNote(note: string): string {
  return rewrite(note, NOTES);
}
