import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

const eslint = new ESLint({ cwd: process.cwd() });

/** The distinct lines and columns that lint flags as crossing a layer. */
async function restricted(filePath: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath });
  const flagged = (result?.messages ?? []).filter((m) => m.ruleId === 'no-restricted-imports' || m.ruleId === 'no-restricted-globals');
  return [...new Set(flagged.map((m) => `${m.line}:${m.column}`))];
}

describe('layer boundaries are enforced by lint', () => {
  it('core/ may not import Node built-ins, other layers, or use DOM/Node globals', async () => {
    const messages = await restricted(
      'core/money/probe.ts',
      ["import fs from 'node:fs';", "import path from 'path';", "import { a } from '../../renderer/src/App.tsx';", "import { b } from '../../server/main.ts';", "import { c } from '../../electron/main.ts';", 'export const d = [fs, path, a, b, c, window, process, Buffer];'].join('\n'),
    );
    expect(messages).toHaveLength(8);
  });

  it('core/ may import core/ and libraries', async () => {
    expect(await restricted('core/money/probe.ts', "import Decimal from 'decimal.js';\nimport { assert } from '../assert.ts';\nexport const x = [Decimal, assert];")).toEqual([]);
  });

  it('renderer/ may not import electron/, server/ or the electron module', async () => {
    const messages = await restricted('renderer/src/probe.ts', "import { a } from '../../electron/main.ts';\nimport { b } from '../../server/main.ts';\nimport { ipcRenderer } from 'electron';\nexport const c = [a, b, ipcRenderer];");
    expect(messages).toHaveLength(3);
  });

  it('server/ may not import renderer/ or electron/', async () => {
    const messages = await restricted('server/probe.ts', "import { a } from '../renderer/src/App.tsx';\nimport { b } from '../electron/main.ts';\nexport const c = [a, b];");
    expect(messages).toHaveLength(2);
  });

  it('node/ services may import core/ and Node, but not the hosts that use them nor Electron', async () => {
    expect(await restricted('node/statements/probe.ts', "import fs from 'node:fs';\nimport { assert } from '../../core/assert.ts';\nexport const x = [fs, assert];")).toEqual([]);
    const messages = await restricted(
      'node/statements/probe.ts',
      "import { a } from '../../cli/main.ts';\nimport { b } from '../../server/main.ts';\nimport { c } from '../../electron/main.ts';\nimport { app } from 'electron';\nexport const d = [a, b, c, app];",
    );
    expect(messages).toHaveLength(4);
  });

  it('core/ and renderer/ may not import node/ services', async () => {
    expect(await restricted('core/money/probe.ts', "import { a } from '../../node/statements/pdf.ts';\nexport const b = a;")).toHaveLength(1);
    expect(await restricted('renderer/src/probe.ts', "import { a } from '../../node/statements/pdf.ts';\nexport const b = a;")).toHaveLength(1);
  });

  it('electron/ may import only the HostAdapter contract from renderer/', async () => {
    expect(await restricted('electron/probe.ts', "import type { HostAdapter } from '../renderer/host/host.ts';\nexport type X = HostAdapter;")).toEqual([]);
    expect(await restricted('electron/probe.ts', "import { App } from '../renderer/src/App.tsx';\nexport const x = App;")).toHaveLength(1);
  });
});
