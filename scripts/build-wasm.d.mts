/** Types of scripts/build-wasm.mjs, for the test that checks the generated module is current. */
export const SOURCE: string;
export const TARGET: string;
export const ASC_FLAGS: readonly string[];
export function compileRowKernels(): Promise<Uint8Array>;
export function generatedModule(bytes: Uint8Array): string;
