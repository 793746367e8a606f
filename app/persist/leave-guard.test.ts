import { describe, expect, it } from 'vitest';
import { wouldLoseRun } from './leave-guard';

describe('leaving the page', () => {
  it('asks only while a run is running or paused with at least one iteration', () => {
    expect(wouldLoseRun('running', 1)).toBe(true);
    expect(wouldLoseRun('paused', 4000)).toBe(true);
    expect(wouldLoseRun('running', 0)).toBe(false);
    expect(wouldLoseRun('paused', 0)).toBe(false);
    for (const status of ['idle', 'starting', 'finished', 'error'] as const)
      expect(wouldLoseRun(status, 100)).toBe(false);
  });
});
