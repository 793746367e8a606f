/**
 * A link runs the same in the page and in `npm run cli -- solve --link`: the page opens the link on
 * the float64 CPU backend, runs to the end, and its final τ is compared with the CLI's τ for the
 * same link (same digits as printed, ≤ 1e-12 relative). The links use a sketched solver with a
 * non-default x0 seed, and gradient descent, so the CLI's solver settings must be the page's.
 */
import { execFileSync } from 'node:child_process';
import { expect, test } from '@playwright/test';
import { expectSameTau, runToEnd, snapshot, waitForData } from './helpers/app';

/** τ and the run's facts from `npm run cli -- solve --link LINK` (the float64 CPU engine). */
function cliLink(link: string): { tau: number; iterations: number; status: string; x0Seed: number } {
  const out = execFileSync('npx', ['tsx', 'src/cli/main.ts', 'solve', '--link', link, '--no-history'], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
    timeout: 120_000,
  });
  return JSON.parse(out) as { tau: number; iterations: number; status: string; x0Seed: number };
}

const cases = [
  {
    name: 'sketched Newton from a seeded x0',
    hash: '#v=2&speed=0&backend=cpu&n=150&d=6&seed=3&frac=0.2&tseed=3&g=0.2&solver=sketched&rows=60&x0=7',
    n: 150,
    d: 6,
    x0Seed: 7,
  },
  {
    name: 'gradient descent with its own tolerance and iteration limit',
    hash: '#v=2&speed=0&backend=cpu&n=120&d=5&seed=5&frac=0.15&tseed=2&g=0.1&solver=gd&it=400&tol=1e-7&x0=3',
    n: 120,
    d: 5,
    x0Seed: 3,
  },
];

for (const c of cases) {
  test(`the page and solve --link give the same τ: ${c.name}`, async ({ page }) => {
    await page.goto(`/${c.hash}`);
    await waitForData(page, c.n, c.d);
    await expect(page.getByTestId('backend')).toContainText('CPU float64');
    // The link was read as written (nothing clamped or ignored).
    await expect(page.getByTestId('link-notices')).toHaveCount(0);
    const tau = await runToEnd(page);
    const final = page.getByTestId('final-tau');
    const status = await final.getAttribute('data-status');
    const iterations = Number(await final.getAttribute('data-iterations'));

    // The CLI reads the link the page now shows (its full URL, query string and all).
    const cli = cliLink(page.url());
    expect(cli.x0Seed).toBe(c.x0Seed);
    expect(cli.status).toBe(status);
    expect(cli.iterations).toBe(iterations);
    expectSameTau(tau, cli.tau);
    // The digits the page prints are the CLI's.
    await expect(final).toContainText(`Final τ = ${cli.tau.toPrecision(10)}`);
    console.log(`${c.name}: page τ = ${tau}, CLI τ = ${cli.tau}, ${iterations} iterations (${status})`);
    await snapshot(page, `cli-link-${c.x0Seed}`);
  });
}
