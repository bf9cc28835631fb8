import { parseArgs } from 'node:util';
import type { Command, OptionSpec } from './command.ts';
import { EXIT_FAILED, EXIT_USAGE, UsageError } from './errors.ts';
import { createOutput, errorDocument } from './output.ts';

/**
 * Each command's module is loaded when that command runs: loading all of them (and the settlement,
 * reconciliation and insight code behind them) cost every run ~10 ms of start-up.
 */
const COMMANDS: ReadonlyArray<{ readonly name: string; load(): Promise<Command> }> = [
  { name: 'import', load: async () => (await import('./commands/import.ts')).importCommand },
  { name: 'settle', load: async () => (await import('./commands/settle.ts')).settleCommand },
  { name: 'reconcile', load: async () => (await import('./commands/reconcile.ts')).reconcileCommand },
  { name: 'insights', load: async () => (await import('./commands/insights.ts')).insightsCommand },
  { name: 'journal', load: async () => (await import('./commands/journal.ts')).journalCommand },
  { name: 'verify', load: async () => (await import('./commands/verify.ts')).verifyCommand },
  { name: 'dev-cert', load: async () => (await import('./commands/dev-cert.ts')).devCertCommand },
  { name: 'verify-audit', load: async () => (await import('./commands/verify-audit.ts')).verifyAuditCommand },
];

const GLOBAL_OPTIONS: Readonly<Record<string, OptionSpec>> = {
  json: { type: 'boolean', description: 'print one JSON document on stdout and nothing else there' },
  help: { type: 'boolean', short: 'h', description: 'show help for this command' },
};

function optionHelp(options: Readonly<Record<string, OptionSpec>>): string {
  return Object.entries(options)
    .map(([name, spec]) => {
      const flag = `${spec.short ? `-${spec.short}, ` : ''}--${name}${spec.type === 'string' ? ` ${spec.valueName ?? 'VALUE'}` : ''}`;
      return `  ${flag.padEnd(30)} ${spec.description}${spec.multiple ? ' (repeatable)' : ''}`;
    })
    .join('\n');
}

export function commandHelp(command: Command): string {
  return [
    `settledesk ${command.name}: ${command.summary}`,
    '',
    `Usage: settledesk ${command.usage}`,
    '',
    'Options:',
    optionHelp({ ...command.options, ...GLOBAL_OPTIONS }),
    '',
    'Examples:',
    ...command.examples.map((example) => `  ${example}`),
    '',
    'Exit codes: 0 done; 1 input refused or errors found (with --json the document says what and where); 2 usage error.',
  ].join('\n');
}

export async function mainHelp(): Promise<string> {
  const commands = await Promise.all(COMMANDS.map((entry) => entry.load()));
  return [
    'settledesk: the SettleDesk engine on the command line, with the same core/ code as the desk.',
    '',
    'Usage: settledesk <command> [options]',
    '',
    'Commands:',
    ...commands.map((command) => `  ${command.name.padEnd(12)} ${command.summary}`),
    '',
    'Run `settledesk <command> --help` for its options and an example.',
  ].join('\n');
}

export async function main(argv: readonly string[]): Promise<number> {
  // --ndjson (reconcile) is machine output too: no human text on stdout.
  const json = argv.includes('--json') || argv.includes('--ndjson');
  const output = createOutput(json);
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    output.line(await mainHelp());
    if (json) output.document({ commands: await Promise.all(COMMANDS.map(async (entry) => ({ name: entry.name, summary: (await entry.load()).summary }))) });
    return name === undefined ? EXIT_USAGE : 0;
  }
  const entry = COMMANDS.find((candidate) => candidate.name === name);
  try {
    if (entry === undefined) throw new UsageError(`unknown command ${JSON.stringify(name)}; commands: ${COMMANDS.map((c) => c.name).join(', ')}`);
    const command = await entry.load();
    const options = { ...command.options, ...GLOBAL_OPTIONS };
    let parsed;
    try {
      parsed = parseArgs({ args: [...rest], options, allowPositionals: true, strict: true });
    } catch (error) {
      throw new UsageError(`${error instanceof Error ? error.message : String(error)}; see \`settledesk ${command.name} --help\``);
    }
    if (parsed.values.help === true) {
      output.line(commandHelp(command));
      if (json) output.document({ command: command.name, usage: command.usage, options: command.options, examples: command.examples });
      return 0;
    }
    return await command.run(parsed, output);
  } catch (error) {
    const usage = error instanceof UsageError;
    if (json) output.document(errorDocument(error));
    else output.note(`settledesk: ${errorDocument(error).error.message as string}`);
    return usage ? EXIT_USAGE : EXIT_FAILED;
  }
}
