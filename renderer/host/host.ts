/**
 * The one typed contract between the renderer and its host. electron/preload.ts implements it
 * (and ends with `satisfies HostAdapter`); host.web.ts serves `npm run web` and browser tests.
 */
export interface HostInfo {
  readonly kind: 'electron' | 'web';
  readonly version: string;
}

export interface HostAdapter {
  info(): Promise<HostInfo>;
}
