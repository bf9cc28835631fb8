import { useState } from 'react';
import { failureOf, type StatusText } from './StatusLine.tsx';

export interface ServerAction {
  readonly busy: boolean;
  readonly status: StatusText | null;
  /** Runs one admin call: busy while it runs, its outcome (or its failure) as the status, then the section's list is read again. */
  readonly act: (work: () => Promise<StatusText | null>) => Promise<void>;
}

export function useServerAction(reload: () => void): ServerAction {
  const [status, setStatus] = useState<StatusText | null>(null);
  const [busy, setBusy] = useState(false);
  const act = async (work: () => Promise<StatusText | null>) => {
    setBusy(true);
    try {
      setStatus(await work());
    } catch (error) {
      setStatus(failureOf(error));
    } finally {
      setBusy(false);
      reload();
    }
  };
  return { busy, status, act };
}
