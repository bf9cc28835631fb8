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

/**
 * One `ledger balance` run for every commodity (a run per commodity read the journal that many
 * times): in ledger's flat layout an account with several commodities has one line per amount,
 * the account named on the last of them.
 */
export function ledgerBalances(journal: string): Balances {
  const balances: Balances = new Map();
  let pending: Array<[string, string]> = [];
  for (const line of run('ledger', ['-f', journal, 'balance', '--flat', '--no-total']).split('\n')) {
    const match = /^\s*(\S+)(?: (\S+))?(?: {2}(.+))?$/.exec(line);
    if (match === null) continue;
    const [, quantity, commodity, account] = match;
    if (quantity !== undefined && commodity !== undefined) pending.push([quantity, commodity]);
    if (account === undefined) continue;
    for (const [amount, code] of pending) balances.set(`${account}|${code}`, amount);
    pending = [];
  }
  return balances;
}
