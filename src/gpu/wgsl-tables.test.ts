/**
 * The WGSL and the TypeScript tables that drive it must agree, and a mismatch would otherwise show
 * only as wrong numbers (a field read from the wrong word of `Params`, a buffer bound to the wrong
 * slot) or as a validation error at the first dispatch. This test parses shaders/*.wgsl (no GPU
 * needed) and checks against src/gpu/kernels.ts:
 * - the `Params` struct's fields, in order and with their types, against PARAM_ORDER / PARAM_TYPES;
 * - every `@group(0) @binding(N) var` against BINDING_INDEX (views such as A4 must alias a named
 *   binding with the same address space and access);
 * - the entry points of each file against ENTRIES, and the bindings each one statically uses
 *   (its body and every function it calls, transitively) against ENTRIES[entry].uses;
 * - the override constants each pipeline is built with against the file's `override`s;
 * - the per-config scalar slots (S_*) against SC, and the matvec tile TK against MATVEC_TK;
 * - the `Config` struct against CONFIG_ORDER / CONFIG_TYPES / CONFIG_WORDS (packConfigs);
 * - the methods' generated WGSL (method-wgsl.ts): one METHOD_* constant per METHOD_NAMES entry with
 *   its index, and no bindings (so any entry point may call it).
 * The files are composed as the loader composes them (shaders.ts composeKernel).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { METHOD_NAMES } from '../math/methods';
import {
  BINDING_INDEX,
  type BindingName,
  CONFIG_ORDER,
  CONFIG_TYPES,
  CONFIG_WORDS,
  DEFAULT_TUNING,
  type EntryName,
  ENTRIES,
  MATVEC_TK,
  overridesFor,
  PARAM_ORDER,
  PARAM_TYPES,
  SC,
} from './kernels';
import { METHOD_WGSL, methodId } from './method-wgsl';
import { composeKernel } from './shaders';

const SHADER_DIR = fileURLToPath(new URL('../../shaders/', import.meta.url));

/** WGSL with comments removed (a comment may name a binding). */
function stripComments(text: string): string {
  return text.replace(/\/\/[^\n]*/g, '');
}

function raw(file: string): string {
  return readFileSync(`${SHADER_DIR}${file}.wgsl`, 'utf8');
}

/** The WGSL of a file with comments removed. */
function source(file: string): string {
  return stripComments(raw(file));
}

const COMMON = source('common');
const KERNEL_FILES = readdirSync(SHADER_DIR)
  .filter((f) => f.endsWith('.wgsl') && f !== 'common.wgsl')
  .map((f) => f.replace(/\.wgsl$/, ''));

/** What the shader loader compiles for a kernel file (composeKernel), comments removed. */
function compiled(file: string): string {
  return stripComments(composeKernel(raw('common'), raw(file)));
}

interface BindingDecl {
  index: number;
  space: string; // e.g. "uniform", "storage, read", "storage, read_write"
  name: string;
}

function bindings(text: string): BindingDecl[] {
  const re = /@group\(0\)\s*@binding\((\d+)\)\s*var<([^>]+)>\s*([A-Za-z_]\w*)\s*:/g;
  return [...text.matchAll(re)].map((m) => ({
    index: Number(m[1]),
    space: m[2].replace(/\s+/g, ' ').trim(),
    name: m[3],
  }));
}

/** The body (between the braces) of function `name`, or null. */
function functionBody(text: string, name: string): string | null {
  const m = new RegExp(`\\bfn\\s+${name}\\s*\\(`).exec(text);
  if (!m) return null;
  const open = text.indexOf('{', m.index);
  let depth = 0;
  for (let i = open; i < text.length; i++) {
    if (text[i] === '{') depth++;
    else if (text[i] === '}' && --depth === 0) return text.slice(open + 1, i);
  }
  throw new Error(`unbalanced braces in fn ${name}`);
}

/** Identifiers of a body, except member names (after a '.'). */
function identifiers(body: string): Set<string> {
  return new Set([...body.matchAll(/(?<![.\w])[A-Za-z_]\w*/g)].map((m) => m[0]));
}

/** Module-scope bindings statically used by an entry point: its body and its callees, transitively. */
function staticBindings(text: string, entry: string): Set<string> {
  const functions = new Set([...text.matchAll(/\bfn\s+([A-Za-z_]\w*)/g)].map((m) => m[1]));
  const names = new Set(bindings(text).map((b) => b.name));
  const used = new Set<string>();
  const seen = new Set<string>();
  const visit = (fn: string): void => {
    if (seen.has(fn)) return;
    seen.add(fn);
    const body = functionBody(text, fn);
    if (body === null) throw new Error(`fn ${fn} not found`);
    for (const id of identifiers(body)) {
      if (names.has(id)) used.add(id);
      if (functions.has(id)) visit(id);
    }
  };
  visit(entry);
  return used;
}

