/**
 * Which engine a backend choice gets, and the words the page uses for it: pure, so the page can
 * decide and label without loading any WebGPU code (probing runs in the GPU worker,
 * app/worker/gpu.worker.ts, which owns the device).
 */
import type { BackendChoice } from '../store/settings';

/** Label of the CPU backend in the readout. */
export const CPU_LABEL = 'CPU float64 (Web Worker)';

/** Label of the backend while a run or sweep continues on the CPU after a lost GPU device. */
export const CPU_AFTER_LOSS_LABEL = 'CPU float64 (GPU worker, after the GPU device was lost)';

/** Which engine a backend choice gets, its label, and why WebGPU is not used when it was wanted. */
export interface BackendDecision {
  kind: 'cpu' | 'gpu';
  label: string;
  reason: string | null;
}

/** What probing found, as {@link decideBackend} needs it. */
export type ProbeOutcome =
  { ok: true; label: string; adapter: string; software: boolean } | { ok: false; reason: string };

/** Why Auto runs on the CPU worker although WebGPU works (the header shows it). */
export function softwareAdapterReason(adapterLabel: string): string {
  return `Software WebGPU adapter (${adapterLabel}): the CPU engine is faster here. Choose “WebGPU” as the backend to run on it anyway.`;
}

/**
 * The backend for a choice, given what probing found: `cpu` always the CPU worker; `gpu` WebGPU
 * whenever there is a device; `auto` WebGPU only on a hardware adapter (on a software adapter the
 * CPU worker is many times faster than WGSL emulated on the CPU).
 */
export function decideBackend(requested: BackendChoice, probe: ProbeOutcome | null): BackendDecision {
  const cpu = (reason: string | null): BackendDecision => ({ kind: 'cpu', label: CPU_LABEL, reason });
  if (requested === 'cpu' || probe === null) return cpu(null);
  if (!probe.ok)
    return cpu(`${requested === 'gpu' ? 'WebGPU was requested but cannot be used. ' : ''}${probe.reason}`);
  if (probe.software && requested === 'auto') return cpu(softwareAdapterReason(probe.adapter));
  return { kind: 'gpu', label: probe.label, reason: null };
}

/** Words for a lost device, for people. */
export function lostText(reason: string): string {
  return `The GPU device was lost (${reason}).`;
}
