/**
 * The Content-Security-Policy of the built site: the one definition, used by the Vite plugin that
 * writes it into dist/index.html and by e2e/app-csp.spec.ts, which checks it there and runs the
 * page under it.
 *
 * It is a `<meta http-equiv>` because the site is static and works from any host, so it cannot
 * count on the host sending headers. A meta policy ignores `frame-ancestors`, `report-uri` and
 * `sandbox`, so none is set. It applies to the page only: a module worker's policy comes from its
 * own response headers, which a static host does not set, and our workers (CSV parsing, solver,
 * sweep) fetch nothing and evaluate no strings anyway.
 *
 * It goes into the production build only: the Vite dev server injects inline scripts (the
 * React-refresh preamble) and serves imported CSS as inline <style> elements, which this policy
 * refuses by design.
 */
import type { Plugin } from 'vite';

/**
 * [directive, sources]. Each source is there because the page fails without it; e2e/app-csp.spec.ts
 * runs every chart type, the workers and the downloads under exactly this list.
 */
export const CSP_DIRECTIVES: ReadonlyArray<readonly [string, string]> = [
  // Anything not named below (fonts, media, frames, manifests): this origin only.
  ['default-src', "'self'"],
  // Vite's module chunks, Plotly's chunk (a dynamic import) and the workers' imports: all files
  // from this origin. No 'unsafe-inline' (the build has no inline script) and no 'unsafe-eval':
  // Plotly's cartesian bundle (app/plots/plotly-loader.ts) has no WebGL traces, the part of
  // Plotly's regular bundles that builds code with Function(), and draws everything in SVG.
  // 'wasm-unsafe-eval' lets the page compile WebAssembly and nothing else (no eval, no
  // Function()): the float64 CPU engine's SIMD kernels (src/wasm) run on this page when a lost GPU
  // device hands a run to the CPU; without it they would fall back to the slower TypeScript loops.
  ['script-src', "'self' 'wasm-unsafe-eval'"],
  // Plotly needs inline styles: it adds <style> elements at run time (an empty one it fills
  // through insertRule, and its bundled CSS as text) and sets `style="…"` attributes on SVG
  // nodes through d3. With style-src 'self' the first <style> is refused and no chart draws.
  // Hashes cannot replace this: attribute values change with every draw. Styles run no code.
  ['style-src', "'self' 'unsafe-inline'"],
  // data: for the favicon (`data:,`), the heatmap (Plotly embeds it as a PNG data: URL) and
  // images inside exported SVG; blob: because Plotly's PNG export loads the chart's SVG from an
  // object URL into an <img> before drawing it on a canvas (without it the export never ends).
  ['img-src', "'self' data: blob:"],
  // fetch/XHR to this origin only (the page asks nothing of any other: e2e/app-origin.spec.ts).
  ['connect-src', "'self'"],
  // The data, solver and sweep workers are chunks from this origin (new Worker(new URL(…))).
  ['worker-src', "'self'"],
  // No plugins, no <base> redirecting the relative asset paths, no form posting anywhere.
  ['object-src', "'none'"],
  ['base-uri', "'self'"],
  ['form-action', "'none'"],
];

/** The policy as the meta tag's content. */
export const CONTENT_SECURITY_POLICY = CSP_DIRECTIVES.map(([d, s]) => `${d} ${s}`).join('; ');

/** The `<meta charset>` of index.html, which the policy follows. */
const CHARSET_META = /<meta charset="[^"]*"\s*\/?>/i;

/**
 * Writes the policy into index.html right after `<meta charset>`, before every script and
 * stylesheet (a meta policy covers only what comes after it), in `vite build` only.
 */
export function contentSecurityPolicy(): Plugin {
  return {
    name: 'content-security-policy',
    apply: 'build',
    transformIndexHtml(html) {
      if (!CHARSET_META.test(html)) {
        throw new Error(
          'index.html has no <meta charset="…">: the Content-Security-Policy meta goes right after it.',
        );
      }
      const meta = `<meta http-equiv="Content-Security-Policy" content="${CONTENT_SECURITY_POLICY}" />`;
      return html.replace(CHARSET_META, (charset) => `${charset}\n    ${meta}`);
    },
  };
}
