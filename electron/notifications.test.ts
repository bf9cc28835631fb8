import type * as Electron from 'electron';
import { describe, expect, it } from 'vitest';
import { showDeskAlert, type NotificationClass } from './notifications.ts';

function fakeNotification(supported: boolean): { Notification: NotificationClass; shown: Electron.NotificationConstructorOptions[] } {
  const shown: Electron.NotificationConstructorOptions[] = [];
  class FakeNotification {
    constructor(private readonly options: Electron.NotificationConstructorOptions) {}
    show(): void {
      shown.push(this.options);
    }
    static isSupported(): boolean {
      return supported;
    }
  }
  return { Notification: FakeNotification, shown };
}

describe('desktop notifications for alerts', () => {
  it('shows a high alert as critical and an info alert silently', () => {
    const { Notification, shown } = fakeNotification(true);
    expect(showDeskAlert(Notification, { title: 'Conflict', body: 'P001 exception', severity: 'high' })).toBe(true);
    showDeskAlert(Notification, { title: 'Synced', body: '12 changes', severity: 'info' });
    expect(shown).toEqual([
      { title: 'Conflict', body: 'P001 exception', urgency: 'critical', silent: false },
      { title: 'Synced', body: '12 changes', urgency: 'normal', silent: true },
    ]);
  });

  it('shows nothing where the OS has no notifications', () => {
    const { Notification, shown } = fakeNotification(false);
    expect(showDeskAlert(Notification, { title: 'Conflict', body: '', severity: 'high' })).toBe(false);
    expect(shown).toEqual([]);
  });
});
