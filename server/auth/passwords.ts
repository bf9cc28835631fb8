import { randomBytes } from 'node:crypto';
import { argon2id, argon2Verify } from 'hash-wasm';
import { z } from 'zod';

/**
 * argon2id password hashes (hash-wasm: WebAssembly, no native build). Parameters are OWASP's
 * first recommendation (19 MiB, 2 passes, 1 lane), written into the PHC string so they can be
 * raised later without breaking existing hashes. About 0.4 s per hash on a busy 2-core machine.
 */
export const ARGON2_MEMORY_KIB = 19_456;
export const ARGON2_ITERATIONS = 2;
export const ARGON2_PARALLELISM = 1;
export const PASSWORD_CHARS_MIN = 12;
export const PASSWORD_CHARS_MAX = 256;

export const Password = z.string().min(PASSWORD_CHARS_MIN, `a password has at least ${PASSWORD_CHARS_MIN} characters`).max(PASSWORD_CHARS_MAX);

export async function hashPassword(password: string): Promise<string> {
  return argon2id({ password, salt: randomBytes(16), parallelism: ARGON2_PARALLELISM, iterations: ARGON2_ITERATIONS, memorySize: ARGON2_MEMORY_KIB, hashLength: 32, outputType: 'encoded' });
}

export async function verifyPassword(password: string, encoded: string): Promise<boolean> {
  if (!encoded.startsWith('$argon2id$')) return false;
  return argon2Verify({ password, hash: encoded });
}

/** Verified against when the user does not exist, so an unknown name costs the same time as a wrong password. */
let dummyHash: Promise<string> | null = null;
export function dummyPasswordHash(): Promise<string> {
  dummyHash ??= hashPassword(randomBytes(24).toString('base64url'));
  return dummyHash;
}
