import { useCallback, useEffect, useState } from 'react';
import { PartnerAdminError } from './admin-api.ts';

/** A failure as the screen shows it: the server's code and message when it sent them. */
export function errorText(error: unknown): string {
  return error instanceof PartnerAdminError ? `${error.code}: ${error.message}` : error instanceof Error ? error.message : String(error);
}

export interface ServerData<T> {
  readonly data: T | null;
  readonly error: string | null;
  readonly reload: () => void;
}

/** Loads from the server when `load` changes and on reload(); an answer that arrives after a newer request is dropped. */
export function useServerData<T>(load: () => Promise<T>): ServerData<T> {
  const [state, setState] = useState<{ data: T | null; error: string | null }>({ data: null, error: null });
  const [round, setRound] = useState(0);
  useEffect(() => {
    let live = true;
    load().then(
      (data) => live && setState({ data, error: null }),
      (error: unknown) => live && setState((before) => ({ data: before.data, error: errorText(error) })),
    );
    return () => {
      live = false;
    };
  }, [load, round]);
  const reload = useCallback(() => setRound((n) => n + 1), []);
  return { ...state, reload };
}
