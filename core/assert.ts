import { InvariantError } from './errors.ts';

/** Asserts an invariant. Never stripped from builds: a broken invariant in money code must stop the run. */
export function assert(condition: unknown, message: string, details: Record<string, unknown> = {}): asserts condition {
  if (!condition) throw new InvariantError(message, details);
}
