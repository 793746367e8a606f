/**
 * plotly.js-cartesian-dist-min ships no types; its API is plotly.js's, limited to the trace types
 * of the cartesian bundle (scatter, bar, heatmap, histogram, contour…; no WebGL traces).
 */
declare module 'plotly.js-cartesian-dist-min' {
  import * as Plotly from 'plotly.js';
  export = Plotly;
}
