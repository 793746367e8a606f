import { describe, expect, it } from 'vitest';
import { wouldLoseLm, wouldLoseRun } from './leave-guard';

describe('leaving the page', () => {
  it('asks only while a run is running or paused with at least one iteration', () => {
    expect(wouldLoseRun('running', 1)).toBe(true);
    expect(wouldLoseRun('paused', 4000)).toBe(true);
    expect(wouldLoseRun('running', 0)).toBe(false);
    expect(wouldLoseRun('paused', 0)).toBe(false);
    for (const status of ['idle', 'starting', 'finished', 'error'] as const)
      expect(wouldLoseRun(status, 100)).toBe(false);
  });

  it('for the language model: a training running or paused after a step, or a sweep running', () => {
    expect(wouldLoseLm('running', 1, 'idle')).toBe(true);
    expect(wouldLoseLm('paused', 40, 'done')).toBe(true);
    expect(wouldLoseLm('paused', 0, 'idle')).toBe(false);
    expect(wouldLoseLm('finished', 400, 'idle')).toBe(false);
    expect(wouldLoseLm('idle', 0, 'running')).toBe(true);
    for (const sweep of ['idle', 'done', 'cancelled', 'error'] as const)
      expect(wouldLoseLm('idle', 0, sweep)).toBe(false);
  });
});
