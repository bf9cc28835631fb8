import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { renderTemplate, tokenizeTemplate, type CompiledTemplate } from './template.ts';

describe('assignment template scanner', () => {
  it('splits literals and placeholders; a name runs to the first "}" and may hold spaces and parentheses', () => {
    expect(tokenizeTemplate('4000 Sales ${currency}')).toEqual([{ literal: '4000 Sales ' }, { placeholder: 'currency' }]);
    expect(tokenizeTemplate('${raw.partner_id (metadata)}/${ product }')).toEqual([{ placeholder: 'raw.partner_id (metadata)' }, { literal: '/' }, { placeholder: 'product' }]);
    expect(tokenizeTemplate('US$ 5 {x} $')).toEqual([{ literal: 'US$ 5 {x} $' }]);
  });

  it('says where a placeholder is unterminated or empty', () => {
    expect(tokenizeTemplate('P-${raw.partner')).toEqual({ problem: 'unterminated placeholder at character 3: expected "}" after "${raw.partner"' });
    expect(tokenizeTemplate('a${ }b')).toEqual({ problem: 'empty placeholder "${}" at character 2' });
  });

  it('property: literals without "${" and names without "}" round-trip', () => {
    const literal = fc.string({ minLength: 1, maxLength: 6 }).filter((text) => !text.includes('${') && !text.endsWith('$'));
    const name = fc.string({ minLength: 1, maxLength: 6 }).filter((text) => !text.includes('}') && text.trim() === text && text.length > 0);
    fc.assert(
      fc.property(fc.array(fc.oneof(literal.map((text) => ({ literal: text })), name.map((text) => ({ placeholder: text }))), { maxLength: 8 }), (parts) => {
        // Adjacent literals are one literal once joined.
        const merged: ({ literal: string } | { placeholder: string })[] = [];
        for (const part of parts) {
          const last = merged[merged.length - 1];
          if ('literal' in part && last !== undefined && 'literal' in last) merged[merged.length - 1] = { literal: last.literal + part.literal };
          else merged.push(part);
        }
        const text = merged.map((part) => ('literal' in part ? part.literal : `\${${part.placeholder}}`)).join('');
        expect(tokenizeTemplate(text)).toEqual(merged);
      }),
      { numRuns: 300 },
    );
  });

  it('renders trimmed values and stops at the first blank placeholder', () => {
    const template: CompiledTemplate<Record<string, string | null>> = ['id-', { placeholder: 'a', read: (input) => input.a ?? null }, '/', { placeholder: 'b', read: (input) => input.b ?? null }];
    expect(renderTemplate(template, { a: ' x ', b: 'y' })).toEqual({ value: 'id-x/y' });
    expect(renderTemplate(template, { a: null, b: '' })).toEqual({ emptyPlaceholder: 'a' });
    expect(renderTemplate(template, { a: 'x', b: ' \t' })).toEqual({ emptyPlaceholder: 'b' });
  });
});
