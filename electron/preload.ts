import { contextBridge, ipcRenderer } from 'electron';
import type { HostAdapter, HostInfo } from '../renderer/host/host.ts';

// The only bridge to the renderer: one object, typed against the renderer's HostAdapter contract.
const host = {
  info: () => ipcRenderer.invoke('host-info') as Promise<HostInfo>,
} satisfies HostAdapter;

contextBridge.exposeInMainWorld('settledesk', host);
