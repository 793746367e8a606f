/**
 * Node's WebGPU (Dawn, npm `webgpu`) reaches the GPU through Vulkan. On machines without a GPU the
 * only Vulkan implementation Dawn accepts is the SwiftShader one inside Debian's chromium package
 * (Mesa's lavapipe is rejected); point the Vulkan loader at it, but only when the machine has no GPU
 * device node, so a real GPU is never hidden. Must run before the `webgpu` package first loads.
 */
import { existsSync, mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const SWIFTSHADER_ICD = '/usr/lib/chromium/vk_swiftshader_icd.json';

/** True when a GPU device node exists (NVIDIA, or a DRM render node from any vendor). */
function hasGpuDevice(): boolean {
  if (existsSync('/dev/nvidia0')) return true;
  try {
    return readdirSync('/dev/dri').some((f) => f.startsWith('renderD'));
  } catch {
    return false;
  }
}

/** Sets VK_ICD_FILENAMES to SwiftShader when unset and there is no GPU; returns what it did. */
export function ensureVulkanDriver(): 'kept' | 'swiftshader' | 'none' {
  if (process.env.VK_ICD_FILENAMES || hasGpuDevice()) return 'kept';
  if (!existsSync(SWIFTSHADER_ICD)) return 'none';
  process.env.VK_ICD_FILENAMES = SWIFTSHADER_ICD;
  // The Vulkan loader complains on stderr without a runtime dir; give it a private one (mode 0700).
  if (!process.env.XDG_RUNTIME_DIR) process.env.XDG_RUNTIME_DIR = mkdtempSync(join(tmpdir(), 'xdg-'));
  return 'swiftshader';
}
