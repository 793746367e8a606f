/**
 * Data: generate a synthetic set, or upload a CSV (drag and drop or file picker; parsed off the
 * main thread with a progress bar), and download the current data with its tags as CSV (the CSV
 * writer, with papaparse, loads on first use).
 */
import { useId, useRef, useState } from 'react';
import { DATA_LIMITS, formatBytes } from '../../src/data/limits';
import { loadCsvFile } from '../data/data-controller';
import { Term } from '../learn/Term';
import { LocalDataControls } from '../persist/LocalDataControls';
import { useAppStore } from '../store/app-store';
import type { GeneratorKind } from '../store/settings';
import { RANGES } from '../store/settings-table';
import { NumberField, SelectField } from './fields';

const GENERATORS: readonly { value: GeneratorKind; label: string }[] = [
  { value: 'gaussian', label: 'Gaussian rows' },
  { value: 'clusters', label: 'Clusters (topics)' },
];

function GeneratorForm() {
  const gen = useAppStore((s) => s.settings.gen);
  const source = useAppStore((s) => s.settings.source);
  const update = useAppStore((s) => s.updateSettings);
  const set = (change: (g: typeof gen) => void): void =>
    update((s) => {
      s.source = 'generate';
      change(s.gen);
    });
  return (
    <div>
      <SelectField
        label="Generator"
        value={gen.kind}
        options={GENERATORS}
        onChange={(v) => set((g) => (g.kind = v))}
        testId="gen-kind"
      />
      <NumberField
        label={
          <>
            Rows <Term id="n" />
          </>
        }
        value={gen.n}
        {...RANGES.n}
        onCommit={(v) => set((g) => (g.n = v))}
        testId="gen-n"
      />
      <NumberField
        label={
          <>
            Features <Term id="d" />
          </>
        }
        value={gen.d}
        {...RANGES.d}
        onCommit={(v) => set((g) => (g.d = v))}
        testId="gen-d"
      />
      <NumberField
        label="Noise"
        value={gen.noise}
        {...RANGES.noise}
        onCommit={(v) => set((g) => (g.noise = v))}
        testId="gen-noise"
      />
      <NumberField
        label="Seed"
        value={gen.seed}
        {...RANGES.seed}
        onCommit={(v) => set((g) => (g.seed = v))}
        testId="gen-seed"
      />
      <NumberField
        label="x_true scale"
        value={gen.xScale}
        {...RANGES.xScale}
        onCommit={(v) => set((g) => (g.xScale = v))}
      />
      {gen.kind === 'clusters' && (
        <>
          <NumberField
            label="Clusters"
            value={gen.clusters}
            {...RANGES.clusters}
            onCommit={(v) => set((g) => (g.clusters = v))}
          />
          <NumberField
            label="Spread"
            value={gen.spread}
            {...RANGES.spread}
            onCommit={(v) => set((g) => (g.spread = v))}
          />
        </>
      )}
      {source === 'csv' && (
        <button type="button" onClick={() => set(() => undefined)}>
          Use generated data again
        </button>
      )}
    </div>
  );
}

/** The upload limits in words, from DATA_LIMITS (what every reader of data enforces). */
const UPLOAD_LIMITS =
  `Up to ${DATA_LIMITS.dMax.toLocaleString('en-US')} features, ` +
  `${DATA_LIMITS.nMax.toLocaleString('en-US')} rows, ` +
  `${DATA_LIMITS.cellsMax.toLocaleString('en-US')} values (rows × features) ` +
  `and ${formatBytes(DATA_LIMITS.fileBytesMax)}; UTF-8 or UTF-16.`;

