import type * as Electron from 'electron';
import { describe, expect, it } from 'vitest';
import type { DeskCommand } from '../renderer/host/host.ts';
import { isAllowedExternalUrl } from './external-links.ts';
import { buildMenuTemplate, FX_REFERENCE_RATES_URL } from './menu.ts';

function flatten(items: Electron.MenuItemConstructorOptions[]): Electron.MenuItemConstructorOptions[] {
  return items.flatMap((item) => [item, ...(Array.isArray(item.submenu) ? flatten(item.submenu) : [])]);
}

function menu(platform: NodeJS.Platform, isPackaged: boolean) {
  const commands: DeskCommand[] = [];
  const opened: string[] = [];
  const items = flatten(buildMenuTemplate({ platform, isPackaged, appName: 'SettleDesk', sendCommand: (command) => commands.push(command), openExternal: (url) => opened.push(url) }));
  return { items, commands, opened };
}

describe('application menu', () => {
  it('sends desk commands to the renderer from File and Edit', () => {
    const { items, commands } = menu('linux', true);
    const click = (label: string) => (items.find((item) => item.label === label)?.click as () => void)();
    click('Import Files…');
    click('Export Statement…');
    click('Find…');
    expect(commands).toEqual(['import-files', 'export-statement', 'find']);
    expect(items.find((item) => item.label === 'Import Files…')?.accelerator).toBe('CmdOrCtrl+O');
  });

  it('has reload and developer tools only in development', () => {
    const roles = (platform: NodeJS.Platform, isPackaged: boolean) => menu(platform, isPackaged).items.map((item) => item.role);
    expect(roles('linux', true)).not.toContain('toggleDevTools');
    expect(roles('linux', true)).not.toContain('reload');
    expect(roles('win32', false)).toContain('toggleDevTools');
  });

  it('has the macOS app menu only on macOS, and its Help link is allow-listed', () => {
    expect(menu('darwin', true).items[0]?.label).toBe('SettleDesk');
    expect(menu('linux', true).items[0]?.label).toBe('&File');
    const { items, opened } = menu('linux', true);
    (items.find((item) => item.label === 'ECB Euro Reference Rates')?.click as () => void)();
    expect(opened).toEqual([FX_REFERENCE_RATES_URL]);
    expect(isAllowedExternalUrl(FX_REFERENCE_RATES_URL)).toBe(true);
  });
});
