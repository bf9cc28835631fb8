import { z } from 'zod';

/**
 * analyst = maker, approver = checker, admin = users and set-up, auditor = read-only everything;
 * partner = one partner's own approved statements only (server/partner), bound to its partner id.
 */
export const ROLES = ['analyst', 'approver', 'admin', 'auditor', 'partner'] as const;
export const Role = z.enum(ROLES);
export type Role = z.infer<typeof Role>;

export const Username = z.string().min(1).max(100).regex(/^[a-z0-9][a-z0-9_.@-]*$/, 'a username is lower-case letters, digits and _ . @ -');

export interface AuthUser {
  readonly id: string;
  readonly username: string;
  readonly role: Role;
}
