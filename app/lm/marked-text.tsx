/** Text with some [start, end) spans highlighted (the LM view's tagged spans and protected stretches). */
import type { ReactNode } from 'react';

/** The pieces of `text`, the disjoint sorted `spans` as <mark>s (with `title`, when given). */
export function markedText(
  text: string,
  spans: readonly (readonly [number, number])[],
  title?: string,
): ReactNode[] {
  const out: ReactNode[] = [];
  let at = 0;
  for (const [a, b] of spans) {
    if (a > at) out.push(text.slice(at, a));
    out.push(
      <mark key={a} className="lm-match" title={title}>
        {text.slice(a, b)}
      </mark>,
    );
    at = b;
  }
  if (at < text.length) out.push(text.slice(at));
  return out;
}
