import { parseArgs } from 'node:util';
import type { Command, OptionSpec } from './command.ts';
import { importCommand } from './commands/import.ts';
import { insightsCommand } from './commands/insights.ts';
import { journalCommand } from './commands/journal.ts';
import { reconcileCommand } from './commands/reconcile.ts';
import { settleCommand } from './commands/settle.ts';
import { verifyCommand } from './commands/verify.ts';
import { EXIT_FAILED, EXIT_USAGE, UsageError } from './errors.ts';
import { createOutput, errorDocument } from './output.ts';

const COMMANDS: readonly Command[] = [importCommand, settleCommand, reconcileCommand, insightsCommand, journalCommand, verifyCommand];

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

export function mainHelp(): string {
  return [
    'settledesk: the SettleDesk engine on the command line, with the same core/ code as the desk.',
    '',
    'Usage: settledesk <command> [options]',
    '',
    'Commands:',
    ...COMMANDS.map((command) => `  ${command.name.padEnd(12)} ${command.summary}`),
    '',
    'Run `settledesk <command> --help` for its options and an example.',
  ].join('\n');
}

export async function main(argv: readonly string[]): Promise<number> {
  const json = argv.includes('--json');
  const output = createOutput(json);
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    output.line(mainHelp());
    if (json) output.document({ commands: COMMANDS.map((command) => ({ name: command.name, summary: command.summary })) });
    return name === undefined ? EXIT_USAGE : 0;
  }
  const command = COMMANDS.find((candidate) => candidate.name === name);
  try {
    if (command === undefined) throw new UsageError(`unknown command ${JSON.stringify(name)}; commands: ${COMMANDS.map((c) => c.name).join(', ')}`);
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
