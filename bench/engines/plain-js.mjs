/**
 * Plain JavaScript in Node (`new Function`): no sandbox at all. Two references, one process
 * each (the run's settings name the variant):
 * - optimized: `new Function(body)(data)` per iteration with an unchanged source, which hits V8's
 *   compilation cache, so V8 runs code it has already optimized: what V8 reaches at best. The
 *   reference for every result check.
 * - fresh: a unique source per iteration (the iteration's serial number in a trailing comment),
 *   so V8 parses, compiles and runs new code each time, as `evaluate` parses and analyzes each
 *   time. The serial number counts over the whole process, so that no source repeats across
 *   workloads or runs.
 */
import {
  BIG_BLOCKS,
  JAVASCRIPT,
  javascriptMain,
  javascriptProgram,
  rowTools,
  SMALL_PROGRAM_JS,
  WORKLOAD_IDS,
} from "../workloads.mjs";
import { readSettings, runEngine } from "./child.mjs";

const variant = readSettings().variant === "fresh" ? "fresh" : "optimized";
let serial = 0;
const unique = (source) => `${source}\n// ${serial++}`;

await runEngine(variant === "fresh" ? "plain-js-fresh" : "plain-js", ({ json, data, small }) => {
  const fresh = variant === "fresh";
  const big = javascriptProgram(BIG_BLOCKS);
  const AsyncFunction = (async () => {}).constructor;
  const fromSource = (body) => {
    if (fresh) return () => new Function("data", unique(body))(data);
    return () => new Function("data", body)(data);
  };
  const tools = rowTools();
  const toolLoop = new AsyncFunction("tools", JAVASCRIPT.t);
  const workloads = {
    a: { step: fromSource(JAVASCRIPT.a) },
    b: { step: fromSource(JAVASCRIPT.b) },
    c: { step: fromSource(JAVASCRIPT.c) },
    // Both variants: a unique trailing comment defeats V8's compilation cache; V8 parses the
    // top level and pre-parses the function bodies (it compiles a body fully on its first call).
    d: {
      step: () => new Function("data", unique(big)),
      verify: () => new Function("data", `${big}\nreturn ${javascriptMain(BIG_BLOCKS)};`)(data),
    },
    e: { step: fresh ? () => new Function(unique(JAVASCRIPT.e))() : fromSource(JAVASCRIPT.e) },
    e2: { step: () => new Function(unique(JAVASCRIPT.e))() },
    f: { step: () => JSON.parse(json).orders.length },
    ga: { step: fromSource(JAVASCRIPT.ga) },
    gc: { step: fromSource(JAVASCRIPT.gc) },
    t: { step: fresh ? () => new AsyncFunction("tools", unique(JAVASCRIPT.t))(tools) : () => toolLoop(tools) },
  };
  const how = fresh
    ? "new Function(body + unique comment)(data) per iteration: V8 parses, compiles and runs new code"
    : "new Function(body)(data) per iteration (V8 caches the compilation of an unchanged source)";
  return {
    version: process.version,
    notes: {
      abc: how,
      d: "new Function(program + unique comment): V8 parse + lazy compile, functions not called",
      e: fresh
        ? "new Function(source + unique comment)(): parse + compile + call"
        : "new Function(source)() (V8 reuses the cached compilation)",
      e2: "new Function(source + unique comment)(): parse + compile + call",
      f: "JSON.parse(text).orders.length",
      t: fresh
        ? "new AsyncFunction(loop + unique comment)(tools) per iteration: 1,000 awaited calls of an async tool returning a fresh shallow copy of 100 rows, .filter(...).length after each"
        : "an async function compiled once, called per iteration: 1,000 awaited calls of an async tool returning a fresh shallow copy of 100 rows, .filter(...).length after each",
    },
    workloads: Object.fromEntries(WORKLOAD_IDS.map((id) => [id, workloads[id]])),
    extras: () => ({ small: new Function("data", SMALL_PROGRAM_JS)(small) }),
  };
});
