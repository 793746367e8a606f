/**
 * <Term id="tau">τ</Term>: a symbol with a dotted underline whose glossary explanation
 * (app/learn/glossary.ts) pops up on hover and on keyboard focus, and closes on Escape.
 *
 * The symbol is focusable (tabIndex 0) and names the explanation with aria-describedby. The
 * explanation (role="tooltip") is rendered into document.body, or into the enclosing <dialog> so it
 * stays in the dialog's top layer: it never becomes part of the text or accessible name of the label
 * that holds the symbol. It is placed in fixed position below the symbol (above it when there is no
 * room), clamped to the viewport.
 */
import {
  useEffect,
  useId,
  useLayoutEffect,
  useRef,
  useState,
  type KeyboardEvent,
  type ReactNode,
} from 'react';
import { createPortal } from 'react-dom';
import { GLOSSARY, type TermId } from './glossary';

/** Space between the symbol and the explanation, and between the explanation and the viewport edge. */
const GAP_PX = 6;
const MARGIN_PX = 8;
/** Time the pointer has to move from the symbol onto the explanation (which then stays open). */
const CLOSE_DELAY_MS = 150;

/** Places the explanation under (or above) the symbol, inside the viewport. */
function place(anchor: HTMLElement, tip: HTMLElement): void {
  const a = anchor.getBoundingClientRect();
  const vw = document.documentElement.clientWidth || window.innerWidth;
  const vh = window.innerHeight;
  const w = tip.offsetWidth;
  const h = tip.offsetHeight;
  const left = Math.max(MARGIN_PX, Math.min(a.left, vw - w - MARGIN_PX));
  let top = a.bottom + GAP_PX;
  if (top + h > vh - MARGIN_PX && a.top - GAP_PX - h >= MARGIN_PX) top = a.top - GAP_PX - h;
  tip.style.left = `${left}px`;
  tip.style.top = `${top}px`;
}

/** A glossary symbol with its explanation on hover and focus. Children default to the symbol. */
export function Term({ id, children }: { id: TermId; children?: ReactNode }) {
  const entry = GLOSSARY[id];
  const tipId = useId();
  const anchorRef = useRef<HTMLSpanElement>(null);
  const tipRef = useRef<HTMLSpanElement>(null);
  const closeTimer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  const [host, setHost] = useState<HTMLElement | null>(null);
  const [focused, setFocused] = useState(false);
  const [hovered, setHovered] = useState(false);
  const [dismissed, setDismissed] = useState(false);
  const open = (focused || hovered) && !dismissed;

  useLayoutEffect(() => {
    setHost(anchorRef.current?.closest('dialog') ?? document.body);
  }, []);

  useEffect(() => () => clearTimeout(closeTimer.current), []);

  // While open: follow the symbol on scroll and resize, and close on Escape wherever focus is.
  useLayoutEffect(() => {
    const anchor = anchorRef.current;
    const tip = tipRef.current;
    if (!open || !anchor || !tip) return;
    const update = (): void => place(anchor, tip);
    const onKey = (e: globalThis.KeyboardEvent): void => {
      if (e.key === 'Escape') setDismissed(true);
    };
    update();
    window.addEventListener('scroll', update, true);
    window.addEventListener('resize', update);
    document.addEventListener('keydown', onKey);
    return () => {
      window.removeEventListener('scroll', update, true);
      window.removeEventListener('resize', update);
      document.removeEventListener('keydown', onKey);
    };
  }, [open, host]);

  const enter = (): void => {
    clearTimeout(closeTimer.current);
    if (!hovered) setDismissed(false);
    setHovered(true);
  };
  const leave = (): void => {
    clearTimeout(closeTimer.current);
    closeTimer.current = setTimeout(() => setHovered(false), CLOSE_DELAY_MS);
  };
  const onKeyDown = (e: KeyboardEvent): void => {
    // Escape closes the explanation first (and nothing else, e.g. not an enclosing dialog).
    if (e.key === 'Escape' && open) {
      e.preventDefault();
      e.stopPropagation();
      setDismissed(true);
    }
  };

  return (
    <>
      <span
        ref={anchorRef}
        className="term"
        tabIndex={0}
        aria-describedby={tipId}
        data-term={id}
        onFocus={() => {
          setFocused(true);
          setDismissed(false);
        }}
        onBlur={() => setFocused(false)}
        onMouseEnter={enter}
        onMouseLeave={leave}
        onKeyDown={onKeyDown}
        onClick={(e) => {
          // Inside a <label>, a click shows the explanation instead of toggling or focusing the control.
          if (e.currentTarget.closest('label')) e.preventDefault();
        }}
      >
        {children ?? entry.symbol}
      </span>
      {host &&
        createPortal(
          <span
            ref={tipRef}
            id={tipId}
            role="tooltip"
            className="term-tip"
            hidden={!open}
            onMouseEnter={enter}
            onMouseLeave={leave}
          >
            <strong>
              {entry.symbol}, {entry.name}.
            </strong>{' '}
            {entry.text}
          </span>,
          host,
        )}
    </>
  );
}
