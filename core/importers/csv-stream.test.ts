import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SettleDeskError } from '../errors.ts';
import type { ImportContext, ParseOutput } from '../ingest/importer.ts';
import { parseCsvProfile, type CsvProfileInput } from './csv-profile.ts';
import { createCsvImportStream, utf8Length, Utf8Counter, type CsvBatch, type CsvProgress } from './csv-stream.ts';
import { parseWithProfile } from './csv.ts';

const context: ImportContext = { fileName: 'big.csv', sha256: 'a'.repeat(64), pseudonymize: (id) => `p:${id}` };

const profile: CsvProfileInput = {
  name: 'stream-test',
  amountFormat: 'en',
  date: { format: 'YYYY-MM-DD', time: 'optional', timeZone: 'Europe/Berlin' },
  sign: { convention: 'signed', column: 'amount' },
  currency: { column: 'currency' },
  kind: { column: 'type', values: { S: 'sale', R: 'refund', F: 'fee' } },
  columns: { date: 'date', partner: 'partner', description: 'memo', customerId: 'customer' },
  id: { policy: 'reference', column: 'ref' },
};

/** A deterministic file with quoted commas, quotes, CRLF inside fields, multibyte text and bad rows. */
function generate(rows: number): string {
  const lines = ['report generated 2026-03-31', 'ref,date,type,amount,currency,partner,memo,customer'];
  let seed = 12345;
  const next = (): number => {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    return seed;
  };
  for (let index = 0; index < rows; index++) {
    const r = next();
    const day = String((index % 28) + 1).padStart(2, '0');
    const date = r % 3 === 0 ? `2026-03-${day} ${String(r % 24).padStart(2, '0')}:15:00` : `2026-03-${day}`;
    const amount = r % 5 === 0 ? `"${(r % 9000) + 1000},${String(r % 1000).padStart(3, '0')}.${String(r % 100).padStart(2, '0')}"` : `${r % 2 === 0 ? '-' : ''}${r % 997}.${String(r % 100).padStart(2, '0')}`;
    const memo = r % 7 === 0 ? '"multi\r\nline, with ""quotes"" and ü€😀"' : r % 11 === 0 ? '"a,b"' : `plain ${r % 100}`;
    const type = r % 97 === 0 ? 'X' : ['S', 'R', 'F'][r % 3];
    const bad = r % 1009 === 0 ? ',extra' : '';
    const currency = r % 499 === 0 ? 'usd' : 'EUR';
    lines.push(`T${index},${date},${type},${amount},${currency},partner-${r % 13},${memo},C${r % 500}${bad}`);
  }
  return lines.join('\r\n') + '\r\n';
}

function collect(text: string, cuts: readonly number[], batchRowsMax: number): { output: ParseOutput; batches: CsvBatch[]; progress: CsvProgress[] } {
  const batches: CsvBatch[] = [];
  const progress: CsvProgress[] = [];
  const stream = createCsvImportStream(profile, context, { onBatch: (batch) => batches.push(batch), onProgress: (event) => progress.push(event) }, batchRowsMax);
  let from = 0;
  for (const cut of cuts) {
    stream.push(text.slice(from, cut));
    from = cut;
  }
  stream.push(text.slice(from));
  const summary = stream.end();
  const entries = batches.flatMap((batch) => batch.entries);
  const rejected = batches.flatMap((batch) => batch.rejected);
  expect(summary.rowsRead).toBe(entries.length + rejected.length);
  return { output: { rowsRead: summary.rowsRead, entries, rejected, statements: [], issues: [] }, batches, progress };
}

function expectSameOutput(actual: ParseOutput, expected: ParseOutput): void {
  expect(actual.rowsRead).toBe(expected.rowsRead);
  expect(actual.entries.length).toBe(expected.entries.length);
  expect(actual.rejected).toEqual(expected.rejected);
  for (let index = 0; index < expected.entries.length; index++) {
    const left = JSON.stringify(actual.entries[index]);
    const right = JSON.stringify(expected.entries[index]);
    if (left !== right) expect(left).toBe(right);
  }
}

