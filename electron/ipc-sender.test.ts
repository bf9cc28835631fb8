import { describe, expect, it } from 'vitest';
import { isTrustedSenderUrl } from './ipc-sender.ts';

describe('IPC sender check', () => {
  it('trusts only the app:// origin', () => {
    expect(isTrustedSenderUrl('app://settledesk/index.html')).toBe(true);
    expect(isTrustedSenderUrl('app://settledesk/')).toBe(true);
    for (const url of ['https://settledesk/index.html', 'app://settledesk.evil/', 'app://evil/settledesk', 'file:///index.html', 'about:blank', '', null, undefined, 'not a url']) {
      expect(isTrustedSenderUrl(url)).toBe(false);
    }
  });
});
