/**
 * The command line's words before Node's parseArgs sees them. parseArgs refuses `--n -5` as
 * "ambiguous" (a value that starts with a dash could be another flag), which hides the real
 * problem from the user; here every value-taking flag is joined with its value (`--n=-5`), so the
 * value reaches the flag's own check ("--n: -5 is below the minimum 2"). A value-taking flag
 * followed by nothing, or by another known flag, is the one case that is really ambiguous: it is
 * reported as "--n needs a value".
 */
import { clipEcho } from '../data/echo';
import { UsageError } from './problem-source';

/** The shape of parseArgs' option table that matters here. */
export type OptionTable = Readonly<
  Record<string, { readonly type: 'string' | 'boolean'; readonly short?: string }>
>;

/** The flag's name when `word` is `--name` or `--name=…` of a known flag, else undefined. */
function knownFlag(word: string, options: OptionTable): string | undefined {
  if (!word.startsWith('--')) return undefined;
  const name = word.slice(2).split('=', 1)[0];
  return Object.hasOwn(options, name) ? name : undefined;
}

/** True for a short alias of a known flag, such as `-h`. */
function knownShort(word: string, options: OptionTable): boolean {
  return Object.values(options).some((o) => o.short !== undefined && word === `-${o.short}`);
}

/**
 * Joins each value-taking `--flag VALUE` into `--flag=VALUE` (whatever VALUE starts with) and
 * names unknown flags; everything else is passed on for parseArgs to check.
 */
export function joinFlagValues(args: readonly string[], options: OptionTable): string[] {
  const out: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const word = args[i];
    if (word === '--' || !word.startsWith('-') || knownShort(word, options)) {
      out.push(word);
      continue;
    }
    const name = knownFlag(word, options);
    if (name === undefined) {
      throw new UsageError(`unknown flag ${clipEcho(word.split('=', 1)[0])} (see npm run cli -- --help)`);
    }
    if (options[name].type !== 'string' || word.includes('=')) {
      out.push(word);
      continue;
    }
    const value = args[i + 1];
    if (value === undefined || knownFlag(value, options) !== undefined || knownShort(value, options)) {
      throw new UsageError(`--${name} needs a value`);
    }
    out.push(`--${name}=${value}`);
    i++;
  }
  return out;
}
