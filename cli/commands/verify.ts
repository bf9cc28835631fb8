import { canonicalHash } from '../../core/canonical/json.ts';
import { SettleDeskError } from '../../core/errors.ts';
import { runSettlement, statementHash } from '../../core/settlement/index.ts';
import type { Command } from '../command.ts';
import { EXIT_FAILED, EXIT_OK, UsageError } from '../errors.ts';
import { readStatementDocument, SETTLEMENT_OPTIONS, settlementInput } from '../settlement-inputs.ts';

function statementOf(document: unknown, file: string): { statement: Record<string, unknown>; sha256: string } {
  if (typeof document !== 'object' || document === null) throw new SettleDeskError('statement_invalid', `${file}: not a statement document`, { file });
  const { statement, sha256 } = document as { statement?: unknown; sha256?: unknown };
  if (typeof statement !== 'object' || statement === null || typeof sha256 !== 'string') throw new SettleDeskError('statement_invalid', `${file}: expected {"statement": {...}, "sha256": "..."} as written by settle --out`, { file });
  return { statement: statement as Record<string, unknown>, sha256 };
}

export const verifyCommand: Command = {
  name: 'verify',
  summary: "check a statement's canonical hash, and with the inputs, that a fresh run reproduces it",
  usage: 'verify FILE [--agreements FILE|DIR --transactions FILE|DIR --period YYYY-MM [--fx-rates FILE] [--state FILE]] [--json]',
  options: SETTLEMENT_OPTIONS,
  examples: ['settledesk verify statements/P001.statement.json', 'settledesk verify statements/P001.statement.json --agreements agreements/ --transactions march/ --period 2026-03 --fx-rates ecb.csv'],
  async run(args, output) {
    const [file, ...extra] = args.positionals;
    if (file === undefined || extra.length > 0) throw new UsageError('verify takes exactly one statement FILE');
    const { statement, sha256 } = statementOf(readStatementDocument(file), file);
    const recomputed = canonicalHash(statement);
    const hashMatches = recomputed === sha256;
    let reproduced: boolean | null = null;
    let freshHash: string | null = null;
    if (args.values.agreements !== undefined || args.values.transactions !== undefined) {
      const partnerId = statement.partnerId;
      if (typeof partnerId !== 'string') throw new SettleDeskError('statement_invalid', `${file}: the statement names no partnerId`, { file });
      const run = runSettlement({ ...settlementInput(args).input, partnerIds: [partnerId] });
      const fresh = run.statements.find((candidate) => candidate.partnerId === partnerId);
      freshHash = fresh === undefined ? null : statementHash(fresh);
      reproduced = freshHash === sha256;
    }
    output.line(`${file}: hash ${hashMatches ? 'matches its content' : `DOES NOT match its content (content hashes to ${recomputed})`}`);
    if (reproduced !== null) output.line(`${file}: a fresh run from the inputs ${reproduced ? 'reproduces it' : `does NOT reproduce it (fresh: ${freshHash ?? 'no statement'})`}`);
    output.document({ file, sha256, recomputed, hashMatches, reproduced, freshHash });
    return hashMatches && reproduced !== false ? EXIT_OK : EXIT_FAILED;
  },
};
