import type * as Electron from 'electron';
import type { DeskAlert } from '../renderer/host/host.ts';

/**
 * Desktop notifications for alerts (a conflict, a failed sync, an anomaly). Shown from main with
 * Electron's Notification, so the renderer needs no notification permission (it has none).
 */
export type NotificationClass = Pick<typeof Electron.Notification, 'isSupported'> & (new (options: Electron.NotificationConstructorOptions) => Pick<Electron.Notification, 'show'>);

export function showDeskAlert(Notification: NotificationClass, alert: DeskAlert): boolean {
  if (!Notification.isSupported()) return false;
  new Notification({
    title: alert.title,
    body: alert.body,
    // A high-severity alert stays until dismissed (Linux); an info one makes no sound.
    urgency: alert.severity === 'high' ? 'critical' : 'normal',
    silent: alert.severity === 'info',
  }).show();
  return true;
}
