import { SettleDeskError, type ErrorLocation } from '../errors.ts';

/** A whole file refused: nothing of it was imported. Row-level problems are Rejections instead. */
export type FileErrorCode =
  | 'file_empty'
  | 'file_too_large'
  | 'file_encoding_invalid'
  | 'file_format_unrecognized'
  | 'file_format_mismatch'
  | 'file_truncated'
  | 'file_malformed'
  | 'xml_doctype_refused'
  | 'xml_malformed'
  | 'xml_too_deep'
  | 'json_too_deep'
  | 'field_too_long'
  | 'header_column_ambiguous';

/** What a refusal's message says, as a code and its values (all text), for a screen to say it in another language. */
export interface SaidFacts {
  readonly says: string;
  readonly [value: string]: string;
}

export class FileImportError extends SettleDeskError {
  constructor(code: FileErrorCode, message: string, location: ErrorLocation, said?: SaidFacts) {
    super(code, message, location, said === undefined ? {} : { ...said });
    this.name = 'FileImportError';
  }
}
