/**
 * The language-model view (issue 13): the paper's real setting at browser size. A small character
 * transformer is trained on a seeded synthetic corpus with the copyright loss (mean CE + γ / CE on
 * the copyrighted tokens) beside its γ = 0 twin (same weights, same batches), and the view shows
 * what matters: CE on the copyrighted and the free text, τ_CE, validation perplexity, whether the
 * model still reproduces the protected passages, and how exposed the canary is. Training runs in
 * a worker on the float64 reference (src/lm); its settings are in the link.
 */
import { useEffect } from 'react';
import { CANARY_DIGITS, CANARY_PREFIX } from '../../src/lm/corpus';
import { MATCH_CHARS_MIN } from '../../src/lm/generation';
import { EXPOSURE_CANDIDATES } from '../../src/lm/lm-defaults';
import { GENERATED_CHARS, secretsRecited, type LmMetrics } from '../../src/lm/training';
import { CheckboxField, NumberField } from '../panels/fields';
import { PresetPicker } from '../presets/PresetPicker';
import { useAppStore } from '../store/app-store';
import { RANGES } from '../store/settings-table';
import type { LmNumberKey } from '../store/settings';
import { VIEW_PANEL_ID, ViewSwitch } from '../sweep/ViewSwitch';
import { LmChart } from './LmChart';
import { LmSweepPanel } from './LmSweepPanel';
import { LmTextPanel } from './LmTextPanel';
import { markedText } from './marked-text';
import { installLmSync, pauseLm, playLm, resetLm, stepLm } from './lm-controller';
import { useLmStore } from './lm-store';

const FIELDS: readonly [LmNumberKey, string, (typeof RANGES)[keyof typeof RANGES], string?][] = [
  [
    'gamma',
    'γ (copyright weight)',
    RANGES.lmGamma,
    'The loss is mean CE + γ / (mean CE on the copyrighted tokens); γ = 0 is plain training.',
  ],
  ['steps', 'Training steps', RANGES.lmSteps],
  ['seed', 'Seed (corpus, weights, batches)', RANGES.lmSeed],
  [
    'fraction',
    'Copyrighted passages n1/n',
    RANGES.lmFraction,
    'The share of the passages (of an uploaded text: paragraphs) tagged copyrighted, chosen with the seed.',
  ],
  [
    'canaries',
    'Canaries',
    RANGES.lmCanaries,
    `A canary is “${CANARY_PREFIX}” and six random digits, repeated in the text and tagged copyrighted.`,
  ],
  ['repeats', 'Repeats of each canary', RANGES.lmRepeats],
  ['width', 'Width d', RANGES.lmWidth],
  ['heads', 'Heads', RANGES.lmHeads],
  ['layers', 'Layers', RANGES.lmLayers],
  ['context', 'Context (characters)', RANGES.lmContext],
  ['batch', 'Batch (sequences)', RANGES.lmBatch],
  ['lr', 'Learning rate (AdamW)', RANGES.lmLr],
  [
    'weightDecay',
    'Weight decay (AdamW)',
    RANGES.lmWeightDecay,
    'Decoupled: each step shrinks every weight by learning rate × decay.',
  ],
];

/** The metrics shown, one function each (stable, so a chart redraws only when the history changes). */
const METRIC = {
  ceCopyright: (m: LmMetrics) => m.ceCopyright,
  ceFree: (m: LmMetrics) => m.ceFree,
  tauCe: (m: LmMetrics) => m.tauCe,
  perplexity: (m: LmMetrics) => m.validationPerplexity,
  exact: (m: LmMetrics) => m.exactMatches,
  prefix: (m: LmMetrics) => m.meanPrefix,
  // No canary, no count (a 0 would read as "kept the secret").
  secrets: (m: LmMetrics) => (m.exposure.length > 0 ? secretsRecited(m) : NaN),
  exposure: (m: LmMetrics) => m.exposureFit[0] ?? NaN,
};

/** Exposure (bits) at which a secret outranks every other secret of its format. */
const EXPOSURE_ALL_OUTRANKED = CANARY_DIGITS * Math.log2(10);

/** The exposure chart's reference level (a module constant, so the chart redraws only on new points). */
const EXPOSURE_REFERENCE = {
  y: EXPOSURE_ALL_OUTRANKED,
  label: `outranks every ${CANARY_DIGITS}-digit secret`,
};

/** A number as the charts print it (a true minus sign), or a dash when there is none. */
const fmt = (v: number, digits = 3): string =>
  Number.isFinite(v) ? v.toFixed(digits).replace(/^-/, '−') : '—';

/** γ of the training shown, or the setting's before there is one (the store keeps the trained γ). */
function useShownGamma(): number {
  const trained = useLmStore((s) => (s.status === 'idle' ? null : s.gamma));
  const setting = useAppStore((s) => s.settings.lm.gamma);
  return trained ?? setting;
}

