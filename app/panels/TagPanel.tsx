/**
 * Copyright tags by rule (random fraction with a seed, first k, by cluster) or by hand (table,
 * projection). n1 and n1/n are always visible.
 */
import { Term } from '../learn/Term';
import { useAppStore } from '../store/app-store';
import { DEFAULT_RANDOM_TAGS, type TagRule } from '../store/settings';
import { RANGES } from '../store/settings-table';
import { NumberField, SelectField } from './fields';

type RuleKind = TagRule['kind'];

const RULES: readonly { value: RuleKind; label: string }[] = [
  { value: 'random', label: 'Random fraction' },
  { value: 'first', label: 'First k rows' },
  { value: 'cluster', label: 'By cluster' },
  { value: 'manual', label: 'Manual (table / projection)' },
];

function defaultRule(kind: RuleKind, n: number): TagRule {
  switch (kind) {
    case 'random':
      return { ...DEFAULT_RANDOM_TAGS };
    case 'first':
      return { kind, k: Math.max(1, Math.round(n / 5)) };
    case 'cluster':
      return { kind, clusters: [0] };
    case 'manual':
      return { kind };
  }
}

/** The tags panel. */
export function TagPanel() {
  const rule = useAppStore((s) => s.settings.tagRule);
  const n = useAppStore((s) => s.dataset?.n ?? 0);
  const n1 = useAppStore((s) => s.n1);
  const clusters = useAppStore((s) => s.clusters);
  const update = useAppStore((s) => s.updateSettings);
  const setRowTags = useAppStore((s) => s.setRowTags);
  const clusterCount = clusters ? Math.max(0, ...clusters) + 1 : 0;

  const setRule = (r: TagRule): void =>
    update((s) => {
      s.tagRule = r;
      if (r.kind !== 'manual') s.manualBits = '';
    });

  return (
    <section className="panel" aria-labelledby="tags-heading">
      <h2 id="tags-heading">Copyright tags</h2>
      <p data-testid="n1-readout" aria-live="polite">
        <strong>
          <Term id="n1" /> = {n1}
        </strong>{' '}
        copyrighted of <Term id="n" /> = {n} rows (<Term id="fraction" /> ={' '}
        {n > 0 ? (n1 / n).toFixed(3) : '—'})
      </p>
      <SelectField
        label="Rule"
        value={rule.kind}
        options={RULES}
        testId="tag-rule"
        onChange={(kind) => {
          if (kind === 'manual') {
            // Keep the current tags as the starting point for hand edits.
            setRowTags([], true);
          } else setRule(defaultRule(kind, n));
        }}
      />
      {rule.kind === 'random' && (
        <>
          <NumberField
            label={
              <>
                Fraction <Term id="fraction" />
              </>
            }
            value={rule.fraction}
            {...RANGES.fraction}
            step={0.05}
            testId="tag-fraction"
            onCommit={(v) => setRule({ ...rule, fraction: v })}
          />
          <NumberField
            label="Tag seed"
            value={rule.seed}
            {...RANGES.tagSeed}
            onCommit={(v) => setRule({ ...rule, seed: v })}
          />
        </>
      )}
      {rule.kind === 'first' && (
        <NumberField
          label="k"
          value={rule.k}
          min={0}
          max={n}
          integer
          testId="tag-first-k"
          onCommit={(v) => setRule({ kind: 'first', k: v })}
        />
      )}
      {rule.kind === 'cluster' && (
        <fieldset style={{ border: 'none', padding: 0, margin: 0 }}>
          <legend className="hint">Tag every row of these clusters</legend>
          {clusterCount === 0 && (
            <p className="hint">This data has no clusters: choose the clusters generator.</p>
          )}
          <div className="row">
            {Array.from({ length: clusterCount }, (_, c) => (
              <label key={c}>
                <input
                  type="checkbox"
                  checked={rule.clusters.includes(c)}
                  onChange={(e) => {
                    const set = new Set(rule.clusters);
                    if (e.target.checked) set.add(c);
                    else set.delete(c);
                    setRule({ kind: 'cluster', clusters: [...set].sort((a, b) => a - b) });
                  }}
                />{' '}
                cluster {c}
              </label>
            ))}
          </div>
        </fieldset>
      )}
      {rule.kind === 'manual' && (
        <p className="hint">
          Tick rows in the table (shift-click for a range) or select points in the projection. Manual tags
          travel in the link as a compact bitset.
        </p>
      )}
      <div className="row">
        <button
          type="button"
          onClick={() =>
            setRowTags(
              Array.from({ length: n }, (_, i) => i),
              false,
            )
          }
          disabled={n === 0}
        >
          Clear all tags
        </button>
      </div>
    </section>
  );
}
