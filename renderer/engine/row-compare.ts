/**
 * Exact order of canonical decimal strings without a decimal.js object per comparison (a sort of
 * a million amounts compares them twenty million times): sign, then the integer digits, then the
 * fraction, as text. Blanks first, as the grid's compareDecimal does.
 */
const DECIMAL = /^(-?)(\d+)(?:\.(\d+))?$/;

interface Parts {
  readonly negative: boolean;
  readonly whole: string;
  readonly fraction: string;
}

function partsOf(text: string): Parts {
  const match = DECIMAL.exec(text);
  if (match === null) throw new TypeError(`not a decimal string: ${JSON.stringify(text)}`);
  const whole = (match[2] ?? '').replace(/^0+/, '');
  const fraction = (match[3] ?? '').replace(/0+$/, '');
  // "-0" and "-0.00" are zero, not below it.
  return { negative: match[1] === '-' && (whole !== '' || fraction !== ''), whole, fraction };
}

function compareMagnitude(a: Parts, b: Parts): number {
  if (a.whole.length !== b.whole.length) return a.whole.length < b.whole.length ? -1 : 1;
  if (a.whole !== b.whole) return a.whole < b.whole ? -1 : 1;
  // Fractions without trailing zeros compare as text: "05" < "1", "5" > "49".
  return a.fraction < b.fraction ? -1 : a.fraction > b.fraction ? 1 : 0;
}

export function compareDecimalText(a: string | null, b: string | null): number {
  const left = a === null || a === '' ? null : a;
  const right = b === null || b === '' ? null : b;
  if (left === null || right === null) return left === right ? 0 : left === null ? -1 : 1;
  const x = partsOf(left);
  const y = partsOf(right);
  if (x.negative !== y.negative) return x.negative ? -1 : 1;
  const magnitude = compareMagnitude(x, y);
  // 0 - magnitude, not -magnitude: two equal negatives compare as +0, not -0.
  return x.negative ? 0 - magnitude : magnitude;
}

/** An integer's text scaled by 10^digits back to a decimal string ("-1234500", 6 -> "-1.2345"); null when it is not an integer. */
export function decimalOfScaledText(text: string, digits: number): string | null {
  const match = /^(-?)(\d+)$/.exec(text.trim());
  if (match === null) return null;
  const padded = (match[2] ?? '').padStart(digits + 1, '0');
  const whole = padded.slice(0, padded.length - digits).replace(/^0+(?=\d)/, '');
  const fraction = padded.slice(padded.length - digits).replace(/0+$/, '');
  return `${match[1] ?? ''}${whole}${fraction === '' ? '' : `.${fraction}`}`;
}
