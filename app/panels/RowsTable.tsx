/**
 * The rows as a virtualized table (only the rows in view are in the DOM, row-window.ts, so
 * n = 50 000 scrolls smoothly), with a copyright checkbox per row; shift-click tags or untags a
 * whole range.
 */
import { useState } from 'react';
import { useRowWindow } from './row-window';
import { perRowCached } from '../plots/per-row';
import { useProgressValue } from '../run/use-progress';
import { useAppStore } from '../store/app-store';

const ROW_HEIGHT = 28;
/** Rows rendered beyond the view on either side. */
const OVERSCAN = 12;

function fmt(v: number): string {
  return Number.isFinite(v) ? v.toPrecision(4) : '—';
}

/** The rows table. */
export function RowsTable() {
  const dataset = useAppStore((s) => s.dataset);
  const mask = useAppStore((s) => s.mask);
  const settings = useAppStore((s) => s.settings);
  const setRowTags = useAppStore((s) => s.setRowTags);
  const [anchor, setAnchor] = useState<number | null>(null);
  const x = useProgressValue(
    (c) => c.current[0]?.x ?? null,
    (a, b) => a === b,
  );
  const n = dataset?.n ?? 0;
  const rowWindow = useRowWindow(n, ROW_HEIGHT, OVERSCAN);
  if (!dataset) return <p className="hint">No data yet.</p>;
  const rows =
    x && x.length === dataset.d && mask.length === n
      ? perRowCached(dataset, { gammaC: settings.gammaC, mask, reading: settings.reading }, x)
      : null;

  const onToggle = (i: number, shift: boolean): void => {
    const value = mask[i] !== 1;
    if (shift && anchor !== null) {
      const [from, to] = anchor < i ? [anchor, i] : [i, anchor];
      setRowTags(
        Array.from({ length: to - from + 1 }, (_, k) => from + k),
        value,
      );
    } else {
      setRowTags([i], value);
    }
    setAnchor(i);
  };

  return (
    <div>
      <div
        className="table-wrap"
        ref={rowWindow.ref}
        role="table"
        aria-label="Rows of the data set"
        aria-rowcount={n + 1}
        data-testid="rows-table"
      >
        <div className="rows-table" role="rowgroup">
          <div className="tr thead" role="row">
            <span role="columnheader">row</span>
            <span role="columnheader">copyright</span>
            <span role="columnheader">b_i</span>
            <span role="columnheader">w_i</span>
            <span role="columnheader">f_i(x)</span>
            <span role="columnheader">row error</span>
          </div>
          <div style={{ height: rowWindow.totalHeight, position: 'relative' }}>
            {Array.from({ length: rowWindow.last - rowWindow.first + 1 }, (_, k) => {
              const i = rowWindow.first + k;
              const tagged = mask[i] === 1;
              return (
                <div
                  key={i}
                  role="row"
                  aria-rowindex={i + 2}
                  className={`tr${tagged ? ' tagged' : ''}`}
                  style={{
                    position: 'absolute',
                    top: 0,
                    left: 0,
                    right: 0,
                    transform: `translateY(${i * ROW_HEIGHT}px)`,
                  }}
                >
                  <span role="cell">{i}</span>
                  <span role="cell">
                    <input
                      type="checkbox"
                      checked={tagged}
                      aria-label={`Row ${i} is copyrighted`}
                      data-testid={`row-tag-${i}`}
                      // No preventDefault: on a controlled checkbox it makes the browser undo the
                      // toggle after React has drawn the new state, so the box looked unchanged.
                      onClick={(e) => onToggle(i, e.shiftKey)}
                      onKeyDown={(e) => {
                        if (e.key === ' ') {
                          // Space toggles the checkbox, not play/pause.
                          e.stopPropagation();
                        }
                      }}
                      onChange={() => undefined}
                    />
                  </span>
                  <span role="cell">{fmt(dataset.b[i])}</span>
                  <span role="cell">{fmt(dataset.w[i])}</span>
                  <span role="cell">{rows ? fmt(rows.f[i]) : '—'}</span>
                  <span role="cell">{rows ? fmt(rows.loss[i]) : '—'}</span>
                </div>
              );
            })}
          </div>
        </div>
      </div>
      <p className="hint">
        Click a checkbox to tag a row; shift-click to tag or untag every row from the last one clicked.
      </p>
    </div>
  );
}
