/**
 * The exported PyTorch module (pytorch/copyright_loss.py) against the float64 engine, in Debian's
 * PyTorch (python3-torch, which scripts/ensure-deps.sh installs): every regression method's value
 * and autograd gradient (relative 1e-12; both readings for the paper's), the LM copyright loss and
 * a bigram model's and the reference transformer's parameter gradients and an AdamW step against
 * src/lm's float64 reference (1e-10), and two gloo processes
 * on 127.0.0.1 against one process on the whole batch (and naive per-rank averaging, which must
 * differ). Also the CLI's export: the module's version, and run.json evaluated back to the run's τ.
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CpuEngine } from '../engine/cpu-engine';
import { METHOD_NAMES, type MethodName } from '../math/methods';
import type { Reading } from '../math/types';
import { createRng } from '../data/prng';
import { randomProblem, randomVector, relErr, splitProblem } from '../testing/random-problem';
import { version } from '../../package.json';
import {
  adamwStep,
  initParams,
  lossAndGradient,
  parameterLayout,
  type LmConfig,
  type LmSequence,
} from './transformer';
import {
  bigramGradients,
  bigramLogits,
  copyrightLmLoss,
  IGNORE_INDEX,
  type BigramModel,
} from './copyright-lm-loss';

/** Debian's interpreter, where python3-torch installs (the project's other Python may lack torch). */
const PYTHON = process.env.TORCH_PYTHON ?? '/usr/bin/python3';

function python(args: string[], input?: string, timeout = 120_000): string {
  const r = spawnSync(PYTHON, args, { input, encoding: 'utf8', timeout, maxBuffer: 64 * 1024 * 1024 });
  if (r.status !== 0)
    throw new Error(
      `${PYTHON} ${args.join(' ')} exited ${r.status}: ${(r.stderr || r.error?.message || '').slice(-2000)}`,
    );
  return r.stdout;
}

const torchVersion = (() => {
  const r = spawnSync(PYTHON, ['-c', 'import torch; print(torch.__version__)'], { encoding: 'utf8' });
  return r.status === 0 ? r.stdout.trim() : null;
})();

