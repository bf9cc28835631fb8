import { describe, expect, it } from 'vitest';
import { FakeSession, type Permission } from '../../tests/support/fake-electron.ts';
import { guardSession, type GuardedSession } from './session.ts';

describe('session guard', () => {
  it('denies every permission request and check, device access and web downloads', () => {
    const session = new FakeSession();
    expect(session.request('media')).toBe('unanswered');
    guardSession(session as unknown as GuardedSession);
    const permissions: Permission[] = ['media', 'geolocation', 'notifications', 'clipboard-read', 'openExternal', 'hid', 'fullscreen'];
    for (const permission of permissions) {
      expect(session.request(permission), permission).toBe(false);
      expect(session.check(permission), permission).toBe(false);
    }
    expect(session.deviceHandler?.({ deviceType: 'usb', origin: 'app://settledesk', device: {} as never })).toBe(false);
    expect(session.download()).toBe(true);
  });
});
