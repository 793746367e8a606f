/**
 * Small labelled form controls. Every control gets a visible <label> bound by id, which is also
 * its accessible name. Number fields keep their own text while typing and commit on Enter or blur,
 * so a half-typed "0." never resets a run.
 */
import { useId, useState, type ReactNode } from 'react';

interface NumberFieldProps {
  label: string;
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
  const id = useId();
  const [draft, setDraft] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const text = draft ?? String(value);

  const commit = (): void => {
    if (draft === null) return;
    const v = Number(draft);
    if (draft.trim() === '' || !Number.isFinite(v)) {
      setError('Enter a number.');
      return;
    }
    if (integer && !Number.isInteger(v)) {
      setError('Enter a whole number.');
      return;
    }
    if ((min !== undefined && v < min) || (max !== undefined && v > max)) {
      setError(`Enter a value from ${min ?? '−∞'} to ${max ?? '∞'}.`);
      return;
    }
    setError(null);
    setDraft(null);
    if (v !== value) onCommit(v);
  };

  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <input
        id={id}
        type="number"
        inputMode="decimal"
        value={text}
        min={min}
        max={max}
        step={step ?? (integer ? 1 : 'any')}
        aria-invalid={error ? true : undefined}
        aria-describedby={error ? `${id}-err` : undefined}
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
        <span className="hint" style={{ gridColumn: '1 / -1' }}>
          {hint}
        </span>
      )}
    </div>
  );
}

interface SelectFieldProps<T extends string> {
  label: string;
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
  label: string;
  checked: boolean;
  onChange(checked: boolean): void;
  testId?: string;
}

/** A labelled checkbox. */
export function CheckboxField({ label, checked, onChange, testId }: CheckboxFieldProps) {
  const id = useId();
  return (
    <div className="row" style={{ margin: '0.25rem 0' }}>
      <input
        id={id}
        type="checkbox"
        checked={checked}
        data-testid={testId}
        onChange={(e) => onChange(e.target.checked)}
      />
      <label htmlFor={id}>{label}</label>
    </div>
  );
}
