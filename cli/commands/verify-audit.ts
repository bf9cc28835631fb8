import { verifyAuditChain, type AuditVerdict } from '../../core/sync/audit-chain.ts';
import { SettleDeskError } from '../../core/errors.ts';
import type { Command } from '../command.ts';
import { EXIT_FAILED, EXIT_OK, UsageError } from '../errors.ts';
import { readOptionText } from '../files.ts';
import { parseJsonText } from '../../core/importers/json-text.ts';

/** Fields a replicated copy carries besides the event itself (RxDB's bookkeeping): not part of the hash. */
const REPLICATION_FIELDS = ['_deleted', '_rev', '_meta', '_attachments'] as const;

/**
 * The events of an audit export: a JSON array, `{ "events": [...] }`, or one JSON event per line
 * (NDJSON, as a stream export writes it).
 */
export function auditEventsOf(text: string, file: string): unknown[] {
  const trimmed = text.trimStart();
  if (trimmed.startsWith('[') || (trimmed.startsWith('{') && !trimmed.includes('\n{'))) {
    const json = parseJsonText(text, file);
    if (Array.isArray(json)) return json;
    if (typeof json === 'object' && json !== null && Array.isArray((json as { events?: unknown }).events)) return (json as { events: unknown[] }).events;
    throw new SettleDeskError('audit_export_invalid', `${file}: expected a JSON array of audit events, an object with "events", or one event per line`, { file });
  }
  return text.split('\n').flatMap((line, index) => (line.trim() === '' ? [] : [parseJsonText(line, `${file}:${index + 1}`)]));
}

function withoutReplicationFields(event: unknown): unknown {
  if (typeof event !== 'object' || event === null || Array.isArray(event)) return event;
  const copy: Record<string, unknown> = { ...(event as Record<string, unknown>) };
  for (const field of REPLICATION_FIELDS) delete copy[field];
  return copy;
}

/** Each writer (desk or server) keeps a chain of its own: events grouped by chain, each chain in sequence order. */
export function verifyAuditExport(events: readonly unknown[]): Array<{ readonly chainId: string; readonly verdict: AuditVerdict }> {
  const chains = new Map<string, unknown[]>();
  for (const raw of events) {
    const event = withoutReplicationFields(raw);
    const chainId = typeof event === 'object' && event !== null && typeof (event as { chainId?: unknown }).chainId === 'string' ? (event as { chainId: string }).chainId : '(no chain id)';
    const chain = chains.get(chainId) ?? [];
    chain.push(event);
    chains.set(chainId, chain);
  }
  const seqOf = (event: unknown): number => {
    const seq = (event as { seq?: unknown }).seq;
    return typeof seq === 'number' ? seq : Number.MAX_SAFE_INTEGER;
  };
  return [...chains].map(([chainId, chain]) => ({ chainId, verdict: verifyAuditChain([...chain].sort((a, b) => seqOf(a) - seqOf(b))) }));
}

export const verifyAuditCommand: Command = {
  name: 'verify-audit',
  summary: 'check an exported audit trail without the server: every hash recomputed, every link and sequence number, per chain',
  usage: 'verify-audit FILE [--json]',
  options: {},
  examples: ['settledesk verify-audit audit-2026-03.json', 'settledesk verify-audit audit.ndjson --json'],
  async run(args, output) {
    const [file, ...rest] = args.positionals;
    if (file === undefined || rest.length > 0) throw new UsageError('verify-audit takes exactly one FILE');
    const events = auditEventsOf(readOptionText(file), file);
    if (events.length === 0) throw new SettleDeskError('audit_export_empty', `${file}: no audit events`, { file });
    const chains = verifyAuditExport(events);
    for (const { chainId, verdict } of chains) {
      output.line(verdict.ok ? `ok   chain ${chainId}: ${verdict.count} events, head ${verdict.headHash}` : `FAIL chain ${chainId}: ${verdict.code} at event ${verdict.index}: ${verdict.message}`);
    }
    const ok = chains.every(({ verdict }) => verdict.ok);
    output.document({ file, events: events.length, ok, chains });
    return ok ? EXIT_OK : EXIT_FAILED;
  },
};
