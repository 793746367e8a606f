import { describe, expect, it } from 'vitest';
import { ExclusiveLease, type LeaseHandlers } from './lease';

/** A holder that records when it is revoked. */
function holder(log: string[], name: string): LeaseHandlers {
  return { onRevoked: () => log.push(`${name} revoked`) };
}

describe('ExclusiveLease', () => {
  it('revokes the holder before the new taker gets the lease', () => {
    const lease = new ExclusiveLease<LeaseHandlers>();
    const log: string[] = [];
    const sweep = lease.take(holder(log, 'sweep'));
    expect(sweep.holds).toBe(true);
    const run = lease.take(holder(log, 'run'));
    // Synchronously, within take(): the sweep has stopped by the time the run starts.
    expect(log).toEqual(['sweep revoked']);
    expect(sweep.holds).toBe(false);
    expect(run.holds).toBe(true);
    expect(lease.current).toBe(run);
  });

  it('a revoked holder renews to take the lease back, revoking the other', () => {
    const lease = new ExclusiveLease<LeaseHandlers>();
    const log: string[] = [];
    const run = lease.take(holder(log, 'run'));
    const sweep = lease.take(holder(log, 'sweep'));
    expect(run.renew()).toBe(true);
    expect(log).toEqual(['run revoked', 'sweep revoked']);
    expect(run.holds).toBe(true);
    // Renewing while holding revokes nobody.
    expect(run.renew()).toBe(true);
    expect(log).toHaveLength(2);
    expect(sweep.holds).toBe(false);
  });

  it('release frees the lease once; a released ticket cannot renew and is not live', () => {
    const lease = new ExclusiveLease<LeaseHandlers>();
    const log: string[] = [];
    const run = lease.take(holder(log, 'run'));
    const sweep = lease.take(holder(log, 'sweep'));
    expect(lease.live).toEqual([run, sweep]);
    sweep.release();
    sweep.release();
    expect(lease.current).toBeNull();
    expect(lease.live).toEqual([run]);
    expect(sweep.renew()).toBe(false);
    expect(sweep.holds).toBe(false);
    // Taking a free lease revokes nobody.
    const next = lease.take(holder(log, 'next'));
    expect(log).toEqual(['run revoked']);
    expect(next.holds).toBe(true);
    // Releasing a revoked ticket leaves the holder alone.
    run.release();
    expect(next.holds).toBe(true);
    expect(lease.live).toEqual([next]);
  });
});
