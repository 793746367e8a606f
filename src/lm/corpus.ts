/**
 * The LM view's data (issue 13): a seeded synthetic corpus of sentence-like passages (a small
 * grammar of our own: no third-party text), canaries (random secrets in a fixed format, each
 * repeated r times; Carlini et al., "The Secret Sharer", USENIX Security 2019), which passages are
 * copyrighted (a random fraction n1/n with a seed, and every canary), the character vocabulary,
 * a held-out validation split of free text, and training windows with their copyright masks.
 * DOM-free and deterministic: the same seed gives the same corpus everywhere.
 */
import { createRng, type Rng } from '../data/prng';
import { mergeSelections } from './selections';

export { mergeSelections };

const SUBJECTS = [
  'the cat',
  'a river',
  'the old map',
  'my neighbour',
  'the red kite',
  'a small boat',
  'the teacher',
  'our garden',
];
const VERBS = ['finds', 'follows', 'paints', 'hides', 'carries', 'watches', 'remembers', 'opens'];
const OBJECTS = [
  'a quiet road',
  'the morning light',
  'an empty box',
  'the last letter',
  'a green door',
  'the winter sea',
  'a paper bird',
  'the long hill',
];
const ENDINGS = ['today', 'at night', 'again', 'with care', 'before rain', 'in silence'];

/** The canaries' format: a fixed prefix and `CANARY_DIGITS` random digits. */
export const CANARY_PREFIX = 'my secret number is ';
export const CANARY_DIGITS = 6;

export interface CorpusSpec {
  seed: number;
  /** Passages of ordinary text. */
  passages: number;
  /** Sentences per passage. */
  sentences: number;
  /** Share n1/n of the ordinary passages tagged copyrighted (chosen with the seed). */
  fraction: number;
  /** Canaries, each a copyrighted passage repeated `repeats` times in the training text. */
  canaries: number;
  repeats: number;
  /** Share of the free passages held out for validation (never trained on). */
  validation: number;
  /**
   * An uploaded text instead of the grammar's passages (`passages` and `sentences` then unused):
   * its paragraphs are the passages, and `selections` (UTF-16 offsets [start, end) into it) are
   * tagged copyrighted character by character, besides the share `fraction` of whole paragraphs.
   */
  text?: UploadedText;
}

export interface UploadedText {
  content: string;
  selections: readonly (readonly [number, number])[];
}

export interface Passage {
  text: string;
  copyright: boolean;
  /** The canary's secret digits (canary passages only). */
  secret?: string;
}

export interface Corpus {
  /** The training text: passages separated by '\n', canaries repeated. */
  text: string;
  /** 1 where the character belongs to a copyrighted passage. */
  copyright: Uint8Array;
  /** The passages as they occur in the text (a repeated canary occurs `repeats` times). */
  passages: (Passage & { start: number })[];
  /** The distinct copyrighted passages (each canary once), to test regurgitation on. */
  protectedPassages: Passage[];
  /** Held-out free text for validation perplexity. */
  validation: string;
  /** The characters, sorted; a token is an index into it. */
  vocabulary: string;
}

/** Fisher–Yates with the seeded generator (a sort with a random comparator is engine-dependent). */
function shuffle<T>(rng: Rng, list: T[]): T[] {
  for (let i = list.length - 1; i > 0; i--) {
    const j = Math.floor(rng.next() * (i + 1));
    [list[i], list[j]] = [list[j], list[i]];
  }
  return list;
}

function pick<T>(rng: Rng, list: readonly T[]): T {
  return list[Math.floor(rng.next() * list.length)];
}

function sentence(rng: Rng): string {
  return `${pick(rng, SUBJECTS)} ${pick(rng, VERBS)} ${pick(rng, OBJECTS)} ${pick(rng, ENDINGS)}.`;
}

/** A canary's text for these digits. */
export function canaryText(digits: string): string {
  return `${CANARY_PREFIX}${digits}.`;
}

/** Random canary digits (also the candidates an exposure is measured against). */
export function randomDigits(rng: Rng): string {
  let s = '';
  for (let i = 0; i < CANARY_DIGITS; i++) s += String(Math.floor(rng.next() * 10));
  return s;
}

/**
 * The paragraphs of a text as [start, end) offsets: separated by blank lines, or, in a text
 * without blank lines, one per non-empty line. Leading and trailing blank space is not included.
 */
export function paragraphs(text: string): [number, number][] {
  const separator = /\n[ \t]*\n/.test(text) ? /\n[ \t]*\n\s*/g : /\n/g;
  const out: [number, number][] = [];
  let from = 0;
  const push = (a: number, b: number) => {
    while (a < b && /\s/.test(text[a])) a++;
    while (b > a && /\s/.test(text[b - 1])) b--;
    if (b > a) out.push([a, b]);
  };
  for (const m of text.matchAll(separator)) {
    push(from, m.index);
    from = m.index + m[0].length;
  }
  push(from, text.length);
  return out;
}

