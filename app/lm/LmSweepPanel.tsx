/** The language-model view's sweep (γ × n1/n × seeds, the paper's Figure 1): under construction. */
export function LmSweepPanel() {
  return null;
}
