import { z } from 'zod';

/** Small shared shapes of the sync contract. Ids are plain ASCII so they are safe in URLs, SQL and logs. */
export const DOC_ID_CHARS_MAX = 200;
export const DocId = z
  .string()
  .min(1)
  .max(DOC_ID_CHARS_MAX)
  .regex(/^[A-Za-z0-9][A-Za-z0-9_.:@-]*$/, 'expected an id of letters, digits and _ . : @ -');
export const UserId = z
  .string()
  .min(1)
  .max(100)
  .regex(/^[A-Za-z0-9][A-Za-z0-9_.@-]*$/, 'expected a user id of letters, digits and _ . @ -');
export const Hash = z.string().regex(/^[0-9a-f]{64}$/, 'expected a SHA-256 hex digest');
export const Instant = z.string().regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/, 'expected an ISO 8601 instant with offset');

/** The hash before the first event of an audit chain. */
export const GENESIS_HASH = '0'.repeat(64);
