/**
 * A labelled text field for a list of numbers ("0.1, 0.2, 0.3"). Like NumberField it keeps its
 * own text while typing and commits on Enter or blur, and says what is wrong instead of
 * committing a bad list.
 */
import { DraftField, type DraftParse } from '../panels/fields';
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
  const parse = (text: string): DraftParse<number[]> => {
    const parsed = parseValueList(text, range);
    return parsed.ok ? { ok: true, value: parsed.values } : parsed;
  };
  return (
    <DraftField
      label={label}
      value={values}
      format={(v) => v.join(', ')}
      parse={parse}
      same={(a, b) => a.join() === b.join()}
      onCommit={onCommit}
      hint={hint}
      describeHint
      testId={testId}
      inputProps={{ type: 'text', spellCheck: false }}
    />
  );
}
