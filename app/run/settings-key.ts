/**
 * Comparing reset keys: a single run (run-sync.ts) and a sweep (sweep-controller.ts) are reset
 * when their key changes. The keys themselves come from the settings table's scopes
 * (app/store/settings-table.ts scopeKey) plus the data, mask and engine in use.
 */

/** Whether two keys differ in any entry (compared by identity). */
export function keysDiffer(a: readonly unknown[], b: readonly unknown[]): boolean {
  return a.length !== b.length || a.some((v, i) => v !== b[i]);
}
