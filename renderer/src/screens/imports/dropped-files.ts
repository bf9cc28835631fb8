import type { FileInput } from '../../../engine/protocol.ts';

/**
 * Files from a drop: plain files, and every file inside a dropped folder (read through the
 * File System entries API), named by their path inside the folder. Bounded, so a dropped home
 * folder cannot run away.
 */
export const DROPPED_FILES_MAX = 10_000;

function readEntries(directory: FileSystemDirectoryEntry): Promise<FileSystemEntry[]> {
  const reader = directory.createReader();
  const all: FileSystemEntry[] = [];
  return new Promise((resolve, reject) => {
    const next = () =>
      reader.readEntries((batch) => {
        if (batch.length === 0 || all.length >= DROPPED_FILES_MAX) return resolve(all);
        all.push(...batch);
        next();
      }, reject);
    next();
  });
}

function fileOf(entry: FileSystemFileEntry): Promise<File> {
  return new Promise((resolve, reject) => entry.file(resolve, reject));
}

async function collect(entry: FileSystemEntry, out: FileInput[]): Promise<void> {
  if (out.length >= DROPPED_FILES_MAX) return;
  if (entry.isFile) {
    const file = await fileOf(entry as FileSystemFileEntry);
    out.push({ name: entry.fullPath.replace(/^\//, ''), bytes: new Uint8Array(await file.arrayBuffer()) });
    return;
  }
  if (entry.isDirectory) for (const child of (await readEntries(entry as FileSystemDirectoryEntry)).sort((a, b) => a.name.localeCompare(b.name))) await collect(child, out);
}

export async function droppedFiles(transfer: DataTransfer): Promise<FileInput[]> {
  const out: FileInput[] = [];
  const entries = [...transfer.items].map((item) => item.webkitGetAsEntry()).filter((entry): entry is FileSystemEntry => entry !== null);
  if (entries.length > 0) {
    for (const entry of entries) await collect(entry, out);
    return out;
  }
  for (const file of [...transfer.files].slice(0, DROPPED_FILES_MAX)) out.push({ name: file.name, bytes: new Uint8Array(await file.arrayBuffer()) });
  return out;
}
