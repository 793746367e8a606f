/**
 * A labelled text field for a list of numbers ("0.1, 0.2, 0.3"). Like NumberField it keeps its
 * own text while typing and commits on Enter or blur, and says what is wrong instead of
 * committing a bad list.
 */
import { useId, useState } from 'react';
import { parseValueList } from './grid';

interface ListFieldProps {
  label: string;
  values: number[];
  range: { min: number; max: number; exclusive?: boolean };
  onCommit(values: number[]): void;
  hint?: string;
  testId?: string;
}

/** A list-of-numbers input. */
export function ListField({ label, values, range, onCommit, hint, testId }: ListFieldProps) {
  const id = useId();
  const [draft, setDraft] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const text = draft ?? values.join(', ');

  const commit = (): void => {
    if (draft === null) return;
    const parsed = parseValueList(draft, range);
    if (!parsed.ok) {
      setError(parsed.error);
      return;
    }
    setError(null);
    setDraft(null);
    if (parsed.values.join() !== values.join()) onCommit(parsed.values);
  };

  const describedBy = [error ? `${id}-err` : '', hint ? `${id}-hint` : ''].filter(Boolean).join(' ');
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <input
        id={id}
        type="text"
        inputMode="decimal"
        value={text}
        spellCheck={false}
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
        <span className="hint" id={`${id}-hint`} style={{ gridColumn: '1 / -1' }}>
          {hint}
        </span>
      )}
    </div>
  );
}
