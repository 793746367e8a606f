/**
 * Whether the first-visit introduction was dismissed, remembered in localStorage under one key.
 * Storage may be missing or refuse access (private windows, sandboxed frames, disabled cookies):
 * reading then says "not dismissed" and writing does nothing, and neither ever throws.
 */

/** The localStorage key; its value is "1" once the introduction was dismissed. */
export const INTRO_DISMISSED_KEY = 'crp.intro.dismissed';

function storage(): Storage | null {
  try {
    return typeof localStorage === 'undefined' ? null : localStorage;
  } catch {
    return null;
  }
}

/** True when the introduction was dismissed in this browser before. */
export function isIntroDismissed(): boolean {
  try {
    return storage()?.getItem(INTRO_DISMISSED_KEY) === '1';
  } catch {
    return false;
  }
}

/** Remembers that the introduction was dismissed (silently does nothing without storage). */
export function rememberIntroDismissed(): void {
  try {
    storage()?.setItem(INTRO_DISMISSED_KEY, '1');
  } catch {
    // Storage full or refused: the introduction shows again next time, which is harmless.
  }
}
