/**
 * The Content-Security-Policy header main puts on every app:// response (the renderer's meta tag
 * is a second line of defence, for `npm run web`). Scripts only from the app itself: no inline
 * script, no eval, no remote code. Styles allow 'unsafe-inline' because React style props and AG
 * Grid set element styles; styles cannot run code. connect-src lists the sync server's origin once
 * one is configured, and nothing else.
 */
export interface ContentSecurityPolicyOptions {
  /** Exact origins (scheme://host[:port]) the renderer may fetch from, e.g. the sync server. */
  readonly connectOrigins: readonly string[];
}

const ORIGIN_PATTERN = /^https?:\/\/[a-z0-9.-]+(:\d{1,5})?$/i;

export function buildContentSecurityPolicy(options: ContentSecurityPolicyOptions): string {
  for (const origin of options.connectOrigins) {
    // A space or semicolon here would add a directive of its own.
    if (!ORIGIN_PATTERN.test(origin)) throw new TypeError(`not an origin for connect-src: ${JSON.stringify(origin)}`);
  }
  return [
    "default-src 'none'",
    "script-src 'self'",
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self' data:",
    `connect-src ${["'self'", ...options.connectOrigins].join(' ')}`,
    "worker-src 'self'",
    "manifest-src 'self'",
    "frame-src 'none'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join('; ');
}
