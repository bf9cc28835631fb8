import { assert } from '../assert.ts';

/**
 * Assignment templates: a rule's assigned value may hold `${name}` placeholders, filled per
 * transaction (a canonical field, `raw.<column>`, or a named capture group of the rule's regex).
 * The scanner is written by hand: the syntax is a single token kind, and no template library
 * lets a name hold spaces and parentheses ("raw.partner_id (metadata)") without escaping.
 * A name runs to the first `}`, so a column whose name holds `}` cannot be templated, and a
 * literal `${` cannot be written (no assigned account or id needs one).
 */
export type TemplateToken = { readonly literal: string } | { readonly placeholder: string };

export const TEMPLATE_CHARS_MAX = 500;

/** Splits a template into literal text and placeholder names, or says why it cannot. */
export function tokenizeTemplate(text: string): TemplateToken[] | { readonly problem: string } {
  assert(text.length <= TEMPLATE_CHARS_MAX, 'templates are bounded by the rule schema', { chars: text.length });
  const tokens: TemplateToken[] = [];
  let cursor = 0;
  // Each pass consumes at least the two characters of "${", so the loop ends within the text's length.
  while (cursor < text.length) {
    const open = text.indexOf('${', cursor);
    if (open < 0) {
      tokens.push({ literal: text.slice(cursor) });
      break;
    }
    if (open > cursor) tokens.push({ literal: text.slice(cursor, open) });
    const close = text.indexOf('}', open + 2);
    if (close < 0) return { problem: `unterminated placeholder at character ${open + 1}: expected "}" after ${JSON.stringify(text.slice(open))}` };
    const name = text.slice(open + 2, close).trim();
    if (name.length === 0) return { problem: `empty placeholder "\${}" at character ${open + 1}` };
    tokens.push({ placeholder: name });
    cursor = close + 1;
  }
  return tokens;
}

/** A placeholder bound to how it is read from one transaction (and the groups its rule captured). */
export interface BoundPlaceholder<Input> {
  readonly placeholder: string;
  readonly read: (input: Input) => string | null;
}

export type CompiledTemplate<Input> = readonly (string | BoundPlaceholder<Input>)[];

export type RenderedTemplate = { readonly value: string } | { readonly emptyPlaceholder: string };

/**
 * Fills a template. A placeholder that reads null or blank stops it: an id stitched around a
 * missing part ("P001-" or "") is wrong, and the caller turns it into an unclassified transaction.
 */
export function renderTemplate<Input>(template: CompiledTemplate<Input>, input: Input): RenderedTemplate {
  let value = '';
  for (const part of template) {
    if (typeof part === 'string') {
      value += part;
      continue;
    }
    const text = part.read(input);
    if (text === null || text.trim().length === 0) return { emptyPlaceholder: part.placeholder };
    value += text.trim();
  }
  const trimmed = value.trim();
  assert(trimmed.length > 0, 'a template with every placeholder filled is not blank (literal-only values are non-blank by schema)', { template: template.length });
  return { value: trimmed };
}
