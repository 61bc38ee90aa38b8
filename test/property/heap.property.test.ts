import { execFile } from "node:child_process";
import { fileURLToPath } from "node:url";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { program } from "./fuzz-programs.js";
import type { Measurement } from "./heap-child.js";

// Memory is a hard wall (DESIGN §5, SECURITY.md "Limits"): whatever a program does, the real heap
// growth of its run, with its result turned into JSON text as a host would, stays within a small
// multiple of `memoryBytes`. Each batch runs in a process of its own with --expose-gc, so that
// collections can be forced and nothing else shares the heap (heap-child.ts measures).

const root = fileURLToPath(new URL("../../", import.meta.url));
const MIB = 1024 * 1024;
const MEMORY_BYTES = 16 * MIB;
/** The documented bound: 8 × memoryBytes + 32 MB for the interpreter's own working set. */
const BOUND = 8 * MEMORY_BYTES + 32 * MIB;
// Time is ample: memory (or fuel) must be what stops each run, whatever the machine's speed.
const LIMITS = { memoryBytes: MEMORY_BYTES, timeMs: 20_000, fuel: 10_000_000 };

/** Programs built to grow memory fast, each a family of the hostile suite. */
const FAMILIES: readonly string[] = [
  // Geometric growth by sharing: 2^40 leaves from 40 small vectors.
  "(loop [v [1] i 0] (if (< i 40) (recur [v v] (inc i)) v))",
  // String doubling.
  '(loop [s "ab" i 0] (if (< i 40) (recur (str s s) (inc i)) s))',
  // Aliasing: a vector joined to itself, then again.
  "(let [v (vec (range 1000))] (into v v))",
  "(loop [v (vec (range 1000)) i 0] (if (< i 30) (recur (into v v) (inc i)) (count v)))",
  // Map growth, one key at a time and in bulk; many small maps.
  "(loop [m {} i 0] (if (< i 2000000) (recur (assoc m i i) (inc i)) (count m)))",
  "(count (vec (for [i (range 2000000)] {:a i})))",
  // One large string referenced many times in the result: 100 M characters of JSON.
  '(let [s (apply str (repeat 100000 "x"))] (vec (repeat 1000 s)))',
  '(let [s (loop [s "x" i 0] (if (< i 22) (recur (str s s) (inc i)) s))] {:a s :b s :c [s s s s]})',
  // Hash sets and maps in bulk: each entry is charged what it costs the host.
  "(count (into #{} (range 2000000)))",
  "(count (zipmap (range 1000000) (range 1000000)))",
  // 300 M characters of JSON from a 100 K-character string, measured before it is built.
  '(let [s (apply str (repeat 100000 "x"))] (vec (repeat 3000 s)))',
];

/** Random programs from the fuzz generators, fixed by a seed so that a failure replays. */
const GENERATED: readonly string[] = fc.sample(program(), { seed: 20240611, numRuns: 24 });

function measure(programs: readonly string[]): Promise<Measurement[]> {
  return new Promise((resolve, reject) => {
    const child = execFile(
      process.execPath,
      ["--expose-gc", "--import", "tsx", "test/property/heap-child.ts"],
      { cwd: root, maxBuffer: 16 * MIB, timeout: 50_000 },
      (error, stdout) => {
        if (error !== null) reject(error);
        else resolve(JSON.parse(stdout) as Measurement[]);
      },
    );
    child.stdin?.end(JSON.stringify({ programs, limits: LIMITS }));
  });
}

function batches<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

function over(measured: readonly Measurement[]): string[] {
  return measured
    .filter((m) => m.growth > BOUND)
    .map((m) => `${(m.growth / MIB).toFixed(0)} MB (${m.outcome}): ${m.program}`);
}

describe(`heap growth stays within 8 × memoryBytes + 32 MB (memoryBytes ${MEMORY_BYTES / MIB} MB)`, () => {
  it("for every hostile family and generated program", async () => {
    const programs = [...FAMILIES, ...GENERATED];
    const measured = (await Promise.all(batches(programs, 11).map(measure))).flat();
    expect(measured).toHaveLength(programs.length);
    expect(over(measured)).toEqual([]);
  }, 60_000);
});
