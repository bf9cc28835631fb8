import type { HostAdapter } from './host.ts';

export const webHost: HostAdapter = {
  info: async () => ({ kind: 'web', version: '0.1.0' }),
};
