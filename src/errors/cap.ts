import type { Diagnostic } from "./diagnostic.js";
import { makeDiagnostic } from "./errors.js";

/** The most diagnostics one compilation reports; one more says how many were left out. */
export const MAX_DIAGNOSTICS = 100;

/**
 * The first `max` diagnostics, then, when `total` is larger, one `limit_exceeded` diagnostic
 * (limit `diagnostics`) giving the count left out. `total` counts diagnostics found but never
 * built (a stage that stopped keeping them at the cap).
 */
export function capDiagnostics(
  diagnostics: readonly Diagnostic[],
  total: number = diagnostics.length,
  max: number = MAX_DIAGNOSTICS,
): Diagnostic[] {
  const all = Number.isFinite(total) ? Math.max(total, diagnostics.length) : diagnostics.length;
  if (all <= max) return [...diagnostics];
  const shown = diagnostics.slice(0, max);
  return [
    ...shown,
    {
      ...makeDiagnostic("diagnostics_omitted", { omitted: all - shown.length, total: all, shown: shown.length }),
      limit: "diagnostics",
    },
  ];
}

/**
 * Collects a stage's diagnostics: keeps the first `max`, and past them only counts (a
 * diagnostic given as a function is then never built).
 */
export class DiagnosticSink {
  readonly kept: Diagnostic[] = [];
  omitted = 0;

  constructor(readonly max: number = MAX_DIAGNOSTICS) {}

  add(diagnostic: Diagnostic | (() => Diagnostic)): void {
    if (this.kept.length < this.max) this.kept.push(typeof diagnostic === "function" ? diagnostic() : diagnostic);
    else this.omitted++;
  }

  /** Diagnostics found, kept or not. */
  get total(): number {
    return this.kept.length + this.omitted;
  }
}
