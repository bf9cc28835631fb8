import type * as Electron from 'electron';

/**
 * The desk needs no browser permission: camera, microphone, geolocation, notifications (alerts go
 * through the host adapter and a main-process Notification), clipboard reads, HID/USB/serial.
 * Every request and check is answered "no", and web-initiated downloads are cancelled (files are
 * saved through the native save dialog).
 */
export type GuardedSession = Pick<Electron.Session, 'setPermissionRequestHandler' | 'setPermissionCheckHandler' | 'setDevicePermissionHandler' | 'on'>;

export function guardSession(session: GuardedSession): void {
  session.setPermissionRequestHandler((_webContents, _permission, callback) => callback(false));
  session.setPermissionCheckHandler(() => false);
  session.setDevicePermissionHandler(() => false);
  session.on('will-download', (event) => event.preventDefault());
}
