import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { SettleDeskError } from '../../core/errors.ts';

/**
 * Noto Sans KR (SIL OFL 1.1, from the @embedpdf/fonts-kr package; see THIRD-PARTY-NOTICES.md)
 * covers Hangul and Latin, so one family prints both locales. pdfkit embeds only the glyphs a
 * document uses (a subset), so a statement stays small although the OTF files are 4.5 MB.
 */
export interface StatementFonts {
  readonly regular: string;
  readonly bold: string;
}

/**
 * `require` exists when the CLI runs as its CommonJS bundle (bin/settledesk.js); the ES module
 * sources (tsx, vitest) resolve from this file instead. Both find the same node_modules.
 */
function packageRequire(): NodeJS.Require {
  return typeof require === 'function' ? require : createRequire(import.meta.url);
}

let found: StatementFonts | null = null;

/** The font files, looked up once per process. */
export function statementFonts(): StatementFonts {
  if (found !== null) return found;
  let entry: string;
  try {
    entry = packageRequire().resolve('@embedpdf/fonts-kr');
  } catch (error) {
    throw new SettleDeskError('font_missing', `the Noto Sans KR fonts (@embedpdf/fonts-kr) are not installed: ${(error as Error).message}`);
  }
  const dir = path.join(path.dirname(entry), '..', 'fonts');
  const fonts = { regular: path.join(dir, 'NotoSansKR-Regular.otf'), bold: path.join(dir, 'NotoSansKR-Bold.otf') };
  for (const file of Object.values(fonts)) if (!existsSync(file)) throw new SettleDeskError('font_missing', `${file}: font file missing from @embedpdf/fonts-kr`, { file });
  found = fonts;
  return fonts;
}
