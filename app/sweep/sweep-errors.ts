/** Failure messages for people: what failed, in one line, never a stack trace. */

/** One line saying why the sweep failed. */
export function describeSweepError(e: unknown): string {
  const text = (e instanceof Error ? e.message : String(e)).split('\n')[0];
  // runSweep's own validation messages start with "sweep:" and are about the grid.
  if (text.startsWith('sweep:')) return `The sweep grid is not valid: ${text.slice(6).trim()}.`;
  return `The sweep stopped because of an internal error: ${text}`;
}
