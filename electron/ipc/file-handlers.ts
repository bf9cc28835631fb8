import type * as Electron from 'electron';
import { z } from 'zod';
import type { PickedFile, SaveFileResult } from '../../renderer/host/host.ts';
import { readOpenedFile, writeSavedFile } from '../../node/files/desk-files.ts';
import { defineHandler } from './define.ts';

/**
 * Native open and save dialogs. The renderer names a title, filters and a suggested file name;
 * the analyst picks the place. The renderer gets names and bytes back, never a path.
 */
export interface FileDialogs {
  showOpenDialog(options: Electron.OpenDialogOptions): Promise<Pick<Electron.OpenDialogReturnValue, 'canceled' | 'filePaths'>>;
  showSaveDialog(options: Electron.SaveDialogOptions): Promise<Pick<Electron.SaveDialogReturnValue, 'canceled' | 'filePath'>>;
}

export const OPEN_FILES_COUNT_MAX = 500;
export const SAVE_FILE_BYTES_MAX = 256 * 1024 * 1024;

const filterSchema = z.strictObject({
  name: z.string().min(1).max(100),
  extensions: z.array(z.string().regex(/^(\*|[A-Za-z0-9]{1,10})$/)).min(1).max(20).readonly(),
});
const titleSchema = z.string().min(1).max(200);

const openFilesSchema = z.strictObject({ title: titleSchema, filters: z.array(filterSchema).max(20).readonly(), multiple: z.boolean() });

const saveFileSchema = z.strictObject({
  title: titleSchema,
  // A bare file name: the save dialog, not the renderer, decides the folder.
  suggestedName: z.string().min(1).max(200).regex(/^[^/\\\0]+$/).refine((name) => name !== '.' && name !== '..', 'not a file name'),
  filters: z.array(filterSchema).max(20).readonly(),
  bytes: z.custom<Uint8Array>((value) => value instanceof Uint8Array, 'bytes must be a Uint8Array').refine((bytes) => bytes.byteLength <= SAVE_FILE_BYTES_MAX, `at most ${SAVE_FILE_BYTES_MAX} bytes`),
});

export function createFileHandlers(dialogs: FileDialogs) {
  return {
    'files-open': defineHandler(openFilesSchema, async (request): Promise<readonly PickedFile[]> => {
      const picked = await dialogs.showOpenDialog({
        title: request.title,
        filters: request.filters.map((filter) => ({ name: filter.name, extensions: [...filter.extensions] })),
        properties: request.multiple ? ['openFile', 'multiSelections'] : ['openFile'],
      });
      if (picked.canceled) return [];
      if (picked.filePaths.length > OPEN_FILES_COUNT_MAX) throw new RangeError(`at most ${OPEN_FILES_COUNT_MAX} files at once, ${picked.filePaths.length} picked`);
      const files: PickedFile[] = [];
      for (const filePath of picked.filePaths) files.push(await readOpenedFile(filePath));
      return files;
    }),
    'file-save': defineHandler(saveFileSchema, async (request): Promise<SaveFileResult> => {
      const target = await dialogs.showSaveDialog({
        title: request.title,
        defaultPath: request.suggestedName,
        filters: request.filters.map((filter) => ({ name: filter.name, extensions: [...filter.extensions] })),
        properties: ['createDirectory', 'showOverwriteConfirmation'],
      });
      if (target.canceled || target.filePath === undefined || target.filePath === '') return { saved: false };
      const { name } = await writeSavedFile(target.filePath, request.bytes);
      return { saved: true, name };
    }),
  };
}

export type FileHandlers = ReturnType<typeof createFileHandlers>;
