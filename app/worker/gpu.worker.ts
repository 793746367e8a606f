/**
 * The GPU worker: one per page, started by app/backend/gpu-client.ts when the backend choice
 * needs WebGPU probed. It owns the WebGPU device and runs GPU runs and sweeps (gpu-session.ts),
 * so the d×d Cholesky, the readbacks and WGSL emulated on a software adapter never block input.
 */
import type { GpuCommand, GpuReply } from '../backend/gpu-protocol';
import { GpuSession } from '../backend/gpu-session';

const session = new GpuSession((reply: GpuReply) => (self as unknown as Worker).postMessage(reply));

self.onmessage = (message: MessageEvent<GpuCommand>) => session.handle(message.data);