function Settings() {
  const lm = useAppStore((s) => s.settings.lm);
  const update = useAppStore((s) => s.updateSettings);
  return (
    <section className="panel" aria-labelledby="lm-settings-heading">
      <h2 id="lm-settings-heading">Language model</h2>
      <p className="hint">
        A decoder-only transformer over characters, pre-LayerNorm, GELU, AdamW, trained on the text below; its
        copyrighted passages and the canaries are tagged.
      </p>
      {FIELDS.map(([key, label, range, hint]) => (
        <NumberField
          key={key}
          label={label}
          value={lm[key]}
          {...range}
          hint={hint}
          testId={`lm-${key}`}
          onCommit={(v) => update((s) => (s.lm[key] = v))}
        />
      ))}
      <CheckboxField
        label="Tied output head (= token embedding)"
        checked={lm.tiedHead}
        onChange={(v) => update((s) => (s.lm.tiedHead = v))}
        testId="lm-tied"
      />
    </section>
  );
}

function Row({
  label,
  metric,
  digits,
}: {
  label: string;
  metric: (m: LmMetrics) => number;
  digits?: number;
}) {
  const last = useLmStore((s) => s.history[s.history.length - 1]);
  return (
    <tr>
      <th scope="row">{label}</th>
      <td data-testid={`lm-run-${label}`}>{last ? fmt(metric(last.run), digits) : '—'}</td>
      <td>{last ? fmt(metric(last.twin), digits) : '—'}</td>
    </tr>
  );
}

function Samples() {
  const last = useLmStore((s) => s.history[s.history.length - 1]);
  const gamma = useShownGamma();
  if (!last) return null;
  const show = (m: LmMetrics, who: string) =>
    m.samples.map((s, k) => (
      <li key={`${who}-${k}`}>
        <span className="lm-prompt">{s.prompt}</span>
        <mark className="lm-match" title="reproduces the protected text">
          {s.continuation.slice(0, s.prefix)}
        </mark>
        <span>{s.continuation.slice(s.prefix)}</span>
      </li>
    ));
  const free = (m: LmMetrics, who: string) => {
    const { text, spans } = m.generated;
    return (
      <p className="lm-free-sample" data-testid={`lm-free-${who}`} data-spans={spans.length}>
        {markedText(text, spans, 'occurs only in the copyrighted training text')}
      </p>
    );
  };
  return (
    <section className="panel" aria-labelledby="lm-samples-heading" data-testid="lm-samples">
      <h2 id="lm-samples-heading">Does it recite the protected text?</h2>
      <p className="hint">
        Each protected passage’s first characters (a canary: its prefix “{CANARY_PREFIX}”) in grey, then the
        model’s greedy continuation; the part that matches the protected text is highlighted.
      </p>
      <div className="lm-samples">
        <div>
          <h3>γ = {gamma}</h3>
          <ol>{show(last.run, 'run')}</ol>
        </div>
        <div>
          <h3>γ = 0 twin</h3>
          <ol>{show(last.twin, 'twin')}</ol>
        </div>
      </div>
      <h3>Free samples</h3>
      <p className="hint">
        {GENERATED_CHARS} characters drawn from each model after a line break (temperature 1, the same random
        draws for both). Highlighted: stretches of {MATCH_CHARS_MIN} or more characters that occur in the
        copyrighted training text and nowhere in the free training text.
      </p>
      <div className="lm-samples">
        <div>
          <h3>γ = {gamma}</h3>
          {free(last.run, 'run')}
        </div>
        <div>
          <h3>γ = 0 twin</h3>
          {free(last.twin, 'twin')}
        </div>
      </div>
    </section>
  );
}

