import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { generateDemoMonth } from '../../core/demo/generate.ts';
import { Decimal } from '../../core/money/decimal.ts';
import { runCli } from './run-cli.ts';

/**
 * insights' text forecast shows money going out, not only coming in: per week the inflow, the
 * payouts due to partners (outflow), the net and the cumulative position, each week adding up by
 * hand: net = inflow - payouts due, position = the running sum of net, inside its own band.
 */
const sha256 = (text: string): string => createHash('sha256').update(text, 'utf8').digest('hex');

describe('settledesk insights text: outflows, net and cumulative forecast', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'settledesk-insights-cash-'));
  const month = generateDemoMonth({ small: true, seed: 42 }, sha256);
  for (const file of month.files) {
    mkdirSync(path.dirname(path.join(dir, file.path)), { recursive: true });
    writeFileSync(path.join(dir, file.path), file.text);
  }
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('prints each week with payouts due, net and position that add up', () => {
    const run = runCli(['insights', '--transactions', path.join(dir, 'psp'), '--rules', path.join(dir, 'rules.json'), '--agreements', path.join(dir, 'agreements'), '--retrospective', '--horizon', '4']);
    expect(run.status).toBe(0);
    const section = run.stdout.split(/\nCash forecast EUR after \S+ /)[1]?.split('\n\n')[0] ?? '';
    expect(section).toMatch(/week\s+inflow\s+low\s+high\s+payouts due\s+net\s+position\s+low\s+high/);
    const weeks = section.split('\n').filter((line) => /^\d{4}-\d\d-\d\d /.test(line)).map((line) => line.trim().split(/\s+/));
    expect(weeks).toHaveLength(4);
    let position = new Decimal(0);
    let outflow = new Decimal(0);
    for (const [, inflow, , , due, net, shown, low, high] of weeks as string[][]) {
      expect(new Decimal(net as string).equals(new Decimal(inflow as string).minus(due as string))).toBe(true);
      position = position.plus(net as string);
      expect(new Decimal(shown as string).equals(position)).toBe(true);
      expect(new Decimal(low as string).lte(shown as string) && new Decimal(shown as string).lte(high as string)).toBe(true);
      outflow = outflow.plus(due as string);
    }
    // The month's EUR statements fall due inside the horizon: money goes out in the forecast.
    expect(outflow.gt(0)).toBe(true);
  });
});
