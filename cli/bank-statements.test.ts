import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { mayHoldBatches } from './bank-statements.ts';

const utf8 = (text: string): Uint8Array => new TextEncoder().encode(text);

/** The decision as the decoded text's regular expressions made it before (the reference). */
function byPatterns(text: string): boolean {
  if (/<(?:[\w.-]+:)?Btch>/.test(text)) return true;
  const count = (pattern: RegExp): number => text.match(pattern)?.length ?? 0;
  return count(/<(?:[\w.-]+:)?TxDtls>/g) > count(/<(?:[\w.-]+:)?Ntry>/g);
}

describe('mayHoldBatches', () => {
  it('sees a Btch element, with or without a namespace prefix', () => {
    expect(mayHoldBatches(utf8('<Ntry><NtryDtls><Btch><NbOfTxs>2</NbOfTxs></Btch></NtryDtls></Ntry>'))).toBe(true);
    expect(mayHoldBatches(utf8('<doc:Ntry><doc:Btch>'))).toBe(true);
    expect(mayHoldBatches(utf8('<ns.v-1_2:Btch>'))).toBe(true);
  });

  it('counts TxDtls against Ntry: two details in one entry is a batch, one per entry is not', () => {
    expect(mayHoldBatches(utf8('<Ntry><TxDtls></TxDtls><TxDtls></TxDtls></Ntry>'))).toBe(true);
    expect(mayHoldBatches(utf8('<Ntry><TxDtls></TxDtls></Ntry><Ntry><TxDtls></TxDtls></Ntry>'))).toBe(false);
  });

  it('takes no closing tag, attribute or broken prefix for a start tag', () => {
    expect(mayHoldBatches(utf8('</Btch><Btch attr="1"><:Btch><a:b:Btch>Btch><x Btch>'))).toBe(false);
    expect(mayHoldBatches(utf8('<Ntry>정산 <TxDtls></TxDtls>'))).toBe(false);
  });

  it('decides as the regular expressions over the decoded text did, on any mix of tags and text', () => {
    const token = fc.constantFrom('<', '</', ':', 'Btch>', 'TxDtls>', 'Ntry>', 'Ntry', 'doc', 'a.b-c_1', ' ', '>', '정', '😀', '\n', 'x:');
    fc.assert(
      fc.property(fc.array(token, { maxLength: 40 }), (tokens) => {
        const text = tokens.join('');
        expect(mayHoldBatches(utf8(text))).toBe(byPatterns(text));
      }),
      { numRuns: 3000 },
    );
  });
});
