/**
 * Plain JavaScript in Node (`new Function`): no sandbox at all. The reference for every ratio
 * and for every result check.
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
import { runEngine } from "./child.mjs";

await runEngine("plain-js", ({ json, data, small }) => {
  const big = javascriptProgram(BIG_BLOCKS);
  const fromSource = (body) => () => new Function("data", body)(data);
  const AsyncFunction = (async () => {}).constructor;
  const toolLoop = new AsyncFunction("tools", JAVASCRIPT.t);
  const tools = rowTools();
  const workloads = {
    a: { step: fromSource(JAVASCRIPT.a) },
    b: { step: fromSource(JAVASCRIPT.b) },
    c: { step: fromSource(JAVASCRIPT.c) },
    // A unique trailing comment defeats V8's compilation cache; V8 parses the top level and
    // pre-parses the function bodies (it compiles a body fully on its first call).
    d: {
      step: (i) => new Function("data", `${big}\n// ${i}`),
      verify: () => new Function("data", `${big}\nreturn ${javascriptMain(BIG_BLOCKS)};`)(data),
    },
    // V8 caches the compilation of an unchanged source: (e) reuses it, as ptc-lisp reuses a
    // compiled program; (e2) makes every source unique, so each iteration parses and compiles.
    e: { step: () => new Function(JAVASCRIPT.e)() },
    e2: { step: (i) => new Function(`${JAVASCRIPT.e}\n// ${i}`)() },
    f: { step: () => JSON.parse(json).orders.length },
    g: { step: fromSource(JAVASCRIPT.g) },
    t: { step: () => toolLoop(tools) },
  };
  return {
    version: process.version,
    notes: {
      abc: "new Function(body)(data) per iteration (V8 caches the compilation of an unchanged source)",
      d: "new Function(program + unique comment): V8 parse + lazy compile, functions not called",
      e: "new Function(source)() (V8 reuses the cached compilation)",
      e2: "new Function(source + unique comment)(): parse + compile + call",
      f: "JSON.parse(text).orders.length",
      t: "an async function compiled once, called per iteration: 1,000 awaited calls of an async tool returning a fresh shallow copy of 100 rows, .filter(...).length after each",
    },
    workloads: Object.fromEntries(WORKLOAD_IDS.map((id) => [id, workloads[id]])),
    extras: () => ({ small: new Function("data", SMALL_PROGRAM_JS)(small) }),
  };
});
