/**
 * The lesson panel: the current step's title and sentence, and back / next / close. Shown above
 * the settings (and in present mode) while a lesson is open; each step is a preset.
 */
import { useId } from 'react';
import { LESSON } from './lesson';
import { closeLesson, goToStep, useLessonStore } from './lesson-store';

/** The lesson panel, or nothing when no lesson is open. */
export function LessonPanel() {
  const step = useLessonStore((s) => s.step);
  const id = useId();
  if (step === null) return null;
  const current = LESSON[step];
  return (
    <section className="panel lesson" aria-labelledby={id} data-testid="lesson">
      <h2 id={id}>
        Lesson · step {step + 1} of {LESSON.length}: {current.title}
      </h2>
      <p data-testid="lesson-text">{current.text}</p>
      <div className="lesson-nav">
        <button
          type="button"
          onClick={() => goToStep(step - 1)}
          disabled={step === 0}
          data-testid="lesson-back"
        >
          ← Back
        </button>
        {step < LESSON.length - 1 ? (
          <button
            type="button"
            className="primary"
            onClick={() => goToStep(step + 1)}
            data-testid="lesson-next"
          >
            Next step →
          </button>
        ) : (
          <button type="button" className="primary" onClick={closeLesson} data-testid="lesson-finish">
            Finish
          </button>
        )}
        <button type="button" onClick={closeLesson} data-testid="lesson-close">
          Close
        </button>
      </div>
    </section>
  );
}
