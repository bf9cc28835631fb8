import { describe, expect, it } from 'vitest';
import { hrefOf, parseHash } from './router.ts';
import { ROUTE_IDS, SCREENS, shortcutOf } from './routes.tsx';

describe('hash routes', () => {
  it('parse a screen and its query, and fall back to the dashboard', () => {
    const match = parseHash('#/transactions?from=2026-03-01&to=2026-03-31');
    expect(match.id).toBe('transactions');
    expect(match.query.get('from')).toBe('2026-03-01');
    expect(parseHash('').id).toBe('dashboard');
    expect(parseHash('#/nowhere').id).toBe('dashboard');
  });

  it('round-trip through hrefOf', () => {
    const match = parseHash(hrefOf('imports', { file: 'a b.csv' }));
    expect(match.id).toBe('imports');
    expect(match.query.get('file')).toBe('a b.csv');
  });

  it('give every navigation item a registry entry and a distinct shortcut', () => {
    expect(Object.keys(SCREENS).sort()).toEqual([...ROUTE_IDS].sort());
    const shortcuts = ROUTE_IDS.map(shortcutOf).filter((shortcut) => shortcut !== null);
    expect(shortcuts.length).toBe(Math.min(10, ROUTE_IDS.length));
    expect(new Set(shortcuts).size).toBe(shortcuts.length);
    expect(shortcutOf('settings')).toBe('Alt+0');
    expect(shortcutOf('partner-access')).toBeNull();
  });
});
