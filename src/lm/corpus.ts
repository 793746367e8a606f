/**
 * The LM view's data (issue 13): a seeded synthetic corpus of sentence-like passages (a small
 * grammar of our own: no third-party text), canaries (random secrets in a fixed format, each
 * repeated r times; Carlini et al., "The Secret Sharer", USENIX Security 2019), which passages are
 * copyrighted (a random fraction n1/n with a seed, and every canary), the character vocabulary,
 * a held-out validation split of free text, and training windows with their copyright masks.
 * DOM-free and deterministic: the same seed gives the same corpus everywhere.
 */
import { createRng, type Rng } from '../data/prng';

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

/** The corpus of a spec (deterministic in the seed). */
export function makeCorpus(spec: CorpusSpec): Corpus {
  const rng = createRng(spec.seed);
  const ordinary: Passage[] = [];
  for (let p = 0; p < spec.passages; p++) {
    const parts: string[] = [];
    for (let s = 0; s < spec.sentences; s++) parts.push(sentence(rng));
    ordinary.push({ text: parts.join(' '), copyright: false });
  }
  // Tag a fraction of the passages, then hold out a share of the free ones for validation.
  const order = shuffle(
    rng,
    ordinary.map((_, i) => i),
  );
  const tagged = Math.round(spec.fraction * ordinary.length);
  order.slice(0, tagged).forEach((i) => (ordinary[i].copyright = true));
  const free = order.slice(tagged);
  const heldOut = new Set(free.slice(0, Math.round(spec.validation * free.length)));
  const canaries: Passage[] = Array.from({ length: spec.canaries }, () => {
    const secret = randomDigits(rng);
    return { text: canaryText(secret), copyright: true, secret };
  });
  const train: Passage[] = ordinary.filter((_, i) => !heldOut.has(i));
  for (const c of canaries) for (let r = 0; r < spec.repeats; r++) train.push(c);
  // Interleave deterministically so repeats are spread through the text.
  const shuffled = train
    .map((p) => ({ p, key: rng.next() }))
    .sort((a, b) => a.key - b.key)
    .map((e) => e.p);
  let text = '';
  const placed: (Passage & { start: number })[] = [];
  for (const p of shuffled) {
    placed.push({ ...p, start: text.length });
    text += p.text + '\n';
  }
  const copyright = new Uint8Array(text.length);
  for (const p of placed) if (p.copyright) copyright.fill(1, p.start, p.start + p.text.length);
  const validation = [...heldOut].map((i) => ordinary[i].text).join('\n') + '\n';
  // Every digit, so that any candidate secret of the canary format can be scored.
  const vocabulary = [...new Set(text + validation + '0123456789')].sort().join('');
  const protectedPassages = [...ordinary.filter((p) => p.copyright), ...canaries];
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
