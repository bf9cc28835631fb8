import { SettleDeskError } from '../core/errors.ts';

/** Exit codes: 0 done; 1 input refused or processing found errors; 2 usage error. */
export const EXIT_OK = 0;
export const EXIT_FAILED = 1;
export const EXIT_USAGE = 2;

export class UsageError extends SettleDeskError {
  constructor(message: string) {
    super('usage', message);
    this.name = 'UsageError';
  }
}

/** A file the command could not read at all: missing (or a broken link), not a regular file, too large, unreadable, not UTF-8. */
export class InputFileError extends SettleDeskError {
  constructor(code: 'file_missing' | 'file_unreadable' | 'file_not_regular' | 'file_too_large' | 'file_encoding_invalid', message: string, file: string) {
    super(code, message, { file });
  }
}
