import { PASSWORD_CHARS_MIN } from '../partner-access/view.ts';

export interface PasswordForm {
  readonly current: string;
  readonly next: string;
  readonly repeated: string;
}

/** What the desk and the portal refuse before asking the server (which checks the same and the current password). */
export function passwordFormProblem(form: PasswordForm): 'tooShort' | 'mismatch' | 'same' | null {
  if (form.next.length < PASSWORD_CHARS_MIN) return 'tooShort';
  if (form.next !== form.repeated) return 'mismatch';
  if (form.next === form.current) return 'same';
  return null;
}
