/**
 * Row shards in Node worker threads, for the CLI, benches and tests. The worker's entry is plain
 * JavaScript (row-shard.node-worker.mjs) that loads the TypeScript handler through tsx's API (the
 * CLI itself runs on tsx), so it starts the same under tsx, Vitest and plain Node.
 */
import { Worker } from 'node:worker_threads';
import type { ShardPort, ShardReply, ShardRequest } from './row-shards';

/** A shard in a new worker thread; replies come back in request order. */
export function nodeShardPort(): ShardPort {
  const worker = new Worker(new URL('./row-shard.node-worker.mjs', import.meta.url));
  const pending: Array<{ resolve: (r: ShardReply) => void; reject: (e: Error) => void }> = [];
  const failAll = (e: Error) => pending.splice(0).forEach((p) => p.reject(e));
  worker.on('message', (reply: ShardReply) => pending.shift()?.resolve(reply));
  worker.on('error', (e) => failAll(e instanceof Error ? e : new Error(String(e))));
  worker.on('exit', (code) => failAll(new Error(`row shard worker exited (code ${code})`)));
  return {
    request(message: ShardRequest, transfer: Transferable[]) {
      return new Promise<ShardReply>((resolve, reject) => {
        pending.push({ resolve, reject });
        worker.postMessage(message, transfer as ArrayBuffer[]);
      });
    },
    close() {
      void worker.terminate();
    },
  };
}
