import { readFileSync } from 'node:fs';
import { strToU8, zipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { importFiles } from './import-files.ts';
import { unpackZip, ZIP_LIMITS } from './zip.ts';

const camt = new Uint8Array(readFileSync(new URL('../../core/importers/fixtures/camt/camt053-v02-bad-entries.xml', import.meta.url)));
const noClock = () => 0;

/** Offset of the first byte of a member's data in a zip made by zipSync (local header 30 bytes + name, no extra field). */
function dataOffset(zip: Uint8Array, name: string): number {
  const nameBytes = strToU8(name);
  for (let i = 0; i < zip.length - 4; i++) {
    if (zip[i] === 0x50 && zip[i + 1] === 0x4b && zip[i + 2] === 3 && zip[i + 3] === 4 && nameBytes.every((b, k) => zip[i + 30 + k] === b)) return i + 30 + nameBytes.length;
  }
  throw new Error(`${name} not in the zip`);
}

describe('unpackZip', () => {
  it('gives every file of nested folders, named by its path inside the archive, and skips folder entries', () => {
    const zip = zipSync({ 'march/bank/a.xml': camt, 'march/notes.txt': strToU8('hello'), 'empty/': new Uint8Array(0) }, { level: 6 });
    const unpacked = unpackZip({ name: 'q1.zip', bytes: zip });
    expect(unpacked.failure).toBeNull();
    expect(unpacked.refused).toEqual([]);
    expect(unpacked.members.map((m) => [m.name, m.bytes.length])).toEqual([
      ['q1.zip/march/bank/a.xml', camt.length],
      ['q1.zip/march/notes.txt', 5],
    ]);
    expect(unpacked.members[0]?.bytes).toEqual(camt);
  });

  it('refuses a corrupt member on its own and keeps the others', () => {
    const zip = zipSync({ 'good.xml': camt, 'bad.xml': camt }, { level: 9 });
    const at = dataOffset(zip, 'bad.xml');
    // A deflate block header of type 3 (reserved) is invalid in every inflater: 0b111 = final, type 3.
    zip[at] = 0x07;
    const unpacked = unpackZip({ name: 's.zip', bytes: zip });
    expect(unpacked.members.map((m) => m.name)).toEqual(['s.zip/good.xml']);
    expect(unpacked.refused.map((r) => [r.name, r.code])).toEqual([['s.zip/bad.xml', 'zip_member_corrupt']]);
    expect(unpacked.failure).toBeNull();
  });

  it('stops a zip bomb at the unpacked-size limit, counting inflated bytes, with a clear error', () => {
    // 2 MiB of zeros deflate to about 2 KiB (a ratio near 1000:1); a limit of 256 KiB must stop it.
    const zip = zipSync({ 'zeros.csv': new Uint8Array(2 * 1024 * 1024) }, { level: 1 });
    expect(zip.length).toBeLessThan(16 * 1024);
    const unpacked = unpackZip({ name: 'bomb.zip', bytes: zip }, { ...ZIP_LIMITS, unpackedBytesMax: 256 * 1024 });
    expect(unpacked.members).toEqual([]);
    expect(unpacked.failure?.code).toBe('zip_too_large');
    expect(unpacked.failure?.message).toMatch(/bomb\.zip: unpacks to more than 262144 bytes/);
  });

  it('refuses a member over the per-file limit, a zip inside the zip, and says when the bytes are no zip at all', () => {
    const zip = zipSync({ 'big.csv': new Uint8Array(3000).fill(65), 'inner.zip': zipSync({ 'x.xml': camt }), 'ok.xml': camt });
    const unpacked = unpackZip({ name: 'o.zip', bytes: zip }, { ...ZIP_LIMITS, memberBytesMax: 2000 });
    expect(unpacked.members.map((m) => m.name)).toEqual(['o.zip/ok.xml']);
    expect(unpacked.refused.map((r) => [r.name, r.code])).toEqual([
      ['o.zip/big.csv', 'zip_member_too_large'],
      ['o.zip/inner.zip', 'zip_member_nested'],
    ]);
    expect(unpackZip({ name: 'fake.zip', bytes: strToU8('not a zip') }).failure?.code).toBe('zip_not_a_zip');
  });

  it('reads an archive of thousands of tiny files, and refuses one with more files than the limit', () => {
    const files: Record<string, Uint8Array> = {};
    for (let i = 0; i < 3000; i++) files[`d/f${i}.txt`] = strToU8(`x${i}`);
    const zip = zipSync(files, { level: 0 });
    const unpacked = unpackZip({ name: 'many.zip', bytes: zip });
    expect([unpacked.members.length, unpacked.failure]).toEqual([3000, null]);
    expect(unpacked.members[2999]).toEqual({ name: 'many.zip/d/f2999.txt', bytes: strToU8('x2999') });
    expect(unpackZip({ name: 'many.zip', bytes: zip }, { ...ZIP_LIMITS, membersMax: 2999 }).failure?.code).toBe('zip_too_many_members');
  });

  it('reports an archive cut short as damaged, keeping the members read before the cut', () => {
    const zip = zipSync({ 'a.xml': camt, 'b.xml': camt });
    const cut = zip.subarray(0, dataOffset(zip, 'b.xml') + 40);
    const unpacked = unpackZip({ name: 'cut.zip', bytes: cut });
    expect(unpacked.members.map((m) => m.name)).toEqual(['cut.zip/a.xml']);
    expect(unpacked.failure?.code).toBe('zip_corrupt');
  });
});

describe('importFiles with a zip', () => {
  it('imports each member as a file and refuses an unknown one with its reason', () => {
    const zip = zipSync({ 'statements/march.xml': camt, 'statements/readme.pdf': strToU8('%PDF-1.7 not a statement') });
    const result = importFiles({ files: [{ name: 'bank.zip', bytes: zip }], profiles: {}, known: [] }, () => {}, noClock);
    const byName = Object.fromEntries(result.files.map((f) => [f.name, f]));
    // The camt fixture: 9 entries, 2 imported (12.34 EUR, -7.25 USD) and 7 rejected.
    expect(byName['bank.zip/statements/march.xml']).toMatchObject({ status: 'imported', format: 'camt.053', rowsRead: 9 });
    const march = byName['bank.zip/statements/march.xml'];
    expect(march?.status === 'imported' && [march.transactions.length, march.rejected.length]).toEqual([2, 7]);
    expect(byName['bank.zip/statements/readme.pdf']).toMatchObject({ status: 'failed', code: 'file_format_unrecognized' });
    expect(result.rows).toBe(9);
  });

  it('hands back the bytes of a zip member that needs a mapping profile, and imports it by its member name with one', () => {
    const csv = strToU8('Day,Value,Cur,Ref\n2026-03-01,10.00,EUR,R-1\n');
    const zip = zipSync({ 'x/unknown.csv': csv });
    const first = importFiles({ files: [{ name: 'u.zip', bytes: zip }], profiles: {}, known: [] }, () => {}, noClock);
    expect(first.files).toEqual([{ status: 'needs-profile', name: 'u.zip/x/unknown.csv', bytes: csv }]);
    const profile = { name: 'p', date: { format: 'YYYY-MM-DD' }, sign: { convention: 'signed', column: 'Value' }, currency: { column: 'Cur' }, kind: { fixed: 'sale' }, columns: { date: 'Day' }, id: { policy: 'reference', column: 'Ref' } };
    const again = importFiles({ files: [{ name: 'u.zip/x/unknown.csv', bytes: csv }], profiles: { 'u.zip/x/unknown.csv': profile }, known: [] }, () => {}, noClock);
    const outcome = again.files[0];
    expect(outcome?.status === 'imported' && outcome.transactions.map((tx) => [tx.amount, tx.currency, tx.bookingDate ?? tx.valueDate])).toEqual([['10.00', 'EUR', '2026-03-01']]);
  });

  it('refuses a bomb whole and an empty archive with their codes', () => {
    const bomb = zipSync({ 'a.csv': new Uint8Array(64 * 1024) }, { level: 1 });
    const empty = zipSync({});
    const result = importFiles({ files: [{ name: 'empty.zip', bytes: empty }, { name: 'ok.xml', bytes: camt }], profiles: {}, known: [] }, () => {}, noClock);
    expect(result.files.map((f) => [f.name, f.status === 'failed' ? f.code : f.status])).toEqual([
      ['empty.zip', 'zip_empty'],
      ['ok.xml', 'imported'],
    ]);
    expect(unpackZip({ name: 'b.zip', bytes: bomb }, { ...ZIP_LIMITS, unpackedBytesMax: 1000 }).failure?.code).toBe('zip_too_large');
  });
});
