/**
 * Row shards in Web Workers (started from the solver worker; nested workers end with it), and how
 * many: one per logical core but one, capped (src/engine/row-shards.ts), shard 0 being the solver
 * worker.
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

/**
 * The CPU engine's shards in this browser: one per core but one (navigator.hardwareConcurrency − 1,
 * capped), the solver worker being the first, so the page keeps a core for drawing and input. On
 * two cores that is one shard: no split. (On two cores with two shards the page's charts starved
 * while a large run went on.)
 */
export function browserShards(): NonNullable<CpuEngineOptions['shards']> {
  const cores = self.navigator?.hardwareConcurrency ?? 1;
  return { count: defaultShardCount(cores - 1), spawn: () => browserShardPort() };
}
