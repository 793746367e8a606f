/**
 * What the language model reads: the grammar's generated text, or a .txt chosen here (it stays in
 * this browser; the link names it by SHA-256). In an uploaded text, passages are paragraphs; the
 * user tags copyrighted spans by selecting them in the text and pressing "Tag selection" (the
 * spans go in the link), besides the share n1/n of whole paragraphs and the canaries.
 */
import { useEffect, useId, useMemo, useRef, useState } from 'react';
import { mergeSelections, paragraphs, ruleTagged } from '../../src/lm/corpus';
import { LM_TEXT_LIMITS } from '../../src/lm/text-file';
import { formatBytes } from '../../src/data/limits';
import { useAppStore } from '../store/app-store';
import {
  chooseLmTextFile,
  currentUpload,
  findStoredLmText,
  switchToGeneratedText,
  switchToUploadedText,
  tagSelection,
  untagSelection,
  useLmText,
} from './lm-text';
import { markedText } from './marked-text';

/** Characters of a tagged span shown in the list before it is cut. */
const SPAN_PREVIEW_CHARS = 48;

/** Offset of a DOM position inside `root`, in characters of its text. */
function offsetIn(root: Node, node: Node, offset: number): number {
  const range = document.createRange();
  range.setStart(root, 0);
  range.setEnd(node, offset);
  return range.toString().length;
}

export function LmTextPanel() {
  const lmText = useAppStore((s) => s.settings.lmText);
  const { loaded, message, busy } = useLmText();
  const [tagMessage, setTagMessage] = useState('');
  const preview = useRef<HTMLPreElement>(null);
  const inputId = useId();
  const uploaded = lmText.sha256 !== '';
  const missing = currentUpload();
  useEffect(() => {
    void findStoredLmText();
  }, [lmText.sha256]);
  const text = uploaded && loaded?.sha256 === lmText.sha256 ? loaded.text : null;
  const spans = text ? mergeSelections(lmText.selections, text.length) : [];
  const paragraphCount = useMemo(() => (text ? paragraphs(text).length : 0), [text]);
  const lm = useAppStore((s) => s.settings.lm);

  const tag = () => {
    const sel = window.getSelection();
    const root = preview.current;
    if (!sel || sel.rangeCount === 0 || !root || !root.contains(sel.getRangeAt(0).commonAncestorContainer)) {
      setTagMessage('Select some text in the box first.');
      return;
    }
    const r = sel.getRangeAt(0);
    const problem = tagSelection(
      offsetIn(root, r.startContainer, r.startOffset),
      offsetIn(root, r.endContainer, r.endOffset),
    );
    setTagMessage(problem ?? '');
    if (!problem) sel.removeAllRanges();
  };

  return (
    <section className="panel" aria-labelledby="lm-text-heading" data-testid="lm-text-panel">
      <h2 id="lm-text-heading">Text</h2>
      <fieldset className="radio-row">
        <legend className="visually-hidden">Which text the model reads</legend>
        <label>
          <input
            type="radio"
            name="lm-text-source"
            checked={!uploaded}
            onChange={switchToGeneratedText}
            data-testid="lm-text-generated"
          />{' '}
          Generated (a small grammar)
        </label>
        <label>
          <input
            type="radio"
            name="lm-text-source"
            checked={uploaded}
            disabled={!loaded && !uploaded}
            onChange={switchToUploadedText}
            data-testid="lm-text-uploaded"
          />{' '}
          Uploaded .txt
        </label>
      </fieldset>
      <label htmlFor={inputId}>Choose a .txt file</label>
      <input
        id={inputId}
        type="file"
        accept=".txt,text/plain"
        data-testid="lm-text-input"
        disabled={busy}
        onChange={(e) => {
          const file = e.target.files?.[0];
          if (file) void chooseLmTextFile(file);
          e.target.value = ''; // choosing the same file again reads it again
        }}
      />
      <p className="hint">
        UTF-8 text up to {formatBytes(LM_TEXT_LIMITS.bytesMax)} and{' '}
        {LM_TEXT_LIMITS.charsMax.toLocaleString('en-US')} characters, at most {LM_TEXT_LIMITS.vocabularyMax}{' '}
        distinct characters. It stays in this browser; the link names it by its SHA-256. Paragraphs (separated
        by blank lines, or lines) are the passages.
      </p>
      {message && (
        <p className="notice" role="status" data-testid="lm-text-message">
          {message}
        </p>
      )}
      {!missing.ok && (
        <p className="notice" role="status" data-testid="lm-text-missing">
          {missing.reason}
        </p>
      )}
      {text !== null && loaded && (
        <>
          <p className="hint" data-testid="lm-text-summary">
            {loaded.fileName}: {text.length.toLocaleString('en-US')} characters, {paragraphCount} paragraphs,
            SHA-256 <code>{loaded.sha256.slice(0, 12)}…</code>
          </p>
          <pre ref={preview} className="lm-text-preview" data-testid="lm-text-preview" tabIndex={0}>
            {markedText(text, spans)}
          </pre>
          {(ruleTagged(lm.fraction, paragraphCount) > 0 || lm.canaries > 0) && (
            <p className="hint" data-testid="lm-text-also-tagged">
              Also tagged copyrighted: {ruleTagged(lm.fraction, paragraphCount)} of the {paragraphCount}{' '}
              paragraphs (n1/n = {lm.fraction}, chosen with the seed; not marked here)
              {lm.canaries > 0
                ? ` and ${lm.canaries} canar${lm.canaries === 1 ? 'y' : 'ies'} inserted ${lm.repeats} times each`
                : ''}
              . Set “Copyrighted passages n1/n” and “Canaries” to 0 to protect only your selections.
            </p>
          )}
          <button type="button" onClick={tag} data-testid="lm-tag-selection">
            Tag selection as copyrighted
          </button>
          {tagMessage && (
            <p className="notice" role="status">
              {tagMessage}
            </p>
          )}
          {spans.length > 0 && (
            <ul className="lm-spans" data-testid="lm-spans">
              {spans.map(([a, b]) => {
                const span = text.slice(a, b);
                return (
                  <li key={a}>
                    <span>
                      {a}–{b}: “
                      {span.length > SPAN_PREVIEW_CHARS ? `${span.slice(0, SPAN_PREVIEW_CHARS)}…` : span}”
                    </span>{' '}
                    <button
                      type="button"
                      onClick={() => untagSelection(a, b)}
                      aria-label={`Untag characters ${a}–${b}`}
                    >
                      ✕
                    </button>
                  </li>
                );
              })}
            </ul>
          )}
        </>
      )}
    </section>
  );
}
