import { writeFileSync } from "node:fs";
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEFAULT_LIMITS, evaluate, printValue, type RunResult } from "../../src/index.js";
import { HOSTILE_CASES, type HostileCase } from "./cases.js";

// `global.gc` without a flag on the command line: a context created after the flag is set
// carries `gc`. Collecting before and after each case makes heap growth measurable.
setFlagsFromString("--expose-gc");
const gc = runInNewContext("gc") as () => void;

/** Slack on top of a case's time limit: compiling, converting the result, a loaded machine. */
const TIME_MARGIN_MS = 500;
/** Heap a case may leave behind once collected (caches of compiled regexes and the like). */
const CASE_HEAP_GROWTH = 16 * 1024 * 1024;
/** Heap the whole suite may leave behind. */
const SUITE_HEAP_GROWTH = 64 * 1024 * 1024;

/** Full collections, with a turn of the event loop between them for finalizers (weakly interned keywords). */
async function settledHeap(): Promise<number> {
  for (let i = 0; i < 3; i++) {
    gc();
    await new Promise((resolve) => setImmediate(resolve));
  }
  gc();
  return process.memoryUsage().heapUsed;
}

/** What each shared prototype and namespace object owns: keys, descriptors, prototype. */
type Snapshot = Map<string, { proto: unknown; keys: Map<PropertyKey, PropertyDescriptor> }>;

const iteratorPrototype = Object.getPrototypeOf(Object.getPrototypeOf([][Symbol.iterator]())) as object;
const generatorPrototype = Object.getPrototypeOf(Object.getPrototypeOf((function* () {})()) as object) as object;

const SHARED: ReadonlyArray<readonly [string, object]> = [
  ["Object.prototype", Object.prototype],
  ["Array.prototype", Array.prototype],
  ["Function.prototype", Function.prototype],
  ["String.prototype", String.prototype],
  ["Number.prototype", Number.prototype],
  ["Boolean.prototype", Boolean.prototype],
  ["Symbol.prototype", Symbol.prototype],
  ["BigInt.prototype", BigInt.prototype],
  ["RegExp.prototype", RegExp.prototype],
  ["Map.prototype", Map.prototype],
  ["Set.prototype", Set.prototype],
  ["WeakMap.prototype", WeakMap.prototype],
  ["WeakSet.prototype", WeakSet.prototype],
  ["WeakRef.prototype", WeakRef.prototype],
  ["Promise.prototype", Promise.prototype],
  ["Error.prototype", Error.prototype],
  ["RangeError.prototype", RangeError.prototype],
  ["Date.prototype", Date.prototype],
  ["Iterator prototype", iteratorPrototype],
  ["Generator prototype", generatorPrototype],
  ["Object", Object],
  ["Array", Array],
  ["Function", Function],
  ["JSON", JSON],
  ["Math", Math],
  ["Reflect", Reflect],
  ["globalThis", globalThis],
];

/** Objects whose existing entries may change on their own: Node defines some globals lazily, on first use. */
const ADDITIONS_ONLY = new Set(["globalThis"]);

function snapshot(): Snapshot {
  const out: Snapshot = new Map();
  for (const [name, target] of SHARED) {
    const keys = new Map<PropertyKey, PropertyDescriptor>();
    for (const key of Reflect.ownKeys(target)) {
      keys.set(key, Object.getOwnPropertyDescriptor(target, key) as PropertyDescriptor);
    }
    out.set(name, { proto: Object.getPrototypeOf(target), keys });
  }
  return out;
}

/** Differences between two snapshots, as readable lines (empty when untouched). */
function changes(before: Snapshot, after: Snapshot): string[] {
  const found: string[] = [];
  for (const [name, was] of before) {
    const now = after.get(name);
    if (now === undefined) continue;
    if (now.proto !== was.proto) found.push(`${name}: prototype replaced`);
    for (const [key, descriptor] of now.keys) {
      const old = was.keys.get(key);
      if (old === undefined) found.push(`${name}.${String(key)} added`);
      else if (ADDITIONS_ONLY.has(name)) continue;
      else if (
        !Object.is(old.value, descriptor.value) ||
        old.get !== descriptor.get ||
        old.set !== descriptor.set ||
        old.writable !== descriptor.writable ||
        old.enumerable !== descriptor.enumerable ||
        old.configurable !== descriptor.configurable
      ) {
        found.push(`${name}.${String(key)} changed`);
      }
    }
    for (const key of was.keys.keys()) if (!now.keys.has(key)) found.push(`${name}.${String(key)} removed`);
  }
  return found;
}

