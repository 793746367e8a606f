/**
 * Row shards in Web Workers (started from the solver worker; nested workers end with it), and how
 * many: one per logical core, capped (src/engine/row-shards.ts), shard 0 being the solver worker.
 */
import { defaultShardCount, replyQueue, type ShardPort, type ShardReply } from '../../src/engine/row-shards';
import type { CpuEngineOptions } from '../../src/engine/cpu-engine';

/** A shard in a new module worker from this origin. */
export function browserShardPort(): ShardPort {
  const worker = new Worker(new URL('./row-shard.worker.ts', import.meta.url), { type: 'module' });
  const queue = replyQueue();
  worker.onmessage = (event: MessageEvent<ShardReply>) => queue.settle(event.data);
  worker.onerror = (event) => {
    event.preventDefault();
    queue.failAll(new Error(`row shard worker failed: ${event.message || 'could not start'}`));
  };
  return {
    request(message, transfer) {
      const reply = queue.wait();
      worker.postMessage(message, transfer);
      return reply;
    },
    close: () => worker.terminate(),
  };
}

/** The CPU engine's shards in this browser: one per core (navigator.hardwareConcurrency), capped. */
export function browserShards(): NonNullable<CpuEngineOptions['shards']> {
  return { count: defaultShardCount(self.navigator?.hardwareConcurrency), spawn: () => browserShardPort() };
}
