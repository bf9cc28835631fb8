import type { MatchGroup } from '../core/reconcile/index.ts';
import { jsonString } from './json-stream.ts';

type Money = MatchGroup['leftTotal'];

function idsJson(ids: readonly string[]): string {
  let text = '[';
  for (let index = 0; index < ids.length; index++) text += (index === 0 ? '' : ',') + jsonString(ids[index] as string);
  return `${text}]`;
}

function moneyJson(money: Money): string {
  return money === null ? 'null' : `{"amount":${jsonString(money.amount)},"currency":${jsonString(money.currency)}}`;
}

/**
 * `head` followed by the group's members as JSON.stringify(group) writes them, and the closing
 * brace: `head` is the caller's opening brace and members before the group's own. One template
 * per group instead of JSON.stringify's walk over its keys (a million groups); the member order
 * is the one match.ts builds a group in, which a test holds to JSON.stringify's text.
 */
export function groupJson(head: string, group: MatchGroup): string {
  return (
    `${head}"id":${jsonString(group.id)},"rule":${jsonString(group.rule)},"leftIds":${idsJson(group.leftIds)},"rightIds":${idsJson(group.rightIds)}` +
    `,"leftTotal":${moneyJson(group.leftTotal)},"rightTotal":${moneyJson(group.rightTotal)},"difference":${jsonString(group.difference)},"currency":${jsonString(group.currency)}` +
    `,"dateDistanceDays":${group.dateDistanceDays},"fx":${JSON.stringify(group.fx)},"variance":${JSON.stringify(group.variance)}}`
  );
}
