import { describe, expect, it } from 'vitest';
import { runCli } from './run-cli.ts';

interface HelpJson {
  command: string;
  usage: string;
  options: Record<string, { description: string }>;
  examples: string[];
}

const COMMANDS = ['import', 'settle', 'reconcile', 'insights', 'journal', 'verify', 'dev-cert', 'verify-audit'];

describe('settledesk --help', () => {
  it('lists every command', () => {
    const run = runCli(['--help']);
    expect(run.status).toBe(0);
    for (const command of COMMANDS) expect(run.stdout).toMatch(new RegExp(`^  ${command} `, 'm'));
  });

  it.each(COMMANDS)('%s --help lists every option with a description, and an example', (command) => {
    const described = runCli([command, '--help', '--json']).json<HelpJson>();
    expect(described.command).toBe(command);
    expect(described.examples.length).toBeGreaterThan(0);
    for (const example of described.examples) expect(example.startsWith(`settledesk ${command}`)).toBe(true);
    const text = runCli([command, '--help']);
    expect(text.status).toBe(0);
    for (const [name, option] of Object.entries(described.options)) {
      expect(option.description.length).toBeGreaterThan(10);
      expect(text.stdout).toContain(`--${name}`);
    }
    expect(text.stdout).toContain('--json');
    expect(text.stdout).toContain('Exit codes: 0 done; 1');
  });

  it('with no command prints the help and exits 2', () => {
    expect(runCli([]).status).toBe(2);
  });
});