describe('CsvImportStream', () => {
  it('gives exactly the one-shot output for 200,000 rows cut at awkward places', () => {
    const text = generate(200_000);
    const oneShot = parseWithProfile(text, context, parseCsvProfile(profile));
    expect(oneShot.rowsRead).toBe(200_000);
    expect(oneShot.rejected.length).toBeGreaterThan(100);
    expect(oneShot.rejected.some((r) => r.code === 'column_count')).toBe(true);
    expect(oneShot.rejected.some((r) => r.code === 'kind_unknown')).toBe(true);

    // Cuts inside quoted fields, between \r and \n, inside surrogate pairs and at random sizes.
    const cuts: number[] = [];
    let seed = 7;
    for (let at = 0; at < text.length; ) {
      seed = (seed * 48271) % 2147483647;
      at += 1 + (seed % 65_536);
      const quote = text.indexOf('"', at);
      const crlf = text.indexOf('\r\n', at);
      const emoji = text.indexOf('😀', at);
      for (const candidate of [at, quote + 3, crlf + 1, emoji + 1]) if (candidate > (cuts.at(-1) ?? 0) && candidate < text.length) cuts.push(candidate);
      at = Math.max(at, cuts.at(-1) ?? at);
    }
    expect(cuts.length).toBeGreaterThan(100);
    const streamed = collect(text, cuts, 5_000);
    expectSameOutput(streamed.output, oneShot);
    expect(streamed.batches.every((batch) => batch.entries.length + batch.rejected.length <= 5_000)).toBe(true);
    expect(streamed.batches.length).toBe(40);
    const last = streamed.progress.at(-1);
    expect(last).toEqual({ rows: 200_000, bytes: utf8Length(text) });
    for (let index = 1; index < streamed.progress.length; index++) {
      expect(streamed.progress[index]!.rows).toBeGreaterThanOrEqual(streamed.progress[index - 1]!.rows);
    }
    // Two full parses of 200,000 rows: 17-42 s measured on this 2-core machine under a load of 8-10, a few seconds idle.
  }, 120_000);

  it('gives the same rows when fed one character at a time, including the header search', () => {
    const text = generate(300);
    const oneShot = parseWithProfile(text, context, parseCsvProfile(profile));
    const cuts = Array.from({ length: text.length - 1 }, (_, index) => index + 1);
    expectSameOutput(collect(text, cuts, 7).output, oneShot);
  });

  it('property: on arbitrary text, any chunking gives the one-shot rows or the same error code', () => {
    const header = 'ref,date,type,amount,currency,partner,memo,customer';
    const cell = fc.constantFrom('T1', '2026-03-01', '2026-03-01 02:30:00', 'S', 'R', '1.00', '"1,000.00"', 'EUR', '', '"', '"a\r\nb"', '""', ' ', 'x,y', '\r', '\n', '\r\n', '😀');
    const text = fc
      .tuple(fc.constantFrom('', 'preamble\n', header + '\n', header + '\r\n'), fc.array(fc.array(cell, { maxLength: 10 }).map((cells) => cells.join(',')), { maxLength: 8 }), fc.constantFrom('\n', '\r\n', '\r'))
      .map(([head, rows, newline]) => head + rows.join(newline));
    const outcome = (run: () => ParseOutput): ParseOutput | string => {
      try {
        return run();
      } catch (error) {
        if (error instanceof SettleDeskError && error.code !== 'invariant_broken') return error.code;
        throw error;
      }
    };
    fc.assert(
      fc.property(text, fc.array(fc.nat(400), { maxLength: 8 }), (input, cuts) => {
        const oneShot = outcome(() => parseWithProfile(input, context, parseCsvProfile(profile)));
        const sorted = [...new Set(cuts.filter((cut) => cut > 0 && cut < input.length))].sort((a, b) => a - b);
        const streamed = outcome(() => collect(input, sorted, 3).output);
        expect(streamed).toEqual(oneShot);
      }),
      { numRuns: 500 },
    );
  });

  it('counts bytes as UTF-8, whatever the chunk boundaries', () => {
    expect(utf8Length('aü€😀')).toBe(1 + 2 + 3 + 4);
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 40 }), fc.array(fc.nat(40), { maxLength: 6 }), (text, cuts) => {
        const counter = new Utf8Counter();
        let from = 0;
        for (const cut of [...cuts].sort((a, b) => a - b)) {
          counter.add(text.slice(from, Math.max(from, cut)));
          from = Math.max(from, cut);
        }
        counter.add(text.slice(from));
        expect(counter.total()).toBe(new TextEncoder().encode(text).length);
      }),
    );
  });
});
