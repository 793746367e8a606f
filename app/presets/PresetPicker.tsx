/** A labelled select of classroom presets, with the chosen preset's note. */
import { useId } from 'react';
import { resetRun } from '../run/run-controller';
import { useAppStore } from '../store/app-store';
import { PRESETS, applyPreset, matchingPreset } from './presets';

/** The preset picker. */
export function PresetPicker() {
  const id = useId();
  const settings = useAppStore((s) => s.settings);
  const current = matchingPreset(settings);
  return (
    <section className="panel" aria-labelledby={`${id}-h`} data-testid="presets">
      <h2 id={`${id}-h`}>Presets</h2>
      <div className="field">
        <label htmlFor={id}>Classroom preset</label>
        <select
          id={id}
          data-testid="preset-select"
          value={current?.id ?? ''}
          onChange={(e) => {
            const preset = PRESETS.find((p) => p.id === e.target.value);
            if (!preset) return;
            resetRun();
            const state = useAppStore.getState();
            state.replaceSettings(applyPreset(preset, state.settings));
          }}
        >
          <option value="">{current ? '—' : 'Custom settings'}</option>
          {PRESETS.map((p) => (
            <option key={p.id} value={p.id}>
              {p.label}
            </option>
          ))}
        </select>
      </div>
      {current && (
        <p className="hint" data-testid="preset-note">
          {current.note}
        </p>
      )}
    </section>
  );
}
