/** A labelled select of classroom presets, with the chosen preset's note. */
import { useId } from 'react';
import { applyPresetToStore } from '../learn/apply-preset';
import { LESSON } from '../learn/lesson';
import { startLesson, useLessonStore } from '../learn/lesson-store';
import { useAppStore } from '../store/app-store';
import { PRESETS, matchingPreset } from './presets';

/** The preset picker. */
export function PresetPicker() {
  const id = useId();
  const settings = useAppStore((s) => s.settings);
  const current = matchingPreset(settings);
  const inLesson = useLessonStore((s) => s.step !== null);
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
            if (preset) applyPresetToStore(preset);
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
      {!inLesson && (
        <button type="button" onClick={startLesson} data-testid="start-lesson">
          Start the lesson ({LESSON.length} steps)
        </button>
      )}
    </section>
  );
}
