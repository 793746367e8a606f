/**
 * Small labelled form controls. Every control gets a visible <label> bound by id, which is also
 * its accessible name. Number fields keep their own text while typing and commit on Enter or blur,
 * so a half-typed "0." never resets a run.
 */
import {
  useEffect,
  useId,
  useRef,
  useState,
  type InputHTMLAttributes,
  type ReactNode,
  type RefObject,
} from 'react';
import { parseDecimal } from '../../src/data/number';

/** What reading a draft gives: the value to commit, or what is wrong with the text. */
export type DraftParse<T> = { ok: true; value: T } | { ok: false; error: string };

interface DraftFieldProps<T> {
  /** Visible label (text, or text with glossary terms); also the accessible name. */
  label: ReactNode;
  value: T;
  /** The text shown while nothing is being typed. */
  format(value: T): string;
  /** Reads and validates the typed text. */
  parse(text: string): DraftParse<T>;
  /** Whether a parsed value equals the current one (then nothing is committed). */
  same(a: T, b: T): boolean;
  onCommit(value: T): void;
  /** Extra explanation under the field. */
  hint?: ReactNode;
  /** Gives the hint an id and names it in aria-describedby. */
  describeHint?: boolean;
  testId?: string;
  /** Attributes of the <input> besides the shared ones (type, min/max/step, spellCheck). */
  inputProps: InputHTMLAttributes<HTMLInputElement>;
}

/**
 * A text-backed input that keeps its own draft while typing, commits on Enter or blur when the
 * draft parses (else says what is wrong), and drops the draft on Escape.
 */
export function DraftField<T>({
  label,
  value,
  format,
  parse,
  same,
  onCommit,
  hint,
  describeHint,
  testId,
  inputProps,
}: DraftFieldProps<T>) {
  const id = useId();
  const [draft, setDraft] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const text = draft ?? format(value);

  const commit = (): void => {
    if (draft === null) return;
    const parsed = parse(draft);
    if (!parsed.ok) {
      setError(parsed.error);
      return;
    }
    setError(null);
    setDraft(null);
    if (!same(parsed.value, value)) onCommit(parsed.value);
  };

  const describedBy = [error ? `${id}-err` : '', hint && describeHint ? `${id}-hint` : '']
    .filter(Boolean)
    .join(' ');
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <input
        {...inputProps}
        id={id}
        inputMode="decimal"
        value={text}
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy || undefined}
        data-testid={testId}
        onChange={(e) => setDraft(e.target.value)}
        onBlur={commit}
        onKeyDown={(e) => {
          if (e.key === 'Enter') commit();
          if (e.key === 'Escape') {
            setDraft(null);
            setError(null);
          }
        }}
      />
      {error && (
        <span className="field-error" id={`${id}-err`} role="alert">
          {error}
        </span>
      )}
      {hint && (
        <span className="hint" id={describeHint ? `${id}-hint` : undefined} style={{ gridColumn: '1 / -1' }}>
          {hint}
        </span>
      )}
    </div>
  );
}

interface NumberFieldProps {
  /** Visible label (text, or text with glossary terms); also the accessible name. */
  label: ReactNode;
  value: number;
  onCommit(value: number): void;
  min?: number;
  max?: number;
  integer?: boolean;
  /** Extra explanation under the field. */
  hint?: ReactNode;
  step?: number | 'any';
  testId?: string;
}

/** What a number field accepts. */
export interface NumberRules {
  min?: number;
  max?: number;
  integer?: boolean;
}

/**
 * Reads a number field's text with the project's one number grammar (src/data/number.ts), so the
 * fields accept exactly what links and data files accept: "0x20", "1_000" or "Infinity" are
 * refused here too, instead of `Number()` reading the first as 32.
 */
