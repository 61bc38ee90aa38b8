/**
 * quickjs-emscripten: the QuickJS engine compiled to WebAssembly (its default synchronous
 * release build), set up as a sandbox would be: a memory limit, a stack limit and a deadline
 * interrupt on every evaluation. The data is parsed inside the sandbox once and kept in the
 * global `data`; each program runs as `(function () { body })()`.
 */
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { getQuickJS, shouldInterruptAfterDeadline } from "quickjs-emscripten";
import { BIG_BLOCKS, JAVASCRIPT, javascriptMain, javascriptProgram } from "../workloads.mjs";
import { runEngine } from "./child.mjs";

const require = createRequire(import.meta.url);
const version = JSON.parse(readFileSync(require.resolve("quickjs-emscripten/package.json"), "utf8")).version;
const MEMORY_LIMIT = 1024 * 1024 * 1024;
const STACK_LIMIT = 1024 * 1024;
const DEADLINE_MS = 60_000;

await runEngine("quickjs", async ({ json }) => {
  const quickjs = await getQuickJS();

  function newRuntime() {
    const runtime = quickjs.newRuntime();
    runtime.setMemoryLimit(MEMORY_LIMIT);
    runtime.setMaxStackSize(STACK_LIMIT);
    return runtime;
  }

  /** Evaluates `code` in `context`; returns its value copied out (or nothing with compileOnly). */
  function evaluateIn(runtime, context, code, options = {}) {
    runtime.setInterruptHandler(shouldInterruptAfterDeadline(Date.now() + DEADLINE_MS));
    const result = context.evalCode(code, "program.js", options);
    if (result.error) {
      const error = context.dump(result.error);
      result.error.dispose();
      throw new Error(`quickjs: ${JSON.stringify(error)}`);
    }
    const value = options.compileOnly ? undefined : context.dump(result.value);
    result.value.dispose();
    return value;
  }

  /** Copies the JSON text into the sandbox and parses it there; returns the handle of the result. */
  function parseInside(context, text) {
    const string = context.newString(text);
    const JSONObject = context.getProp(context.global, "JSON");
    const parse = context.getProp(JSONObject, "parse");
    const result = context.callFunction(parse, JSONObject, string);
    string.dispose();
    parse.dispose();
    JSONObject.dispose();
    if (result.error) {
      result.error.dispose();
      throw new Error("quickjs: JSON.parse failed");
    }
    return result.value;
  }

  const runtime = newRuntime();
  const context = runtime.newContext();
  const parsed = parseInside(context, json);
  context.setProp(context.global, "data", parsed);
  parsed.dispose();
  const iife = (body) => `(function () {\n${body}\n})()`;
  const run = (body) => () => evaluateIn(runtime, context, iife(body));
  const big = javascriptProgram(BIG_BLOCKS);
  const shared = newRuntime();

  return {
    version,
    notes: {
      abc: "evalCode of (function () { body })() per iteration in one sandbox holding the data",
      d: "evalCode with compileOnly: parse + bytecode generation",
      e: "a new context in a shared runtime + evalCode + dispose",
      e2: "a new runtime (memory and stack limits, deadline) + context + evalCode + dispose",
      f: "text copied in, JSON.parse inside the sandbox, .orders.length",
      t: "not measured",
    },
    workloads: {
      a: { step: run(JAVASCRIPT.a) },
      b: { step: run(JAVASCRIPT.b) },
      c: { step: run(JAVASCRIPT.c) },
      d: {
        step: () => evaluateIn(runtime, context, big, { compileOnly: true }),
        verify: () => evaluateIn(runtime, context, iife(`${big}\nreturn ${javascriptMain(BIG_BLOCKS)};`)),
      },
      e: {
        step: () => {
          const fresh = shared.newContext();
          try {
            return evaluateIn(shared, fresh, iife(JAVASCRIPT.e));
          } finally {
            fresh.dispose();
          }
        },
      },
      e2: {
        step: () => {
          const freshRuntime = newRuntime();
          const fresh = freshRuntime.newContext();
          try {
            return evaluateIn(freshRuntime, fresh, iife(JAVASCRIPT.e));
          } finally {
            fresh.dispose();
            freshRuntime.dispose();
          }
        },
      },
      f: {
        step: () => {
          const handle = parseInside(context, json);
          try {
            const orders = context.getProp(handle, "orders");
            const length = context.getProp(orders, "length");
            orders.dispose();
            const count = context.getNumber(length);
            length.dispose();
            return count;
          } finally {
            handle.dispose();
          }
        },
      },
      ga: { step: run(JAVASCRIPT.ga) },
      gc: { step: run(JAVASCRIPT.gc) },
    },
    skipped: {
      t: "not measured: the synchronous build used here cannot await a host async function (that takes the asyncify build)",
    },
  };
});
