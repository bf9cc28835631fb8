import { hmac } from '@noble/hashes/hmac.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex } from '@noble/hashes/utils.js';

/**
 * SHA-256 and HMAC-SHA-256, synchronous and identical in Node, browsers and Web Workers
 * (@noble/hashes is audited pure JS; WebCrypto is async-only and absent from core's types).
 */
const encoder = new TextEncoder();

export function sha256Hex(input: string | Uint8Array): string {
  return bytesToHex(sha256(typeof input === 'string' ? encoder.encode(input) : input));
}

export function hmacSha256Hex(key: string | Uint8Array, message: string): string {
  const keyBytes = typeof key === 'string' ? encoder.encode(key) : key;
  return bytesToHex(hmac(sha256, keyBytes, encoder.encode(message)));
}
