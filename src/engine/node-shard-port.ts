/**
 * Row shards in Node worker threads, for the CLI, benches and tests. The worker's entry is plain
 * JavaScript (row-shard.node-worker.mjs) that loads the TypeScript handler through tsx's API (the
 * CLI itself runs on tsx), so it starts the same under tsx, Vitest and plain Node.
 */
import { Worker } from 'node:worker_threads';
import { replyQueue, type ShardPort, type ShardReply } from './row-shards';

/** A shard in a new worker thread. */
export function nodeShardPort(): ShardPort {
  const worker = new Worker(new URL('./row-shard.node-worker.mjs', import.meta.url));
  const queue = replyQueue();
  worker.on('message', (reply: ShardReply) => queue.settle(reply));
  worker.on('error', (e) => queue.failAll(e instanceof Error ? e : new Error(String(e))));
  worker.on('exit', (code) => queue.failAll(new Error(`row shard worker exited (code ${code})`)));
  return {
    request(message, transfer) {
      const reply = queue.wait();
      worker.postMessage(message, transfer as ArrayBuffer[]);
      return reply;
    },
    close() {
      void worker.terminate();
    },
  };
}
