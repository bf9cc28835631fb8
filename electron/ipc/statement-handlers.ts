import type * as Electron from 'electron';
import { z } from 'zod';
import { STATEMENT_LOCALES } from '../../core/statement/labels.ts';
import type { StatementSigningService } from '../../node/statements/export-service.ts';
import { existingStatementFiles } from '../../node/statements/export-target.ts';
import { checkStatementDocument, STATEMENT_DOCUMENT_BYTES_MAX } from '../../node/statements/statement-document.ts';
import type { ImportSigningResult, SignedStatementResult, SigningStatus } from '../../renderer/host/host.ts';
import { defineHandler } from './define.ts';
import type { FileDialogs } from './file-handlers.ts';
import { PASSPHRASE_LENGTH_MAX } from './secret-handlers.ts';

/**
 * Signed statements over IPC. The renderer sends a statement document and a locale; main checks
 * the document's hash, asks the analyst where to save in its own dialog, signs with the imported
 * P12 and answers with file names and the certificate's public facts. The P12 is picked in main's
 * open dialog (the renderer never names a path), and its passphrase goes in once and never comes
 * back out of any channel.
 */
/** Main's message box: asks before an export replaces files the save dialog did not ask about. */
export interface ConfirmDialogs {
  showMessageBox(options: Electron.MessageBoxOptions): Promise<Pick<Electron.MessageBoxReturnValue, 'response'>>;
}

export interface StatementServices {
  readonly signing: Pick<StatementSigningService, 'importP12' | 'status' | 'exportSigned'>;
  readonly dialogs: FileDialogs & ConfirmDialogs;
}

const REPLACE_BUTTON = 0;

/** The analyst's answer to "replace these files?": Cancel is the default and what Escape gives. */
async function confirmReplace(dialogs: ConfirmDialogs, names: readonly string[]): Promise<boolean> {
  const answer = await dialogs.showMessageBox({
    type: 'warning',
    title: 'Replace existing files?',
    message: `${names.length} file${names.length === 1 ? '' : 's'} of this statement already exist${names.length === 1 ? 's' : ''} in that folder.`,
    detail: `Replacing overwrites:\n${names.join('\n')}`,
    buttons: ['Replace', 'Cancel'],
    defaultId: 1,
    cancelId: 1,
    noLink: true,
  });
  return answer.response === REPLACE_BUTTON;
}

// The document's text as a string: String.length counts UTF-16 units, at most the byte limit's worth.
const exportSchema = z.strictObject({ documentJson: z.string().min(2).max(STATEMENT_DOCUMENT_BYTES_MAX), locale: z.enum(STATEMENT_LOCALES) });
const importSchema = z.strictObject({ passphrase: z.string().min(1).max(PASSPHRASE_LENGTH_MAX) });

export function createStatementHandlers(services: StatementServices) {
  return {
    'statement-signing-status': defineHandler(z.undefined(), (): Promise<SigningStatus> => services.signing.status()),
    'statement-signing-import': defineHandler(importSchema, async ({ passphrase }): Promise<ImportSigningResult> => {
      const picked = await services.dialogs.showOpenDialog({ title: "Import the organization's signing certificate", filters: [{ name: 'PKCS#12', extensions: ['p12', 'pfx'] }], properties: ['openFile'] });
      const [file] = picked.filePaths;
      if (picked.canceled || file === undefined) return { imported: false };
      return { imported: true, certificate: await services.signing.importP12(file, passphrase) };
    }),
    'statement-export-signed': defineHandler(exportSchema, async ({ documentJson, locale }): Promise<SignedStatementResult> => {
      // Checked before the dialog opens: a forged document is refused without asking the analyst anything.
      const { statement } = checkStatementDocument(documentJson);
      const target = await services.dialogs.showSaveDialog({
        title: 'Export signed statement',
        // Main names the file from the checked statement, not from anything the renderer chose.
        defaultPath: `${statement.partnerId}.statement.pdf`,
        filters: [{ name: 'PDF', extensions: ['pdf'] }],
        properties: ['createDirectory', 'showOverwriteConfirmation'],
      });
      if (target.canceled || target.filePath === undefined || target.filePath === '') return { exported: false };
      // The dialog confirmed the PDF at most; the JSON, JWS, CSV and XLSX beside it are asked about here.
      const existing = existingStatementFiles(target.filePath);
      if (existing.length > 0 && !(await confirmReplace(services.dialogs, existing))) return { exported: false };
      const written = await services.signing.exportSigned(documentJson, locale, target.filePath, { replace: existing });
      return { exported: true, files: written.files, sha256: written.sha256, certificate: written.certificate };
    }),
  };
}

export type StatementHandlers = ReturnType<typeof createStatementHandlers>;
