import type { HostAdapter } from './host.ts';
import { webHost } from './host.web.ts';

declare global {
  interface Window {
    /** Set by electron/preload.ts through contextBridge when running in the desktop shell. */
    readonly settledesk?: HostAdapter;
  }
}

export function currentHost(): HostAdapter {
  return window.settledesk ?? webHost;
}
