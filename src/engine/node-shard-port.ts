/**
 * Row shards in Node worker threads, for the CLI, benches and tests. The worker's entry is plain
 * JavaScript (row-shard.node-worker.mjs) that loads the TypeScript handler through tsx's API (the
 * CLI itself runs on tsx), so it starts the same under tsx, Vitest and plain Node.
 */
import { Worker } from 'node:worker_threads';
import { queuedPort, type ShardPort, type ShardReply } from './row-shards';

/** A shard in a new worker thread. */
export function nodeShardPort(): ShardPort {
  const worker = new Worker(new URL('./row-shard.node-worker.mjs', import.meta.url));
  const { port, settle, fail } = queuedPort(
    (message, transfer) => worker.postMessage(message, transfer as ArrayBuffer[]),
    () => void worker.terminate(),
  );
  worker.on('message', (reply: ShardReply) => settle(reply));
  worker.on('messageerror', () => fail(new Error('row shard reply could not be read')));
  worker.on('error', (e) => fail(e instanceof Error ? e : new Error(String(e))));
  worker.on('exit', (code) => fail(new Error(`row shard worker exited (code ${code})`)));
  return port;
}
