/**
 * The long fuzz campaign, run by hand (not in CI): many generated programs and raw texts
 * through `evaluate`, each checked by the same promises as test/property/fuzz.property.test.ts.
 *
 *   node --import tsx scripts/fuzz-campaign.ts [--runs 100000] [--seed 1] [--minutes 30] [--report file.json]
 *
 * Prints progress and a summary; the report file holds every distinct violation with the
 * smallest program that showed it, and the tally of outcomes.
 */
import { writeFileSync } from "node:fs";
import fc from "fast-check";
import { evaluate } from "../src/index.js";
import { fuzzData, LIMITS, program, rawText, violation } from "../test/property/fuzz-programs.js";

function option(name: string, fallback: number): number {
  const at = process.argv.indexOf(`--${name}`);
  return at >= 0 ? Number(process.argv[at + 1]) : fallback;
}

const runs = option("runs", 100_000);
const seed = option("seed", 1);
const minutes = option("minutes", 30);
/** Nesting of generated expressions (deeper programs are slower and stranger). */
const depth = option("depth", 4);
const reportAt = process.argv.indexOf("--report");
const reportPath = reportAt >= 0 ? process.argv[reportAt + 1] : undefined;

const BATCH = 1000;
const deadline = Date.now() + minutes * 60_000;
const data = fuzzData();

/** Distinct violations (by their kind), with the shortest program showing each and how often it came. */
const found = new Map<string, { count: number; source: string; detail: string }>();
/** Time overruns that did not happen again on a second run (a loaded machine, a collection). */
let transientOverruns = 0;
const outcomes = new Map<string, number>();
let done = 0;

function kindOf(detail: string): string {
  return detail
    .replace(/\d+/g, "N")
    .replace(/"[^"]*"/g, "S")
    .slice(0, 120);
}

async function outcomeOf(source: string): Promise<string> {
  const result = await evaluate(source, { data, limits: LIMITS });
  if (result.ok) return "ok";
  return result.error.limit ? `${result.error.code}/${result.error.limit}` : result.error.code;
}

const started = Date.now();
const arbitrary = fc.oneof({ arbitrary: program({ depth }), weight: 6 }, { arbitrary: rawText(), weight: 1 });
for (let batch = 0; done < runs && Date.now() < deadline; batch++) {
  for (const source of fc.sample(arbitrary, { numRuns: Math.min(BATCH, runs - done), seed: seed + batch })) {
    let detail = await violation(source);
    if (detail?.startsWith("took ")) {
      // Timing on a shared machine is noisy: count it only if it happens again.
      detail = await violation(source);
      if (detail === undefined) transientOverruns++;
    }
    if (detail !== undefined) {
      const kind = kindOf(detail);
      const seen = found.get(kind);
      if (seen === undefined) {
        found.set(kind, { count: 1, source, detail });
        process.stdout.write(`\nVIOLATION ${detail}\n${source.slice(0, 400)}\n`);
      } else {
        seen.count++;
        if (source.length < seen.source.length) Object.assign(seen, { source, detail });
      }
    }
    if (done % 10 === 0) {
      const outcome = await outcomeOf(source);
      outcomes.set(outcome, (outcomes.get(outcome) ?? 0) + 1);
    }
    done++;
  }
  const seconds = (Date.now() - started) / 1000;
  process.stdout.write(
    `${done} programs in ${seconds.toFixed(0)} s (${(done / seconds).toFixed(0)}/s), ${found.size} distinct violations\n`,
  );
}

const summary = {
  programs: done,
  seconds: Math.round((Date.now() - started) / 1000),
  seed,
  depth,
  limits: LIMITS,
  transientOverruns,
  violations: [...found.values()].sort((a, b) => b.count - a.count),
  sampledOutcomes: Object.fromEntries([...outcomes].sort((a, b) => b[1] - a[1])),
};
process.stdout.write(`${JSON.stringify({ ...summary, violations: summary.violations.length }, null, 1)}\n`);
if (reportPath !== undefined) writeFileSync(reportPath, JSON.stringify(summary, null, 1));
process.exitCode = found.size === 0 ? 0 : 1;
