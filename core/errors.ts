/**
 * Typed errors with context. Every error that crosses a boundary (CLI JSON, IPC, HTTP) is a
 * SettleDeskError: a stable `code` that tests assert, a human message, and where it happened.
 */
export interface ErrorLocation {
  readonly file?: string;
  readonly line?: number;
  readonly column?: number | string;
}

export class SettleDeskError extends Error {
  readonly code: string;
  readonly location: ErrorLocation;
  readonly details: Readonly<Record<string, unknown>>;

  constructor(code: string, message: string, location: ErrorLocation = {}, details: Record<string, unknown> = {}) {
    super(message);
    this.name = 'SettleDeskError';
    this.code = code;
    this.location = location;
    this.details = details;
  }

  toJSON(): Record<string, unknown> {
    return { code: this.code, message: this.message, ...this.location, ...(Object.keys(this.details).length > 0 ? { details: this.details } : {}) };
  }
}

/** A broken invariant: a bug in our code or corrupted data, never a user input problem. */
export class InvariantError extends SettleDeskError {
  constructor(message: string, details: Record<string, unknown> = {}) {
    super('invariant_broken', message, {}, details);
    this.name = 'InvariantError';
  }
}
