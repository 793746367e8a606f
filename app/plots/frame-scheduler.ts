/**
 * One animation-frame loop shared by all charts. Each chart asks to be redrawn; a frame draws the
 * waiting charts in turn until it has spent its budget, and the rest wait for the next frame. So
 * each chart redraws at most once per frame, and five charts that all change at once never add up
 * to one long frame that freezes the page (Plotly redraws cost tens of ms each on slow machines).
 */

/** Time a frame may spend drawing before it yields (ms); at least one chart is always drawn. */
const FRAME_BUDGET_MS = 10;

const waiting = new Map<object, () => void>();
let frame = 0;

function runFrame(): void {
  frame = 0;
  const start = performance.now();
  for (const [key, draw] of waiting) {
    waiting.delete(key);
    draw();
    if (performance.now() - start > FRAME_BUDGET_MS) break;
  }
  if (waiting.size > 0) frame = requestAnimationFrame(runFrame);
}

/** Asks for `draw` to run in a coming frame; repeated requests with the same key coalesce. */
export function requestDraw(key: object, draw: () => void): void {
  waiting.delete(key); // re-queue at the end, so charts take turns
  waiting.set(key, draw);
  if (!frame) frame = requestAnimationFrame(runFrame);
}

/** Forgets a pending draw (chart unmounted). */
export function cancelDraw(key: object): void {
  waiting.delete(key);
}