function UploadZone() {
  const inputId = useId();
  const inputRef = useRef<HTMLInputElement>(null);
  const [over, setOver] = useState(false);
  const loading = useAppStore((s) => s.loading);
  const awaiting = useAppStore((s) => s.awaitingCsv);
  return (
    <div>
      {awaiting && (
        <div className="notice" role="status" data-testid="awaiting-csv">
          This link uses an uploaded CSV, which links never contain. Choose the same file to reproduce it
          (SHA-256 <code>{awaiting.slice(0, 12)}…</code>).
        </div>
      )}
      <div
        className={`dropzone${over ? ' over' : ''}`}
        onDragOver={(e) => {
          e.preventDefault();
          setOver(true);
        }}
        onDragLeave={() => setOver(false)}
        onDrop={(e) => {
          e.preventDefault();
          setOver(false);
          const file = e.dataTransfer.files[0];
          if (file) loadCsvFile(file);
        }}
      >
        <p style={{ margin: '0 0 0.4rem' }}>Drop a CSV here, or</p>
        <label htmlFor={inputId} className="visually-hidden">
          Upload a CSV file
        </label>
        <input
          id={inputId}
          ref={inputRef}
          type="file"
          accept=".csv,text/csv,text/plain"
          data-testid="csv-input"
          onChange={(e) => {
            const file = e.target.files?.[0];
            if (file) loadCsvFile(file);
            e.target.value = ''; // choosing the same file again should load it again
          }}
        />
        <p className="hint">
          Columns: features, <code>b</code>, optional <code>w</code> and <code>copyright</code> (0/1). The
          file stays in this browser.
        </p>
        <p className="hint" data-testid="upload-limits">
          {UPLOAD_LIMITS}
        </p>
      </div>
      {loading.busy && (
        <div role="status" aria-live="polite">
          <label>
            {loading.label}
            <progress value={loading.progress} max={1} data-testid="data-progress" />
          </label>
        </div>
      )}
    </div>
  );
}

/** The data as it is now, with its tags, as a CSV download. False when the CSV writer cannot be loaded. */
async function downloadCsv(): Promise<boolean> {
  const { dataset, mask, featureNames, origin } = useAppStore.getState();
  if (!dataset) return true;
  let csv: typeof import('../../src/data/csv');
  try {
    csv = await import('../../src/data/csv');
  } catch {
    return false;
  }
  const text = csv.writeCsv(dataset, mask, featureNames);
  const url = URL.createObjectURL(new Blob([text], { type: 'text/csv' }));
  const a = document.createElement('a');
  a.href = url;
  a.download =
    origin?.kind === 'csv'
      ? origin.fileName.replace(/\.csv$/i, '') + '-tagged.csv'
      : 'copyright-regression-data.csv';
  a.click();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
  return true;
}

/** The data panel. */
export function DataPanel() {
  const dataset = useAppStore((s) => s.dataset);
  const origin = useAppStore((s) => s.origin);
  const error = useAppStore((s) => s.dataError);
  const [writerMissing, setWriterMissing] = useState(false);
  return (
    <section className="panel" aria-labelledby="data-heading">
      <h2 id="data-heading">Data</h2>
      <p className="hint" data-testid="data-summary">
        {dataset
          ? `${origin?.kind === 'csv' ? origin.fileName : 'Generated'}: n = ${dataset.n} rows, d = ${dataset.d} features`
          : 'No data yet.'}
      </p>
      {error && (
        <div className="error" role="alert" data-testid="data-error">
          {/[.!?]$/.test(error) ? error : `${error}.`}
          {dataset ? ' The previous data is kept.' : ''}
        </div>
      )}
      {origin?.kind === 'csv' && origin.notices.length > 0 && (
        <div className="notice" data-testid="csv-notices">
          <ul>
            {origin.notices.map((n) => (
              <li key={n}>{n}</li>
            ))}
          </ul>
        </div>
      )}
      <h3>Generate</h3>
      <GeneratorForm />
      <h3>Upload</h3>
      <UploadZone />
      <div className="row" style={{ marginTop: '0.5rem' }}>
        <button
          type="button"
          onClick={() => void downloadCsv().then((ok) => setWriterMissing(!ok))}
          disabled={!dataset}
        >
          Download data + tags (CSV)
        </button>
      </div>
      {writerMissing && (
        <p className="error" role="alert">
          The CSV writer could not be loaded. Reload the page to try again.
        </p>
      )}
      <LocalDataControls />
    </section>
  );
}
