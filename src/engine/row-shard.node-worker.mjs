// A row shard in a Node worker thread (started by src/engine/node-shard-port.ts). Plain JavaScript
// so Node can start it as is; it loads the TypeScript shard handler through tsx's API.
import { parentPort } from 'node:worker_threads';
import { tsImport } from 'tsx/esm/api';

const { createShardHandler } = await tsImport('./row-shards.ts', import.meta.url);
const handle = createShardHandler();
parentPort.on('message', (message) => {
  const { reply, transfer } = handle(message);
  parentPort.postMessage(reply, transfer);
});