/** The language-model view. */
export function LmView() {
  useEffect(installLmSync, []);
  const { status, message, history, tokensPerSecond, corpus, engine, engineReason } = useLmStore();
  const steps = useAppStore((s) => s.settings.lm.steps);
  const gamma = useShownGamma();
  const running = status === 'running' || status === 'starting';
  const step = history.length ? history[history.length - 1].step : 0;
  const noCanary = history.length > 0 && history[0].run.exposure.length === 0;
  return (
    <main className="layout">
      <div className="sidebar">
        <PresetPicker />
        <Settings />
        <LmTextPanel />
        <section className="panel" aria-labelledby="lm-authors-heading">
          <h2 id="lm-authors-heading">How this differs from the authors’ code</h2>
          <p className="hint">
            The paper’s experiment fine-tunes GPT-2 with this loss, but its code indexes rows with integers
            where a mask was meant (the penalty falls on the first two rows of each batch, copyrighted or
            not), counts padding tokens in every cross-entropy, and adds the penalty into the evaluated τ_CE.
            Here the masks are boolean, padding is ignored, and no metric includes the penalty.
          </p>
        </section>
      </div>
      <div className="main">
        <ViewSwitch />
        <div className="main" id={VIEW_PANEL_ID} role="tabpanel" aria-labelledby="view-tab-lm">
          <section className="panel" aria-labelledby="lm-run-heading">
            <h2 id="lm-run-heading" className="visually-hidden">
              Training
            </h2>
            <div className="run-bar">
              {running ? (
                <button type="button" onClick={pauseLm} data-testid="lm-pause">
                  ❚❚ Pause
                </button>
              ) : (
                <button type="button" className="primary" onClick={playLm} data-testid="lm-play">
                  ▶ Play
                </button>
              )}
              <button type="button" onClick={stepLm} disabled={running} data-testid="lm-step">
                Step →
              </button>
              <button type="button" onClick={() => resetLm()} data-testid="lm-reset">
                ↺ Reset
              </button>
              <span data-testid="lm-progress" data-step={step} data-status={status} data-engine={engine}>
                step {step} / {steps} · {status}
                {tokensPerSecond > 0
                  ? ` · ${Math.round(tokensPerSecond).toLocaleString('en-US')} tokens/s on ${engine || 'the CPU'}`
                  : ''}
              </span>
            </div>
            {engineReason && (
              <p className="notice" role="status" data-testid="lm-engine-reason">
                The training runs on the CPU: {engineReason}
              </p>
            )}
            {corpus && (
              <p className="hint">
                {corpus.characters.toLocaleString('en-US')} characters of training text, {corpus.vocabulary}{' '}
                distinct characters, {corpus.protectedPassages} protected passages;{' '}
                {corpus.parameters.toLocaleString('en-US')} parameters per model.
              </p>
            )}
            {message && (
              <p
                className={status === 'error' ? 'error' : 'status-message'}
                role="status"
                data-testid="lm-message"
              >
                {message}
              </p>
            )}
            <table className="sweep-table" data-testid="lm-readout">
              <caption>Measured without the penalty, at the last measurement</caption>
              <thead>
                <tr>
                  <th scope="col">metric</th>
                  <th scope="col">γ = {gamma}</th>
                  <th scope="col">γ = 0 twin</th>
                </tr>
              </thead>
              <tbody>
                <Row label="CE copyrighted (nats/char)" metric={METRIC.ceCopyright} />
                <Row label="CE free (nats/char)" metric={METRIC.ceFree} />
                <Row label="τ_CE" metric={METRIC.tauCe} />
                <Row label="validation perplexity" metric={METRIC.perplexity} />
                <Row label="passages recited exactly" metric={METRIC.exact} digits={0} />
                <Row label="mean common prefix (characters)" metric={METRIC.prefix} digits={1} />
                <Row label="canary secrets recited" metric={METRIC.secrets} digits={0} />
                <Row label="canary exposure (bits)" metric={METRIC.exposure} digits={1} />
              </tbody>
            </table>
            <p className="hint" data-testid="lm-readout-guide">
              τ_CE above 0: the model fits the copyrighted text worse than the free text, which is what the
              penalty pushes for. Canary exposure: how many bits likelier the canary’s secret is to the model
              than random digits of the same format; log2(10⁶) ≈ {EXPOSURE_ALL_OUTRANKED.toFixed(1)} bits
              means it outranks every possible {CANARY_DIGITS}-digit secret. It is extrapolated from a normal
              fit to the log-likelihoods of {EXPOSURE_CANDIDATES} random candidates, so it can exceed that.
            </p>
          </section>
          <div className="plots">
            <LmChart
              title="CE on the copyrighted text"
              yTitle="nats per character"
              metric={METRIC.ceCopyright}
              testId="lm-ce-plot"
            />
            <LmChart
              title="τ_CE = CE copyrighted − CE free"
              yTitle="nats per character"
              metric={METRIC.tauCe}
              testId="lm-tau-plot"
            />
            <LmChart
              title="Validation perplexity (held-out free text)"
              yTitle="perplexity"
              metric={METRIC.perplexity}
              testId="lm-ppl-plot"
            />
            {noCanary ? (
              <figure className="panel" aria-label="Canary exposure" data-testid="lm-exposure-none">
                <p className="hint">
                  Canary exposure: this training has no canary. Set “Canaries” to 1 or more to measure how
                  exposed a repeated secret is.
                </p>
              </figure>
            ) : (
              <LmChart
                title="Canary exposure (higher = memorised)"
                yTitle="bits"
                metric={METRIC.exposure}
                testId="lm-exposure-plot"
                reference={EXPOSURE_REFERENCE}
              />
            )}
          </div>
          <Samples />
          <LmSweepPanel />
        </div>
      </div>
    </main>
  );
}
