import { z } from 'zod';
import type { DeskAlert, HostInfo } from '../../renderer/host/host.ts';
import { defineHandler } from './define.ts';

/** Host facts, outside links and desktop notifications. */
export interface HostServices {
  readonly version: string;
  /** Opens an allow-listed https URL in the OS browser; false when the URL is not allowed. */
  openExternal(url: string): Promise<boolean>;
  notify(alert: DeskAlert): void;
}

export const URL_LENGTH_MAX = 2048;
export const ALERT_TITLE_LENGTH_MAX = 120;
export const ALERT_BODY_LENGTH_MAX = 1000;

const alertSchema = z.strictObject({
  title: z.string().min(1).max(ALERT_TITLE_LENGTH_MAX),
  body: z.string().max(ALERT_BODY_LENGTH_MAX),
  severity: z.enum(['info', 'warning', 'high']),
});

export function createHostHandlers(services: HostServices) {
  return {
    'host-info': defineHandler(z.undefined(), async (): Promise<HostInfo> => ({ kind: 'electron', version: services.version })),
    'host-open-external': defineHandler(z.string().max(URL_LENGTH_MAX), (url) => services.openExternal(url)),
    'host-notify': defineHandler(alertSchema, async (alert) => services.notify(alert)),
  };
}

export type HostHandlers = ReturnType<typeof createHostHandlers>;
