/**
 * Public API of the sync contract shared by the desk and the server: document schemas
 * (documents.ts, batch.ts), the wire protocol (protocol.ts), merge rules (merge.ts), the audit
 * hash chain (audit-chain.ts) and statement documents (statement-doc.ts).
 */
export * from './primitives.ts';
export * from './batch.ts';
export * from './documents.ts';
export * from './protocol.ts';
export * from './merge.ts';
export * from './audit-chain.ts';
export * from './statement-doc.ts';
export * from './recompute.ts';