describe('shaders/common.wgsl ↔ kernels.ts', () => {
  it('Params: the fields and types of PARAM_ORDER / PARAM_TYPES, then padding, 16 words in all', () => {
    const struct = /struct\s+Params\s*\{([^}]*)\}/.exec(COMMON);
    expect(struct).not.toBeNull();
    const fields = [...(struct as RegExpExecArray)[1].matchAll(/([A-Za-z_]\w*)\s*:\s*([A-Za-z_]\w*)/g)].map(
      (m) => ({ name: m[1], type: m[2] }),
    );
    expect(fields.length).toBe(16); // UniformArena binds 64 bytes per slot
    const named = fields.filter((f) => !/^pad\d+$/.test(f.name));
    expect(named.map((f) => f.name)).toEqual([...PARAM_ORDER]);
    expect(fields.slice(0, named.length).map((f) => f.name)).toEqual([...PARAM_ORDER]); // padding last
    for (const f of named) expect(f.type, f.name).toBe(PARAM_TYPES[f.name as keyof typeof PARAM_TYPES]);
    for (const f of fields.slice(named.length)) expect(f.type).toBe('u32');
  });

  it('the binding table: one declaration per BINDING_INDEX entry, same name and index', () => {
    const decls = bindings(COMMON);
    const byName = new Map(decls.map((b) => [b.name, b.index]));
    expect(decls.length).toBe(Object.keys(BINDING_INDEX).length);
    for (const [name, index] of Object.entries(BINDING_INDEX)) expect(byName.get(name), name).toBe(index);
    expect(new Set(decls.map((b) => b.index)).size).toBe(decls.length); // no index twice
  });

  it('Config: the fields and types of CONFIG_ORDER / CONFIG_TYPES, then u32 padding to CONFIG_WORDS', () => {
    const struct = /struct\s+Config\s*\{([^}]*)\}/.exec(COMMON);
    expect(struct).not.toBeNull();
    const fields = [...(struct as RegExpExecArray)[1].matchAll(/([A-Za-z_]\w*)\s*:\s*([A-Za-z_]\w*)/g)].map(
      (m) => ({ name: m[1], type: m[2] }),
    );
    expect(fields.length).toBe(CONFIG_WORDS); // all 4-byte scalars: the array stride is 4·CONFIG_WORDS
    expect(fields.slice(0, CONFIG_ORDER.length).map((f) => f.name)).toEqual([...CONFIG_ORDER]);
    for (const f of fields.slice(0, CONFIG_ORDER.length))
      expect(f.type, f.name).toBe(CONFIG_TYPES[f.name as keyof typeof CONFIG_TYPES]);
    for (const f of fields.slice(CONFIG_ORDER.length)) {
      expect(f.name).toMatch(/^pad\d+$/);
      expect(f.type).toBe('u32');
    }
  });

  it('methods: one METHOD_* constant per METHOD_NAMES entry, equal to methodId; no bindings used', () => {
    const text = stripComments(METHOD_WGSL);
    const consts = [...text.matchAll(/const\s+(METHOD_\w+)\s*:\s*u32\s*=\s*(\d+)u\s*;/g)].map((m) => [
      m[1],
      Number(m[2]),
    ]);
    expect(consts).toEqual(
      METHOD_NAMES.map((m) => [`METHOD_${m.toUpperCase().replace(/-/g, '_')}`, methodId(m)]),
    );
    expect(METHOD_NAMES.map(methodId)).toEqual(METHOD_NAMES.map((_, i) => i));
    const names = new Set(bindings(COMMON).map((b) => b.name));
    const used = [...identifiers(text)].filter((id) => names.has(id));
    expect(used).toEqual([]);
  });

  it('per-config scalar slots S_* and SC_STRIDE equal SC', () => {
    const consts = new Map(
      [...COMMON.matchAll(/const\s+(S_\w+|SC_STRIDE)\s*:\s*u32\s*=\s*(\d+)u\s*;/g)].map((m) => [
        m[1],
        Number(m[2]),
      ]),
    );
    const want = new Map(Object.entries(SC).map(([k, v]) => [k === 'STRIDE' ? 'SC_STRIDE' : `S_${k}`, v]));
    expect(Object.fromEntries(consts)).toEqual(Object.fromEntries(want));
  });
});

describe('shaders/*.wgsl entry points ↔ ENTRIES', () => {
  it('the kernel files hold exactly the entry points of ENTRIES, each in its file', () => {
    const found: Record<string, string> = {};
    for (const file of KERNEL_FILES) {
      for (const m of source(file).matchAll(/@compute[^{]*?\bfn\s+([A-Za-z_]\w*)/g)) found[m[1]] = file;
    }
    const want = Object.fromEntries(Object.entries(ENTRIES).map(([e, v]) => [e, v.file as string]));
    expect(found).toEqual(want);
  });

  for (const file of KERNEL_FILES) {
    it(`${file}.wgsl: binding views alias a named binding with the same access`, () => {
      const decls = bindings(compiled(file));
      const named = new Map(bindings(COMMON).map((b) => [b.index, b]));
      for (const b of decls) {
        const base = named.get(b.index);
        expect(base, `${b.name} @binding(${b.index})`).toBeDefined();
        expect(b.space, `${b.name} views ${base?.name}`).toBe(base?.space);
      }
    });
  }

  for (const entry of Object.keys(ENTRIES) as EntryName[]) {
    it(`${entry}: statically used bindings and override constants`, () => {
      const { file, uses } = ENTRIES[entry];
      const text = compiled(file);
      const indexOf = new Map(bindings(text).map((b) => [b.name, b.index]));
      const nameOf = new Map(Object.entries(BINDING_INDEX).map(([name, i]) => [i, name as BindingName]));
      const used = [...staticBindings(text, entry)].map((v) => nameOf.get(indexOf.get(v) as number));
      expect(new Set(used), `${entry} in ${file}.wgsl`).toEqual(new Set(uses));
      expect(used.length, `${entry} uses two views of one binding`).toBe(new Set(used).size);
      const overrides = new Set([...text.matchAll(/\boverride\s+([A-Za-z_]\w*)/g)].map((m) => m[1]));
      for (const name of Object.keys(overridesFor(entry, DEFAULT_TUNING))) {
        expect(overrides.has(name), `override ${name} in ${file}.wgsl`).toBe(true);
      }
    });
  }

  it('matvec.wgsl TK equals MATVEC_TK (the padding of X)', () => {
    expect(/const\s+TK\s*:\s*u32\s*=\s*(\d+)u/.exec(source('matvec'))?.[1]).toBe(String(MATVEC_TK));
  });
});
