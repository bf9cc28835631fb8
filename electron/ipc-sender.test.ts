import { describe, expect, it } from 'vitest';
import { isTrustedSenderFrame, isTrustedSenderUrl } from './ipc-sender.ts';

describe('IPC sender check', () => {
  it('trusts only the app:// origin', () => {
    expect(isTrustedSenderUrl('app://settledesk/index.html')).toBe(true);
    expect(isTrustedSenderUrl('app://settledesk/')).toBe(true);
    for (const url of ['https://settledesk/index.html', 'app://settledesk.evil/', 'app://evil/settledesk', 'file:///index.html', 'about:blank', '', null, undefined, 'not a url']) {
      expect(isTrustedSenderUrl(url)).toBe(false);
    }
  });
});

describe('IPC sender frame check', () => {
  const top = { url: 'app://settledesk/index.html', parent: null };
  it('trusts only the top-level frame on the app origin', () => {
    expect(isTrustedSenderFrame(top)).toBe(true);
    expect(isTrustedSenderFrame({ url: 'app://settledesk/frame.html', parent: top as never })).toBe(false);
    expect(isTrustedSenderFrame({ url: 'https://evil.example/', parent: null })).toBe(false);
    expect(isTrustedSenderFrame(null)).toBe(false);
    expect(isTrustedSenderFrame(undefined)).toBe(false);
  });
});
