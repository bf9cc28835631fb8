/**
 * Characters that let text from a file act instead of being shown: C0 controls (CR and LF end a
 * journal line; ESC drives a terminal), DEL, C1 controls (U+0085 is a line end to some readers),
 * the Unicode line and paragraph separators, and the bidirectional overrides and isolates that
 * make a terminal show text in an order other than its own.
 */
export function isControlCharacter(code: number): boolean {
  return code < 0x20 || (code >= 0x7f && code <= 0x9f) || code === 0x2028 || code === 0x2029 || (code >= 0x202a && code <= 0x202e) || (code >= 0x2066 && code <= 0x2069);
}

/** Each such character as a visible \uXXXX escape: the text stays readable and can no longer act. `keep` spares one (e.g. LF in multi-line output). */
export function escapeControlCharacters(text: string, keep: string = ''): string {
  let escaped = '';
  let from = 0;
  for (let index = 0; index < text.length; index++) {
    const code = text.charCodeAt(index);
    if (!isControlCharacter(code) || keep.includes(text.charAt(index))) continue;
    escaped += `${text.slice(from, index)}\\u${code.toString(16).padStart(4, '0')}`;
    from = index + 1;
  }
  return from === 0 ? text : escaped + text.slice(from);
}
