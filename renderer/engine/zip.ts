import { Unzip, UnzipInflate, type UnzipFile } from 'fflate';
import { SettleDeskError } from '../../core/errors.ts';
import { FILE_BYTES_MAX } from '../../core/ingest/import-file.ts';
import type { FileInput } from './protocol.ts';

/**
 * Unpacks a zip of statements in the engine worker (fflate's streaming Unzip), so each member is
 * imported like a dropped file named `archive.zip/folder/member`. Sizes are counted on the bytes
 * actually inflated, not on what the headers claim, so a zip bomb is stopped at the limit
 * whatever it declares. A member that cannot be unpacked is refused on its own with its reason;
 * only a broken archive or one over the total limit fails whole (with what it held so far).
 */
export const ZIP_UNPACKED_BYTES_MAX = 1024 * 1024 * 1024;
export const ZIP_MEMBER_BYTES_MAX = FILE_BYTES_MAX;
export const ZIP_MEMBERS_MAX = 10_000;
/**
 * Bytes handed to the unzip stream at a time. fflate's Unzip recurses once per member header
 * within one push, so a slice holding thousands of tiny members overflowed the stack (2,561 of
 * them in 1 MiB); 16 KiB holds at most about 500 (30-byte headers).
 */
const PUSH_SLICE_BYTES = 16 * 1024;

export interface ZipLimits {
  readonly unpackedBytesMax: number;
  readonly memberBytesMax: number;
  readonly membersMax: number;
}

export const ZIP_LIMITS: ZipLimits = { unpackedBytesMax: ZIP_UNPACKED_BYTES_MAX, memberBytesMax: ZIP_MEMBER_BYTES_MAX, membersMax: ZIP_MEMBERS_MAX };

export type ZipRefusalCode = 'zip_member_too_large' | 'zip_member_corrupt' | 'zip_member_compression' | 'zip_member_nested';

export interface ZipRefusal {
  readonly name: string;
  readonly code: ZipRefusalCode;
  readonly message: string;
}

export interface UnpackedZip {
  readonly members: readonly FileInput[];
  readonly refused: readonly ZipRefusal[];
  /** Why the archive as a whole could not be read to its end (members before it are kept); null when it was. */
  readonly failure: ZipError | null;
}

export type ZipErrorCode = 'zip_not_a_zip' | 'zip_corrupt' | 'zip_too_large' | 'zip_too_many_members';

export class ZipError extends SettleDeskError {
  constructor(code: ZipErrorCode, message: string, archive: string) {
    super(code, message, { file: archive });
    this.name = 'ZipError';
  }
}

const ZIP_SIGNATURE = [0x50, 0x4b, 0x03, 0x04] as const;
const EMPTY_ZIP_SIGNATURE = [0x50, 0x4b, 0x05, 0x06] as const;

export function isZipName(name: string): boolean {
  return /\.zip$/i.test(name);
}

function startsWith(bytes: Uint8Array, signature: readonly number[]): boolean {
  return signature.every((byte, index) => bytes[index] === byte);
}

/** One member being inflated: its chunks and byte count, or why it was given up. */
interface MemberState {
  readonly name: string;
  readonly chunks: Uint8Array[];
  bytes: number;
  refusal: ZipRefusal | null;
  done: boolean;
}

function joined(chunks: readonly Uint8Array[], length: number): Uint8Array {
  if (chunks.length === 1 && chunks[0]?.length === length) return chunks[0];
  const out = new Uint8Array(length);
  let offset = 0;
  for (const chunk of chunks) {
    out.set(chunk, offset);
    offset += chunk.length;
  }
  return out;
}

/** The archive's members in archive order; folders are skipped, a zip inside the zip is refused (never unpacked recursively). */
export function unpackZip(archive: FileInput, limits: ZipLimits = ZIP_LIMITS): UnpackedZip {
  const prefix = `${archive.name}/`;
  if (startsWith(archive.bytes, EMPTY_ZIP_SIGNATURE)) return { members: [], refused: [], failure: null };
  if (!startsWith(archive.bytes, ZIP_SIGNATURE)) return { members: [], refused: [], failure: new ZipError('zip_not_a_zip', `${archive.name}: not a zip archive (no local file header at its start)`, archive.name) };
  const states: MemberState[] = [];
  let unpackedBytes = 0;
  let stop: ZipError | null = null;

  const refuse = (state: MemberState, code: ZipRefusalCode, message: string) => {
    if (state.refusal !== null) return;
    state.refusal = { name: state.name, code, message };
    state.chunks.length = 0;
    state.bytes = 0;
  };

  const onFile = (file: UnzipFile) => {
    if (file.name.endsWith('/')) return;
    if (states.length >= limits.membersMax) {
      stop ??= new ZipError('zip_too_many_members', `${archive.name}: more than ${limits.membersMax} files in one archive`, archive.name);
      return;
    }
    const state: MemberState = { name: prefix + file.name, chunks: [], bytes: 0, refusal: null, done: false };
    states.push(state);
    if (isZipName(file.name)) {
      refuse(state, 'zip_member_nested', `${state.name}: a zip inside a zip is not unpacked; unpack it and import its files`);
      return;
    }
    file.ondata = (error, chunk, final) => {
      if (state.refusal !== null || stop !== null) return;
      if (error !== null) return refuse(state, 'zip_member_corrupt', `${state.name}: cannot be unpacked (${error.message})`);
      state.bytes += chunk.length;
      unpackedBytes += chunk.length;
      if (unpackedBytes > limits.unpackedBytesMax) {
        stop = new ZipError('zip_too_large', `${archive.name}: unpacks to more than ${limits.unpackedBytesMax} bytes (a zip bomb, or too much for one import); unpack it and import the files in parts`, archive.name);
        return;
      }
      if (state.bytes > limits.memberBytesMax) return refuse(state, 'zip_member_too_large', `${state.name}: unpacks to more than ${limits.memberBytesMax} bytes, over the limit for one file`);
      if (chunk.length > 0) state.chunks.push(chunk);
      if (final) state.done = true;
    };
    try {
      file.start();
    } catch (error) {
      refuse(state, 'zip_member_compression', `${state.name}: compression method ${file.compression} is not supported (${(error as Error).message})`);
    }
  };

  const unzip = new Unzip(onFile);
  unzip.register(UnzipInflate);
  try {
    for (let offset = 0; offset < archive.bytes.length && stop === null; offset += PUSH_SLICE_BYTES) {
      const end = Math.min(offset + PUSH_SLICE_BYTES, archive.bytes.length);
      unzip.push(archive.bytes.subarray(offset, end), end === archive.bytes.length);
    }
  } catch (error) {
    stop ??= new ZipError('zip_corrupt', `${archive.name}: the archive is damaged or cut short (${(error as Error).message})`, archive.name);
  }
  // A local header signature with no member behind it: the archive is cut inside its first header.
  if (states.length === 0 && stop === null) stop = new ZipError('zip_corrupt', `${archive.name}: the archive is damaged or cut short (no readable file header)`, archive.name);
  const members: FileInput[] = [];
  const refused: ZipRefusal[] = [];
  for (const state of states) {
    if (state.refusal !== null) refused.push(state.refusal);
    else if (state.done) members.push({ name: state.name, bytes: joined(state.chunks, state.bytes) });
    else if (stop === null) refused.push({ name: state.name, code: 'zip_member_corrupt', message: `${state.name}: its data ends before the member does` });
  }
  return { members, refused, failure: stop };
}
