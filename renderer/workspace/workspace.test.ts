import { describe, expect, it } from 'vitest';
import { demoWorkspace, forgetWorkspace, loadWorkspace, newWorkspace, saveWorkspace, WORKSPACE_STORAGE_KEY, type KeyValueStore } from './workspace.ts';

function memoryStore(): KeyValueStore & { readonly map: Map<string, string> } {
  const map = new Map<string, string>();
  return { map, getItem: (k) => map.get(k) ?? null, setItem: (k, v) => void map.set(k, v), removeItem: (k) => void map.delete(k) };
}

const NOW = new Date('2026-04-02T09:00:00Z');

describe('workspace records', () => {
  it('save, load and forget a demo workspace', () => {
    const store = memoryStore();
    expect(loadWorkspace(store)).toBeNull();
    const demo = demoWorkspace('w1', NOW, '2026-03');
    saveWorkspace(store, demo);
    expect(loadWorkspace(store)).toEqual(demo);
    forgetWorkspace(store);
    expect(loadWorkspace(store)).toBeNull();
  });

  it('treat a corrupt or foreign saved record as none', () => {
    const store = memoryStore();
    store.setItem(WORKSPACE_STORAGE_KEY, '{not json');
    expect(loadWorkspace(store)).toBeNull();
    store.setItem(WORKSPACE_STORAGE_KEY, JSON.stringify({ id: 'x', name: 'n', kind: 'cloud', serverUrl: null, createdAt: NOW.toISOString() }));
    expect(loadWorkspace(store)).toBeNull();
  });

  it('validate the new-workspace form field by field', () => {
    expect(newWorkspace({ name: ' ', mode: 'server', serverUrl: 'ftp://x' }, 'w2', NOW)).toEqual({ problems: ['name', 'url'] });
    expect(newWorkspace({ name: 'Team', mode: 'server', serverUrl: 'javascript:alert(1)' }, 'w2', NOW)).toEqual({ problems: ['url'] });
    const made = newWorkspace({ name: ' Team ', mode: 'server', serverUrl: 'https://settle.example.com/' }, 'w2', NOW);
    expect(made).toEqual({ workspace: { id: 'w2', name: 'Team', kind: 'server', serverUrl: 'https://settle.example.com', createdAt: '2026-04-02T09:00:00.000Z' } });
    const local = newWorkspace({ name: 'Mine', mode: 'local', serverUrl: 'garbage' }, 'w3', NOW);
    expect(local).toMatchObject({ workspace: { kind: 'local', serverUrl: null } });
  });
});
