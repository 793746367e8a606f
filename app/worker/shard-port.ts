/**
 * Row shards in Web Workers (started from the solver worker; nested workers end with it), and how
 * many: one per logical core, capped (src/engine/row-shards.ts), shard 0 being the solver worker.
 */
import { defaultShardCount, queuedPort, type ShardPort, type ShardReply } from '../../src/engine/row-shards';
import type { CpuEngineOptions } from '../../src/engine/cpu-engine';

/** A shard in a new module worker from this origin. */
export function browserShardPort(): ShardPort {
  const worker = new Worker(new URL('./row-shard.worker.ts', import.meta.url), { type: 'module' });
  const { port, settle, fail } = queuedPort(
    (message, transfer) => worker.postMessage(message, transfer),
    () => worker.terminate(),
  );
  worker.onmessage = (event: MessageEvent<ShardReply>) => settle(event.data);
  worker.onmessageerror = () => fail(new Error('row shard reply could not be read'));
  worker.onerror = (event) => {
    event.preventDefault();
    fail(new Error(`row shard worker failed: ${event.message || 'could not start'}`));
  };
  return port;
}

/** The CPU engine's shards in this browser: one per core (navigator.hardwareConcurrency), capped. */
export function browserShards(): NonNullable<CpuEngineOptions['shards']> {
  return { count: defaultShardCount(self.navigator?.hardwareConcurrency), spawn: () => browserShardPort() };
}