describe('the PyTorch export', () => {
  it('has PyTorch to run in (scripts/ensure-deps.sh installs Debian’s python3-torch)', () => {
    console.log(`[torch] ${PYTHON}: PyTorch ${torchVersion ?? 'missing'}`);
    expect(torchVersion, `no PyTorch for ${PYTHON}: run scripts/ensure-deps.sh`).not.toBeNull();
  });

  it('every regression method: value and autograd gradient equal the float64 engine (relative 1e-12)', async () => {
    const cases: { method: MethodName; reading: Reading; seed: number }[] = [];
    for (const method of METHOD_NAMES)
      for (const seed of [1, 2]) cases.push({ method, reading: 'global', seed });
    cases.push(
      { method: 'paper', reading: 'separate', seed: 3 },
      { method: 'paper', reading: 'separate', seed: 4 },
    );
    const strength: Record<MethodName, number> = {
      paper: 0.2,
      reweight: 0.6,
      ascent: 1.5,
      logbarrier: 0.3,
      'tau-target': 50,
    };
    const inputs = cases.map(({ method, reading, seed }) => {
      const p = randomProblem({ n: 40, d: 5, n1: 9, gammaC: strength[method], reading, seed: 100 + seed });
      const { dataset, config } = splitProblem(p);
      const x = randomVector(5, seed + 7, 0.8);
      const full = { ...config, method: method === 'paper' ? undefined : method, tauTarget: 0.05 };
      return { dataset, config: full, x };
    });
    const payload = inputs.map(({ dataset, config, x }) => ({
      A: Array.from(dataset.A),
      n: dataset.n,
      d: dataset.d,
      b: Array.from(dataset.b),
      w: Array.from(dataset.w),
      mask: Array.from(config.mask, (v) => v === 1),
      x: Array.from(x),
      method: config.method ?? 'paper',
      strength: config.gammaC,
      reading: config.reading,
      tauTarget: config.tauTarget,
    }));
    const got = JSON.parse(python(['pytorch/checks/regression.py'], JSON.stringify(payload))) as {
      L: number;
      tau: number;
      grad: number[];
    }[];
    let worst = 0;
    for (const [k, { dataset, config, x }] of inputs.entries()) {
      const [ref] = await new CpuEngine(dataset, { kernels: 'typescript' }).evaluate([{ x, config }], {
        gradient: true,
      });
      const what = `${cases[k].method} ${cases[k].reading} seed ${cases[k].seed}`;
      expect(Math.abs(got[k].L - ref.L) / Math.abs(ref.L), what).toBeLessThan(1e-12);
      expect(Math.abs(got[k].tau - ref.tau) / Math.abs(ref.tau), what).toBeLessThan(1e-10);
      const e = relErr(got[k].grad, ref.grad!);
      worst = Math.max(worst, e);
      expect(e, what).toBeLessThan(1e-12);
    }
    console.log(
      `[torch] ${cases.length} regression cases, worst gradient relative error ${worst.toExponential(2)}`,
    );
  });

  it('the LM copyright loss through a bigram model: loss and parameter gradients equal the float64 reference (1e-10)', () => {
    for (const seed of [1, 2]) {
      const rng = createRng(seed);
      const vocab = 9;
      const width = 5;
      const normal = (k: number) => Float64Array.from({ length: k }, () => rng.normal() * 0.7);
      const m: BigramModel = {
        vocab,
        width,
        E: normal(vocab * width),
        W: normal(width * vocab),
        c: normal(vocab),
      };
      const rows = 23;
      const inputs = Int32Array.from({ length: rows }, () => Math.floor(rng.next() * vocab));
      const labels = Int32Array.from({ length: rows }, () => Math.floor(rng.next() * vocab));
      const copyright = Uint8Array.from({ length: rows }, (_, r) => (r >= 4 && r < 11 ? 1 : 0));
      labels[rows - 1] = IGNORE_INDEX;
      labels[rows - 2] = IGNORE_INDEX;
      copyright[rows - 1] = 1; // on padding: ignored
      const gamma = 0.4;
      const ref = copyrightLmLoss({ logits: bigramLogits(m, inputs), rows, vocab, labels, copyright, gamma });
      const g = bigramGradients(m, inputs, ref.dLogits);
      const out = JSON.parse(
        python(
          ['pytorch/checks/lm.py'],
          JSON.stringify({
            vocab,
            width,
            E: Array.from(m.E),
            W: Array.from(m.W),
            c: Array.from(m.c),
            inputs: Array.from(inputs),
            labels: Array.from(labels),
            copyright: Array.from(copyright, (v) => v === 1),
            gamma,
          }),
        ),
      ) as {
        loss: number;
        compute_loss: number;
        metrics: Record<string, number | boolean>;
        dE: number[];
        dW: number[];
        dc: number[];
      };
      expect(Math.abs(out.loss - ref.loss) / ref.loss).toBeLessThan(1e-12);
      // The Trainer-style compute_loss, shifting a sequence one token longer itself, is the same loss.
      expect(out.compute_loss).toBe(out.loss);
      expect(out.metrics.tau_ce as number).toBeCloseTo(ref.tauCe, 12);
      expect(out.metrics.tokens).toBe(ref.tokens);
      expect(out.metrics.copyright_tokens).toBe(ref.copyrightTokens);
      expect(out.metrics.penalty_applied).toBe(true);
      expect(relErr(out.dE, g.dE)).toBeLessThan(1e-10);
      expect(relErr(out.dW, g.dW)).toBeLessThan(1e-10);
      expect(relErr(out.dc, g.dc)).toBeLessThan(1e-10);
    }
  });

  it('the LM loss through the reference transformer: loss, every parameter gradient (1e-10) and an AdamW step equal PyTorch', () => {
    for (const tiedHead of [false, true]) {
      const config: LmConfig = { vocab: 11, width: 8, heads: 2, layers: 2, context: 7, tiedHead };
      const p = initParams(config, 21);
      const rng = createRng(22);
      for (let i = 0; i < p.data.length; i++) p.data[i] += 0.2 * rng.normal();
      const seq = (t: number, pad: number): LmSequence => ({
        inputs: Int32Array.from({ length: t }, () => Math.floor(rng.next() * config.vocab)),
        labels: Int32Array.from({ length: t }, (_, i) =>
          i >= pad ? IGNORE_INDEX : Math.floor(rng.next() * config.vocab),
        ),
        copyright: Uint8Array.from({ length: t }, (_, i) => (i >= 2 && i < 5 ? 1 : 0)),
      });
      const batch = [seq(7, 7), seq(5, 3), seq(6, 6)];
      const gamma = 0.25;
      const { loss, grad } = lossAndGradient(p, batch, gamma);
      const adamw = { lr: 0.01, beta1: 0.9, beta2: 0.999, eps: 1e-8, weightDecay: 0.01 };
      const stepped = Float64Array.from(p.data);
      adamwStep(
        stepped,
        grad,
        { m: new Float64Array(grad.length), v: new Float64Array(grad.length), step: 0 },
        adamw,
      );
      const out = JSON.parse(
        python(
          ['pytorch/checks/transformer.py'],
          JSON.stringify({
            config,
            layout: parameterLayout(config),
            params: Array.from(p.data),
            batch: batch.map((b) => ({
              inputs: Array.from(b.inputs),
              labels: Array.from(b.labels),
              copyright: Array.from(b.copyright, (v) => v === 1),
            })),
            gamma,
            adamw,
            grad: Array.from(grad),
          }),
        ),
      ) as { loss: number; metrics: Record<string, number | boolean>; grad: number[]; stepped: number[] };
      const what = tiedHead ? 'tied head' : 'untied head';
      expect(Math.abs(out.loss - loss.loss) / loss.loss, what).toBeLessThan(1e-12);
      expect(out.metrics.copyright_tokens, what).toBe(loss.copyrightTokens);
      const e = relErr(out.grad, grad);
      console.log(
        `[torch] transformer (${what}, ${grad.length} parameters): gradient relative error ${e.toExponential(2)}`,
      );
      expect(e, what).toBeLessThan(1e-10);
      expect(relErr(out.stepped, stepped), what).toBeLessThan(1e-12);
    }
  });

  it('two gloo processes with an uneven split give the single-process loss and gradient; per-rank averaging does not', () => {
    const r = JSON.parse(python(['pytorch/checks/distributed.py'], undefined, 240_000)) as {
      single_loss: number;
      exact: {
        loss: number[];
        grad_max_rel_err: number[];
        ranks_agree: boolean;
        copyright_tokens: number[];
        penalty_applied: boolean[];
      };
      naive: {
        loss: number[];
        grad_max_rel_err: number[];
        copyright_tokens: number[];
        penalty_applied: boolean[];
      };
    };
    console.log(`[torch] distributed: ${JSON.stringify(r)}`);
    // Under the exact path every rank sees the global counts: 5 + 3 copyrighted targets, all in
    // rank 0's shard (the one marked on padding is not a target).
    expect(r.exact.copyright_tokens).toEqual([8, 8]);
    for (const loss of r.exact.loss)
      expect(Math.abs(loss - r.single_loss) / r.single_loss).toBeLessThan(1e-12);
    for (const e of r.exact.grad_max_rel_err) expect(e).toBeLessThan(1e-12);
    expect(r.exact.ranks_agree).toBe(true);
    // The usual per-rank loss: rank 1 has no copyrighted token and no penalty; loss and gradient differ.
    expect(r.naive.copyright_tokens).toEqual([8, 0]);
    expect(r.naive.penalty_applied).toEqual([true, false]);
    expect(Math.abs(r.naive.loss[0] - r.single_loss) / r.single_loss).toBeGreaterThan(1e-3);
    expect(Math.min(...r.naive.grad_max_rel_err)).toBeGreaterThan(1e-3);
  });

  it('export-torch writes the versioned module and a run that PyTorch evaluates back to the playground’s τ', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'torch-export-'));
    const cli = spawnSync(
      process.execPath,
      [
        '--import',
        'tsx',
        'src/cli/main.ts',
        'export-torch',
        '--out',
        dir,
        '--link',
        '#v=2&n=80&d=5&seed=3&m=tau-target&g=1000&tt=0.03',
      ],
      { encoding: 'utf8', timeout: 120_000 },
    );
    expect(cli.stderr).toBe('');
    expect(cli.status).toBe(0);
    const summary = JSON.parse(cli.stdout) as { run: { tau: number } };
    const module = join(dir, 'copyright_loss.py');
    expect(
      python([
        '-c',
        `import sys; sys.path.insert(0, ${JSON.stringify(dir)}); import copyright_loss as m; print(m.__version__)`,
      ]).trim(),
    ).toBe(version);
    const check = python([module, join(dir, 'run.json')]);
    const tau = /^tau: PyTorch (\S+), playground (\S+), relative difference (\S+)$/m.exec(check);
    expect(tau, check).not.toBeNull();
    expect(Number(tau![2])).toBe(summary.run.tau);
    expect(Number(tau![3])).toBeLessThan(1e-12);
    // The example trains a few steps on one process, and on two (gloo) started as torchrun starts
    // them: RANK, WORLD_SIZE, MASTER_ADDR, MASTER_PORT. (Debian's torch 1.13 launcher itself fails
    // on Python 3.11: its Std enum parsing returns None.)
    expect(python([module])).toMatch(/step 4: loss/);
    const port = String(29500 + Math.floor(Math.random() * 400));
    const ranks = await Promise.all(
      [0, 1].map(
        (rank) =>
          new Promise<{ code: number | null; out: string }>((resolve) => {
            const child = spawn(PYTHON, [module], {
              env: {
                ...process.env,
                RANK: String(rank),
                LOCAL_RANK: String(rank),
                WORLD_SIZE: '2',
                MASTER_ADDR: '127.0.0.1',
                MASTER_PORT: port,
              },
            });
            let out = '';
            child.stdout.on('data', (b: Buffer) => (out += b.toString()));
            child.stderr.on('data', (b: Buffer) => (out += b.toString()));
            const timer = setTimeout(() => child.kill(), 120_000);
            child.on('close', (code) => {
              clearTimeout(timer);
              resolve({ code, out });
            });
          }),
      ),
    );
    expect(
      ranks.map((r) => r.code),
      ranks.map((r) => r.out).join('\n'),
    ).toEqual([0, 0]);
    expect(ranks[0].out).toMatch(/step 4: loss/);
  });
});