function describeResult(result: RunResult): string {
  return result.ok
    ? `ok ${printValue(result.value, true, { maxChars: 200 })}`
    : `${result.error.code}${result.error.limit ? `/${result.error.limit}` : ""}: ${result.error.message}`;
}

function check(hostile: HostileCase, result: RunResult): void {
  const expected = hostile.expect;
  if ("value" in expected) {
    expect(result.ok, describeResult(result)).toBe(true);
    if (result.ok) expect(printValue(result.value)).toBe(expected.value);
    return;
  }
  expect(result.ok, describeResult(result)).toBe(false);
  if (result.ok) return;
  expect(result.error.code, describeResult(result)).toBe(expected.code);
  if (expected.limit !== undefined) {
    expect([expected.limit].flat(), describeResult(result)).toContain(result.error.limit);
  }
}

/** Figures for the report: wall time and retained heap per case (written when HOSTILE_REPORT names a file). */
const figures: { id: string; category: string; ms: number; heapGrowth: number; outcome: string }[] = [];
let suiteHeap = 0;
let pristine: Snapshot;

beforeAll(async () => {
  // One ordinary run first, so that what every run shares (compiled modules, caches) is warm.
  await evaluate("(str (+ 1 2))");
  await evaluate("(loop [i 0] (if (< i 1000000) (recur (inc i)) i))");
  pristine = snapshot();
  suiteHeap = await settledHeap();
});

afterAll(async () => {
  const growth = (await settledHeap()) - suiteHeap;
  const report = process.env["HOSTILE_REPORT"];
  if (report !== undefined) writeFileSync(report, JSON.stringify({ suiteHeapGrowth: growth, figures }, null, 1));
  expect(growth).toBeLessThan(SUITE_HEAP_GROWTH);
});

describe("hostile programs", () => {
  it("has at least 80 cases, with unique ids, in every category the sandbox promises to cover", () => {
    expect(HOSTILE_CASES.length).toBeGreaterThanOrEqual(80);
    expect(new Set(HOSTILE_CASES.map((hostile) => hostile.id)).size).toBe(HOSTILE_CASES.length);
    const categories = new Set(HOSTILE_CASES.map((hostile) => hostile.category));
    for (const category of [
      "loops",
      "depth",
      "size",
      "strings",
      "deep-values",
      "collections",
      "printing",
      "source",
      "regex",
      "prototype-keys",
      "escape",
      "unicode",
      "tools",
    ]) {
      expect(categories).toContain(category);
    }
  });

  it.each(HOSTILE_CASES.map((hostile) => [hostile.id, hostile] as const))("%s", async (_id, hostile) => {
    const heapBefore = await settledHeap();
    const started = performance.now();
    let result: RunResult | undefined = await evaluate(hostile.program, {
      ...(hostile.data === undefined ? {} : { data: hostile.data }),
      ...(hostile.tools === undefined ? {} : { tools: hostile.tools }),
      ...(hostile.limits === undefined ? {} : { limits: hostile.limits }),
    });
    const ms = performance.now() - started;
    const outcome = describeResult(result);
    check(hostile, result);
    const timeLimit = hostile.limits?.timeMs ?? DEFAULT_LIMITS.timeMs;
    expect(ms, `${hostile.id} took ${Math.round(ms)} ms`).toBeLessThan(timeLimit + TIME_MARGIN_MS);

    result = undefined;
    expect(changes(pristine, snapshot())).toEqual([]);
    expect(Object.hasOwn(Object.prototype, "polluted")).toBe(false);

    // The process is still fit for ordinary work. (Measured after it: until the next run, the
    // reader keeps the last source's tokens and the interpreter its last pass.)
    const next = await evaluate("(->> data/xs (map inc) (reduce +))", { data: { xs: [1, 2, 3] } });
    expect(next.ok && next.json).toBe(9);

    const heapGrowth = (await settledHeap()) - heapBefore;
    figures.push({ id: hostile.id, category: hostile.category, ms: Math.round(ms), heapGrowth, outcome });
    expect(heapGrowth, `${hostile.id} left ${heapGrowth} bytes`).toBeLessThan(CASE_HEAP_GROWTH);
  });
});