export function parseNumberDraft(text: string, { min, max, integer }: NumberRules): DraftParse<number> {
  const r = parseDecimal(text);
  if (!r.ok) {
    const error = {
      empty: 'Enter a number.',
      'not a number': 'Enter a decimal number, such as 0.25 or 1e-3.',
      'not finite': 'Enter a finite number.',
      'too large': 'That number is too large.',
    }[r.why];
    return { ok: false, error };
  }
  const v = r.value;
  if (integer && !Number.isInteger(v)) return { ok: false, error: 'Enter a whole number.' };
  if ((min !== undefined && v < min) || (max !== undefined && v > max)) {
    return { ok: false, error: `Enter a value from ${min ?? '−∞'} to ${max ?? '∞'}.` };
  }
  return { ok: true, value: v };
}

/** A number input that validates its range and commits on Enter/blur. */
export function NumberField({
  label,
  value,
  onCommit,
  min,
  max,
  integer,
  hint,
  step,
  testId,
}: NumberFieldProps) {
  const parse = (text: string): DraftParse<number> => parseNumberDraft(text, { min, max, integer });
  return (
    <DraftField
      label={label}
      value={value}
      format={String}
      parse={parse}
      same={(a, b) => a === b}
      onCommit={onCommit}
      hint={hint}
      testId={testId}
      inputProps={{ type: 'number', min, max, step: step ?? (integer ? 1 : 'any') }}
    />
  );
}

interface SelectFieldProps<T extends string> {
  /** Visible label (text, or text with glossary terms); also the accessible name. */
  label: ReactNode;
  value: T;
  options: readonly { value: T; label: string }[];
  onChange(value: T): void;
  testId?: string;
}

/** A labelled <select>. */
export function SelectField<T extends string>({
  label,
  value,
  options,
  onChange,
  testId,
}: SelectFieldProps<T>) {
  const id = useId();
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <select
        id={id}
        value={value}
        data-testid={testId}
        onChange={(e) => {
          const found = options.find((o) => o.value === e.target.value);
          if (found) onChange(found.value);
        }}
      >
        {options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
    </div>
  );
}

interface CheckboxFieldProps {
  /** Visible label (text, or text with glossary terms); also the accessible name. */
  label: ReactNode;
  checked: boolean;
  onChange(checked: boolean): void;
  testId?: string;
  disabled?: boolean;
}

/** A labelled checkbox. */
export function CheckboxField({ label, checked, onChange, testId, disabled }: CheckboxFieldProps) {
  const id = useId();
  return (
    <div className="row" style={{ margin: '0.25rem 0' }}>
      <input
        id={id}
        type="checkbox"
        checked={checked}
        disabled={disabled}
        data-testid={testId}
        onChange={(e) => onChange(e.target.checked)}
      />
      <label htmlFor={id}>{label}</label>
    </div>
  );
}

/**
 * Why a run should not start yet: a field under `root` holds input that was refused (it shows its
 * error and keeps the previous value), so the run would use a value the person no longer sees.
 * Focuses that field and returns the sentence to show, or returns null when every field is taken.
 */
export function refusedFieldProblem(root: ParentNode | null, what: string): string | null {
  const input = root?.querySelector<HTMLInputElement>('input[aria-invalid="true"]');
  if (!input) return null;
  input.focus();
  const label = input.labels?.[0]?.textContent?.trim() || 'a field';
  return `Fix “${label}” first: its value was not taken, so the ${what} would use the previous one.`;
}

/**
 * A run button's guard for the fields of a panel: put `ref` on the panel, call `guarded(start)` on
 * the button, and show `refused` when set ({@link refusedFieldProblem}). The notice goes when the
 * settings the fields edit change (`settings`, compared by value: any settings change makes new
 * objects).
 */
export function useRefusedFieldGuard(
  what: string,
  settings: unknown,
): { ref: RefObject<HTMLElement | null>; refused: string | null; guarded(start: () => void): void } {
  const ref = useRef<HTMLElement>(null);
  const [refused, setRefused] = useState<string | null>(null);
  const key = JSON.stringify(settings);
  useEffect(() => setRefused(null), [key]);
  const guarded = (start: () => void): void => {
    const problem = refusedFieldProblem(ref.current, what);
    setRefused(problem);
    if (!problem) start();
  };
  return { ref, refused, guarded };
}
