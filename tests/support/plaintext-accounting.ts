import { spawnSync } from 'node:child_process';

/** Balances as "account|commodity" -> decimal text, read from the real hledger and ledger binaries. */
export type Balances = Map<string, string>;

function run(command: string, args: readonly string[]): string {
  const result = spawnSync(command, args, { encoding: 'utf8', maxBuffer: 512 * 1024 * 1024, timeout: 600_000 });
  if (result.error !== undefined) throw new Error(`${command} could not run (${result.error.message}); install it: apt-get install -y ${command}`);
  if (result.status !== 0) throw new Error(`${command} ${args.join(' ')} failed: ${result.stderr}`);
  return result.stdout;
}

export function hledgerBalances(journal: string): Balances {
  const csv = run('hledger', ['-f', journal, 'balance', '--flat', '--layout=bare', '-O', 'csv', '--no-total']);
  const balances: Balances = new Map();
  for (const line of csv.trim().split('\n').slice(1)) {
    const [account, commodity, balance] = line.split('","').map((cell) => cell.replace(/^"|"$/g, ''));
    if (account !== undefined && commodity !== undefined && balance !== undefined) balances.set(`${account}|${commodity}`, balance);
  }
  return balances;
}

export function ledgerBalances(journal: string, commodities: readonly string[]): Balances {
  const balances: Balances = new Map();
  for (const commodity of commodities) {
    const text = run('ledger', ['-f', journal, 'balance', '--flat', '--no-total', '--limit', `commodity == "${commodity}"`, '--balance-format', '%(account)\t%(quantity(scrub(display_total)))\n']);
    for (const line of text.trim().split('\n').filter((row) => row.length > 0)) {
      const [account, quantity] = line.split('\t');
      if (account !== undefined && quantity !== undefined) balances.set(`${account}|${commodity}`, quantity);
    }
  }
  return balances;
}
