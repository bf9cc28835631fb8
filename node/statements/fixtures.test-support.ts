import { execFileSync, spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { rateTable } from '../../core/settlement/fx.ts';
import type { Statement } from '../../core/settlement/index.ts';
import { row, settle } from '../../core/settlement/testkit.ts';
import { findByteRangeSignature } from './pdf-signature.ts';

/**
 * One small statement whose numbers are worked by hand (test support, no production caller):
 * sales 100.00 + 50.00 EUR, a refund of 20.00 EUR and a sale of 1000 JPY at 160 JPY per EUR
 * (= 6.25 EUR). Base 130.00 + 6.25 = 136.25; 70 % = 95.375, half-even to 95.38; three sales at
 * 0.10 = 0.30 in fees; payable 95.38 - 0.30 = 95.08; the platform keeps 136.25 - 95.38 = 40.87.
 */
export const HAND = { grossBase: '136.25', share: '95.38', fees: '0.30', payable: '95.08', retained: '40.87', jpyBase: '6.25', jpyRate: '0.00625' } as const;

export function handStatement(productId: string = 'game'): Statement {
  return settle(
    { share: { rate: '70' }, transactionFee: { amount: '0.10' } },
    [row('sale', '100.00', { productId }), row('sale', '50.00', { productId }), row('refund', '-20.00', { productId }), row('sale', '1000', { currency: 'JPY', productId })],
    { rates: rateTable({ '2026-01-10': { JPY: '160' } }, 'ECB test rates', 'EUR') },
  );
}

export interface ToolRun {
  readonly status: number | null;
  readonly output: string;
}

export function runTool(command: string, args: readonly string[]): ToolRun {
  const result = spawnSync(command, args, { encoding: 'utf8', timeout: 60_000 });
  return { status: result.status, output: `${result.stdout}${result.stderr}` };
}

export function pdfText(file: string): string {
  return execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8', timeout: 60_000 });
}

/**
 * `openssl cms -verify` over what the PDF signature covers: the CMS from /Contents (cut to its DER
 * length, the hole is zero-padded) and the two signed byte ranges as the detached content.
 */
export function opensslVerifyPdf(pdf: Buffer, anchorFile: string, dir: string): ToolRun {
  const found = findByteRangeSignature(pdf);
  if (typeof found === 'string') return { status: 1, output: found };
  const cmsFile = path.join(dir, 'signature.der');
  const contentFile = path.join(dir, 'signed-ranges.bin');
  writeFileSync(cmsFile, found.cms.subarray(0, derLength(found.cms)));
  writeFileSync(contentFile, found.signedBytes);
  return runTool('openssl', ['cms', '-verify', '-binary', '-inform', 'DER', '-in', cmsFile, '-content', contentFile, '-CAfile', anchorFile, '-purpose', 'any', '-out', '/dev/null']);
}

/** Length of the DER value at the start of `bytes` (a SEQUENCE with a long-form length). */
function derLength(bytes: Buffer): number {
  const first = bytes[1] ?? 0;
  if (first < 0x80) return 2 + first;
  const count = first & 0x7f;
  let length = 0;
  for (let index = 0; index < count; index++) length = length * 256 + (bytes[2 + index] ?? 0);
  return 2 + count + length;
}

/** A copy of `pdf` with one byte changed at `offset` (a digit or letter becomes another). */
export function flipByte(pdf: Buffer, offset: number): Buffer {
  const copy = Buffer.from(pdf);
  const byte = copy[offset] ?? 0;
  copy[offset] = byte === 0x30 ? 0x31 : byte === 0x41 ? 0x42 : byte ^ 0x01;
  return copy;
}
