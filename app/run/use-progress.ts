/**
 * React access to the progress channel, throttled to one update per animation frame: components
 * that show live numbers re-render at most ~60 times a second whatever the iteration rate.
 */
import { useEffect, useRef, useState } from 'react';
import { progress, type ProgressChannel } from './progress';

/** Calls `fn` at most once per animation frame after progress changes (and once at mount). */
export function useFrameSubscription(fn: (channel: ProgressChannel) => void): void {
  const fnRef = useRef(fn);
  useEffect(() => {
    fnRef.current = fn;
  });
  useEffect(() => {
    let frame = 0;
    const schedule = (): void => {
      if (frame) return;
      frame = requestAnimationFrame(() => {
        frame = 0;
        fnRef.current(progress);
      });
    };
    schedule();
    const unsubscribe = progress.subscribe(schedule);
    return () => {
      unsubscribe();
      if (frame) cancelAnimationFrame(frame);
    };
  }, []);
}

/** A value derived from the progress channel, refreshed at most once per animation frame. */
export function useProgressValue<T>(
  select: (channel: ProgressChannel) => T,
  equal: (a: T, b: T) => boolean,
): T {
  const [value, setValue] = useState<T>(() => select(progress));
  const last = useRef(value);
  useFrameSubscription((channel) => {
    const next = select(channel);
    if (!equal(last.current, next)) {
      last.current = next;
      setValue(next);
    }
  });
  return value;
}