/** The ordinary passages: the grammar's, or an uploaded text's paragraphs with their selected characters. */
function ordinaryPassages(
  spec: CorpusSpec,
  rng: Rng,
): { passages: Passage[]; selected: (Uint8Array | null)[]; spans: string[] } {
  if (!spec.text) {
    const passages: Passage[] = [];
    for (let p = 0; p < spec.passages; p++) {
      const parts: string[] = [];
      for (let s = 0; s < spec.sentences; s++) parts.push(sentence(rng));
      passages.push({ text: parts.join(' '), copyright: false });
    }
    return { passages, selected: passages.map(() => null), spans: [] };
  }
  const { content } = spec.text;
  const spans = mergeSelections(spec.text.selections, content.length);
  const marks = new Uint8Array(content.length);
  for (const [a, b] of spans) marks.fill(1, a, b);
  const paras = paragraphs(content);
  return {
    passages: paras.map(([a, b]) => ({ text: content.slice(a, b), copyright: false })),
    selected: paras.map(([a, b]) => (marks.subarray(a, b).includes(1) ? marks.slice(a, b) : null)),
    // Each selected span, within its paragraph, is a protected passage of its own.
    spans: paras.flatMap(([a, b]) =>
      spans.map(([s, e]) => content.slice(Math.max(a, s), Math.min(b, e)).trim()).filter((t) => t.length > 0),
    ),
  };
}

/** How many of `passages` passages the share `fraction` tags (the nearest whole number). */
export function ruleTagged(fraction: number, passages: number): number {
  return Math.round(fraction * passages);
}

/** The corpus of a spec (deterministic in the seed). */
export function makeCorpus(spec: CorpusSpec): Corpus {
  const rng = createRng(spec.seed);
  const { passages: ordinary, selected, spans } = ordinaryPassages(spec, rng);
  // Tag a fraction of the passages, then hold out a share of the free ones for validation (a
  // paragraph with selected characters is not free: it stays in the training text).
  const order = shuffle(
    rng,
    ordinary.map((_, i) => i),
  );
  const tagged = ruleTagged(spec.fraction, ordinary.length);
  order.slice(0, tagged).forEach((i) => (ordinary[i].copyright = true));
  const free = order.slice(tagged).filter((i) => selected[i] === null);
  const heldOut = new Set(free.slice(0, Math.round(spec.validation * free.length)));
  const canaries: Passage[] = Array.from({ length: spec.canaries }, () => {
    const secret = randomDigits(rng);
    return { text: canaryText(secret), copyright: true, secret };
  });
  const train: { p: Passage; marks: Uint8Array | null }[] = ordinary
    .map((p, i) => ({ p, marks: selected[i] }))
    .filter((_, i) => !heldOut.has(i));
  const canaryEntries = canaries.flatMap((p) =>
    Array.from({ length: spec.repeats }, () => ({ p, marks: null })),
  );
  // The grammar's passages and the canaries are interleaved at random; an uploaded text keeps
  // its order (its paragraphs may follow from one another) and the canaries go in between.
  let ordered: typeof train;
  if (!spec.text)
    ordered = [...train, ...canaryEntries]
      .map((e) => ({ e, key: rng.next() }))
      .sort((a, b) => a.key - b.key)
      .map((x) => x.e);
  else {
    ordered = [...train];
    for (const c of canaryEntries) ordered.splice(Math.floor(rng.next() * (ordered.length + 1)), 0, c);
  }
  let text = '';
  const placed: (Passage & { start: number })[] = [];
  const marksAt: [number, Uint8Array][] = [];
  for (const { p, marks } of ordered) {
    placed.push({ ...p, start: text.length });
    if (marks) marksAt.push([text.length, marks]);
    text += p.text + '\n';
  }
  const copyright = new Uint8Array(text.length);
  for (const p of placed) if (p.copyright) copyright.fill(1, p.start, p.start + p.text.length);
  for (const [at, marks] of marksAt) for (let i = 0; i < marks.length; i++) copyright[at + i] |= marks[i];
  const validation = [...heldOut].map((i) => ordinary[i].text).join('\n') + '\n';
  // Every digit, so that any candidate secret of the canary format can be scored.
  const vocabulary = [...new Set(text + validation + '0123456789')].sort().join('');
  const protectedPassages = [
    ...ordinary.filter((p) => p.copyright),
    ...spans.map((t) => ({ text: t, copyright: true })),
    ...canaries,
  ];
  return { text, copyright, passages: placed, protectedPassages, validation, vocabulary };
}

/** Characters as tokens (indices into the vocabulary). */
export function encode(text: string, vocabulary: string): Int32Array {
  const index = new Map([...vocabulary].map((ch, i) => [ch, i]));
  return Int32Array.from(text, (ch) => {
    const t = index.get(ch);
    if (t === undefined) throw new Error(`the character ${JSON.stringify(ch)} is not in the vocabulary`);
    return t;
  });
}
