/**
 * A row shard in a Web Worker, started by the solver worker (app/worker/shard-port.ts): the shard
 * handler of src/engine/row-shards.ts behind worker messages.
 */
import { createShardHandler, type ShardRequest } from '../../src/engine/row-shards';

const handle = createShardHandler();
self.onmessage = (message: MessageEvent<ShardRequest>) => {
  const { reply, transfer } = handle(message.data);
  (self as unknown as Worker).postMessage(reply, transfer);
};
