import { describe, expect, it } from 'vitest';
import { canonicalJson } from '../../core/canonical/json.ts';
import { statementHash } from '../../core/settlement/index.ts';
import { row, settle } from '../../core/settlement/testkit.ts';
import { checkQuery, statementCsvText, statementFileStem, statementJsonText, verifyStatementHash } from './statement-files.ts';

/**
 * What the portal computes in the page. The statement: two sales of 100.00 and 50.00 at a 70 %
 * share, so the payable is 105.00 (70 % of 150.00); one product name is a spreadsheet formula.
 */
const statement = settle({ share: { rate: '70' } }, [row('sale', '100.00', { productId: '=HYPERLINK("http://x","y")' }), row('sale', '50.00', { productId: '=HYPERLINK("http://x","y")' })]);

describe('portal statement checks and files', () => {
  it('recomputes the canonical hash with core and tells a changed amount apart', () => {
    expect(statement.totals.payable).toBe('105.00');
    const sha256 = statementHash(statement);
    expect(verifyStatementHash(statement, sha256)).toEqual({ computed: sha256, matches: true });
    const altered = { ...statement, totals: { ...statement.totals, payable: '150.00' } };
    const check = verifyStatementHash(altered, sha256);
    expect(check.matches).toBe(false);
    expect(check.computed).not.toBe(sha256);
  });

  it('writes the JSON as settle does and the CSV through the formula neutralizer', () => {
    const sha256 = statementHash(statement);
    expect(statementJsonText(statement, sha256)).toBe(`${canonicalJson({ statement, sha256 })}\n`);
    const [header, line, end] = statementCsvText(statement).split('\r\n');
    expect(header?.startsWith('partner_id,period_start,period_end,')).toBe(true);
    // The product cell is quote-prefixed and quoted; amounts stay plain decimals.
    expect(line).toContain(`"'=HYPERLINK(""http://x"",""y"")"`);
    // 2 transactions, none late; base exact 100.00 + 50.00 = 150 as the engine writes it, rounded 150.00.
    expect(line).toContain(',EUR,2,0,150,150.00,EUR,exact,');
    expect(end).toBe('');
    expect(statementFileStem({ partnerId: 'studio/../x', revision: 2 }, '2026-01')).toBe('studio_.._x-2026-01-r2');
  });

  it('checks a query as the server does: text required and bounded, an optional exact decimal', () => {
    expect(checkQuery(1, '  Why 50.00?  ', '')).toEqual({ ok: true, body: { line: 1, text: 'Why 50.00?' } });
    expect(checkQuery(2, 'Short by 12.50', ' -12.50 ')).toEqual({ ok: true, body: { line: 2, text: 'Short by 12.50', claimedAmount: '-12.50' } });
    expect(checkQuery(1, '   ', '1e3')).toEqual({ ok: false, errors: { text: 'textRequired', claimedAmount: 'amountInvalid' } });
    expect(checkQuery(1, 'x'.repeat(4001), '12,50')).toEqual({ ok: false, errors: { text: 'textTooLong', claimedAmount: 'amountInvalid' } });
    expect(checkQuery(1, 'x'.repeat(4000), '0.5').ok).toBe(true);
  });
});
