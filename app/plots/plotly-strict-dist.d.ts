/** plotly.js-strict-dist ships no types; its API is plotly.js's (minus code that needs 'unsafe-eval'). */
declare module 'plotly.js-strict-dist' {
  import * as Plotly from 'plotly.js';
  export = Plotly;
}
