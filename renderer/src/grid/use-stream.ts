import { useEffect, useState } from 'react';
import type { Stream } from './review-port.ts';

/** The latest value of a desk stream (null until the first emission); resubscribes when the stream changes. */
export function useStream<T>(stream: Stream<T> | null | undefined): T | null {
  const [value, setValue] = useState<T | null>(null);
  useEffect(() => {
    if (stream === null || stream === undefined) return undefined;
    const subscription = stream.subscribe((next) => setValue(next));
    return () => subscription.unsubscribe();
  }, [stream]);
  return value;
}
