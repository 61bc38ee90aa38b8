/**
 * The measured precision of the static type checker: every correct corpus program must compile
 * against its signature and tool signatures with no error, and at least 90% of the faulty
 * variants must be rejected (a warning counts for a misspelt field read) by a diagnostic whose
 * span overlaps the mutated form.
 */
import { describe, expect, it } from "vitest";
import { type CompileOptions, compile, type Diagnostic } from "../../src/index.js";
import { type CorpusEntry, loadCorpus, stubTools } from "./corpus.js";
import { FAULT_KINDS, type FaultKind, generateMutants, type Mutant } from "./mutate.js";

const entries = loadCorpus();
const byId = new Map(entries.map((entry) => [entry.id, entry]));
const mutants = generateMutants(entries);

/** Compiles with the program's signature and its tools (defined with their signatures). */
function check(entry: CorpusEntry, source: string): readonly Diagnostic[] {
  const tools = stubTools(entry, { seed: 1 }, { argumentErrors: [], calls: [] });
  const options = { signature: entry.signature, tools } as CompileOptions;
  return compile(source, options).diagnostics;
}

const isError = (diagnostic: Diagnostic): boolean => diagnostic.severity !== "warning";

function overlaps(diagnostic: Diagnostic, span: { start: number; end: number }): boolean {
  const at = diagnostic.span;
  return at !== undefined && at.start < span.end && span.start < at.end;
}

function describeDiagnostic(diagnostic: Diagnostic): string {
  const at = diagnostic.span ? ` at ${diagnostic.span.line}:${diagnostic.span.column}` : "";
  return `${diagnostic.severity ?? "error"} [${diagnostic.code}]${at}: ${diagnostic.message}`;
}

const percent = (part: number, whole: number): string => `${((100 * part) / Math.max(whole, 1)).toFixed(1)}%`;

/** The checker's verdict on the correct programs, computed once. */
interface Baseline {
  /** Error diagnostics of each correct program, as `code|message`. */
  readonly errors: ReadonlyMap<string, ReadonlySet<string>>;
  readonly falseErrors: readonly string[];
  readonly warnings: readonly string[];
  /** Correct programs with no error. */
  readonly clean: number;
}

let baseline: Baseline | undefined;

function correctPrograms(): Baseline {
  if (baseline !== undefined) return baseline;
  const errors = new Map<string, Set<string>>();
  const falseErrors: string[] = [];
  const warnings: string[] = [];
  for (const entry of entries) {
    const diagnostics = check(entry, entry.program);
    errors.set(entry.id, new Set(diagnostics.filter(isError).map((d) => `${d.code}|${d.message}`)));
    for (const diagnostic of diagnostics) {
      (isError(diagnostic) ? falseErrors : warnings).push(`  ${entry.id}: ${describeDiagnostic(diagnostic)}`);
    }
  }
  const clean = [...errors.values()].filter((set) => set.size === 0).length;
  baseline = { errors, falseErrors, warnings, clean };
  return baseline;
}

describe("static type checking, measured on the corpus", () => {
  it("reports no error on any correct program (warnings are counted)", () => {
    const { falseErrors, warnings, clean } = correctPrograms();
    process.stdout.write(
      `typecheck corpus: ${clean}/${entries.length} correct programs clean ` +
        `(${falseErrors.length} false errors, ${warnings.length} warnings)\n` +
        (warnings.length > 0 ? `warnings on correct programs:\n${warnings.join("\n")}\n` : "") +
        (falseErrors.length > 0 ? `FALSE ERRORS on correct programs:\n${falseErrors.join("\n")}\n` : ""),
    );
    expect(falseErrors).toEqual([]);
  });

  it("catches at least 90% of the faulty variants before they run, at the mutated form", () => {
    const caught = new Map<FaultKind, number>();
    const totals = new Map<FaultKind, number>();
    const codes = new Map<FaultKind, Map<string, number>>();
    const missed = new Map<FaultKind, Mutant[]>();
    for (const mutant of mutants) {
      const entry = byId.get(mutant.entryId) as CorpusEntry;
      const inOriginal = correctPrograms().errors.get(entry.id) ?? new Set<string>();
      const diagnostics = check(entry, mutant.source).filter(
        (d) => !(isError(d) && inOriginal.has(`${d.code}|${d.message}`)),
      );
      const hits = diagnostics.filter(
        (d) => (isError(d) || mutant.expected.severity === "warning") && overlaps(d, mutant.span),
      );
      totals.set(mutant.kind, (totals.get(mutant.kind) ?? 0) + 1);
      if (hits.length > 0) {
        caught.set(mutant.kind, (caught.get(mutant.kind) ?? 0) + 1);
        const seen = codes.get(mutant.kind) ?? new Map<string, number>();
        codes.set(mutant.kind, seen);
        for (const code of new Set(hits.map((d) => `${d.code}${isError(d) ? "" : " (warning)"}`))) {
          seen.set(code, (seen.get(code) ?? 0) + 1);
        }
      } else {
        missed.set(mutant.kind, [...(missed.get(mutant.kind) ?? []), mutant]);
      }
    }
    const total = mutants.length;
    const caughtAll = [...caught.values()].reduce((sum, n) => sum + n, 0);
    const rows = FAULT_KINDS.map((kind) => {
      const n = totals.get(kind) ?? 0;
      const c = caught.get(kind) ?? 0;
      const seen = [...(codes.get(kind) ?? [])].map(([code, count]) => `${code} ×${count}`).join(", ");
      const examples = (missed.get(kind) ?? [])
        .slice(0, 3)
        .map((mutant) => `      missed ${mutant.id}: ${mutant.detail}`)
        .join("\n");
      return `  ${kind.padEnd(15)} ${String(c).padStart(4)}/${String(n).padEnd(4)} ${percent(c, n).padStart(6)}${seen ? `  (${seen})` : ""}${examples ? `\n${examples}` : ""}`;
    });
    const { clean } = correctPrograms();
    process.stdout.write(
      `typecheck corpus: ${clean}/${entries.length} correct programs clean; ` +
        `${caughtAll}/${total} faulty variants caught (${percent(caughtAll, total)})\n` +
        `${rows.join("\n")}\n` +
        "  (a wrong key counts when a warning or an error overlaps it; every other kind needs an error)\n",
    );
    expect(caughtAll / total).toBeGreaterThanOrEqual(0.9);
  });
});
