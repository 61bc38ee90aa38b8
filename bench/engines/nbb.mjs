/**
 * nbb: SCI (the Small Clojure Interpreter) compiled to JavaScript, on Node. It analyzes forms
 * into closures and evaluates them, with ClojureScript's persistent collections. Not a sandbox:
 * its js/ interop reaches the whole process. The data lives in a namespace `data`, so the
 * Clojure programs read `data/orders` exactly as they do in ptc-lisp.
 *
 * Two variants, one process each (the run's settings name it): "codegen", nbb as shipped, with
 * SCI's JavaScript code generator on (by default it turns some forms, such as `loop`, into
 * JavaScript source run through `new Function`); "interpreter", with
 * `globalThis.SCI_DISABLE_JIT = true` set before SCI loads, so SCI only interprets.
 */
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { BIG_BLOCKS, CLOJURE, clojureMain, clojureProgram } from "../workloads.mjs";
import { readSettings, runEngine } from "./child.mjs";

const interpreter = readSettings().variant === "interpreter";
if (interpreter) globalThis.SCI_DISABLE_JIT = true;
const { loadString } = await import("nbb");

const require = createRequire(import.meta.url);
const version = JSON.parse(readFileSync(require.resolve("nbb/package.json"), "utf8")).version;

await runEngine(interpreter ? "nbb-interpreter" : "nbb", async ({ json }) => {
  globalThis.benchInput = json;
  await loadString(
    "(ns data) (def orders (:orders (js->clj (js/JSON.parse js/globalThis.benchInput) :keywordize-keys true))) (ns user)",
  );
  const toJs = await loadString("(fn [value] (clj->js value))");
  const freshEval = await loadString("(require '[sci.core :as sci]) (fn [source] (sci/eval-string source))");
  const ingest = await loadString("(fn [text] (count (:orders (js->clj (js/JSON.parse text) :keywordize-keys true))))");
  const big = clojureProgram(BIG_BLOCKS);
  const fromSource = (source) => ({ step: () => loadString(source), convert: toJs });
  return {
    version: `${version}${interpreter ? ", SCI_DISABLE_JIT" : ""}`,
    notes: {
      abc: "load-string of the source per iteration: read + analyze + evaluate",
      d: "load-string of the 20 defns: read + analyze + define the vars (nbb analyzes as it evaluates)",
      e: "sci/eval-string: a new SCI context per call, read + analyze + evaluate",
      e2: "the same operation as (e)",
      f: "JSON.parse + js->clj with keyword keys, count of :orders",
      t: "not measured",
    },
    workloads: {
      a: fromSource(CLOJURE.a),
      b: fromSource(CLOJURE.b),
      c: fromSource(CLOJURE.c),
      d: {
        step: () => loadString(big),
        verify: async () => toJs(await loadString(`${big}\n${clojureMain(BIG_BLOCKS)}`)),
      },
      e: { step: () => freshEval(CLOJURE.e) },
      e2: { step: () => freshEval(CLOJURE.e) },
      f: { step: () => ingest(json) },
      ga: fromSource(CLOJURE.ga),
      gc: fromSource(CLOJURE.gc),
    },
    skipped: {
      t: "not measured: awaiting a host function in a loop takes promise interop (promesa), not the Clojure program ptc-lisp runs",
    },
  };
});
