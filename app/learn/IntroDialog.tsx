/**
 * The first-visit introduction: what copyright regression is, the objective and τ (with their
 * glossary terms), the paper (as plain text: the page makes no request outside its origin), three
 * presets to try and, when the lesson is wired, "Start the lesson".
 *
 * A native modal <dialog> (the page behind it is inert); focus moves to its close button and goes
 * back where it was when it closes. Escape, the close buttons, a preset or the lesson close it.
 * App.tsx decides when it shows (app/learn/intro-state.ts remembers the dismissal).
 */
import { useEffect, useId, useRef, type SyntheticEvent } from 'react';
import { applyPresetById } from './apply-preset';
import { INTRO_TRIES } from './intro-tries';
import { Term } from './Term';

/** Props of the introduction. */
export interface IntroDialogProps {
  /** Called when the dialog is dismissed in any way. */
  onClose(): void;
  /** Starts the guided lesson; the "Start the lesson" button shows only when this is given. */
  onStartLesson?: () => void;
}

/** The introduction dialog (rendered only while open). */
export function IntroDialog({ onClose, onStartLesson }: IntroDialogProps) {
  const dialogRef = useRef<HTMLDialogElement>(null);
  const closeRef = useRef<HTMLButtonElement>(null);
  const titleId = useId();

  useEffect(() => {
    const dialog = dialogRef.current;
    if (!dialog) return;
    const opener = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    if (!dialog.open) {
      try {
        dialog.showModal();
      } catch {
        dialog.setAttribute('open', ''); // no modal dialogs here: show it in place
      }
    }
    closeRef.current?.focus();
    return () => {
      if (dialog.open) dialog.close();
      if (opener?.isConnected) opener.focus();
    };
  }, []);

  const dismiss = (e?: SyntheticEvent): void => {
    e?.preventDefault(); // the dialog's own close (Escape) would race React's unmount
    onClose();
  };

  return (
    <dialog
      ref={dialogRef}
      className="intro"
      role="dialog"
      aria-modal="true"
      aria-labelledby={titleId}
      data-testid="intro"
      onCancel={dismiss}
      onKeyDown={(e) => {
        if (e.key === 'Escape' && !e.defaultPrevented) dismiss(e);
      }}
    >
      <div className="intro-head">
        <h2 id={titleId}>Copyright regression, in your browser</h2>
        <button
          ref={closeRef}
          type="button"
          className="intro-close"
          aria-label="Close the introduction"
          data-testid="intro-dismiss"
          onClick={() => onClose()}
        >
          ×
        </button>
      </div>
      <p>
        Copyright regression fits a simple model, <Term id="f">f</Term> = softmax(<Term id="A">A</Term>
        <Term id="x">x</Term>), to a target distribution <Term id="b">b</Term> over the rows of the data,
        where some rows are tagged as copyrighted. A protection term in the loss keeps the model from
        reproducing those rows closely while it still learns the others. Everything runs here, in this page:
        no data leaves your browser.
      </p>
      <p>
        The solver minimises <Term id="L">L</Term> = ½<Term id="l">ℓ</Term> + <Term id="gammaC">γc</Term>/
        <Term id="l1">ℓ1</Term> + ½‖<Term id="w">w</Term>∘Ax‖²: half the squared error, plus a term that grows
        as the error ℓ1 on the copyrighted rows shrinks, plus a small regularisation. Protection is measured
        by <Term id="tau">τ</Term> = ℓ1/<Term id="n1">n1</Term> − <Term id="l2">ℓ2</Term>/
        <Term id="n2">n2</Term>, how much worse each copyrighted row is fitted than the others: larger τ means
        more protection. Compare it with the <Term id="twin">twin</Term>, the same run with γc = 0.
      </p>
      <p>
        The paper’s real setting is a language model: the <strong>Language model</strong> tab trains a small
        character transformer with γ / (cross-entropy on the copyrighted text) beside its γ = 0 twin, on
        generated text or a .txt of yours, and shows whether each still recites the protected passages and a
        planted secret.
      </p>
      <p className="hint">
        Hover over or tab to a dotted symbol anywhere on the page to see what it means. Based on Chu, Song and
        Yang, “How to Protect Copyright Data in Optimization of Large Language Models?”, AAAI 2024,
        arXiv:2308.12247.
      </p>
      <h3>Three things to try</h3>
      <ul className="intro-tries">
        {INTRO_TRIES.map((t) => (
          <li key={t.presetId}>
            <button
              type="button"
              data-testid={`intro-try-${t.presetId}`}
              onClick={() => {
                applyPresetById(t.presetId);
                onClose();
              }}
            >
              {t.action}
            </button>{' '}
            <span className="hint">{t.text}</span>
          </li>
        ))}
      </ul>
      <div className="row intro-actions">
        {onStartLesson && (
          <button
            type="button"
            className="primary"
            data-testid="intro-lesson"
            onClick={() => {
              onClose();
              onStartLesson();
            }}
          >
            Start the lesson
          </button>
        )}
        <button type="button" data-testid="intro-close" onClick={() => onClose()}>
          Close
        </button>
      </div>
    </dialog>
  );
}
