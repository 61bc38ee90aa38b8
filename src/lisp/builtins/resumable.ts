import { makeError } from "../../errors/errors.js";
import { Closure } from "../eval/closure.js";
import { callResumably, type Step } from "../eval/resumable.js";
import { CallRound, CURRENT, type PendingCall, rt } from "../eval/runtime.js";
import { FailSignal, ReturnSignal } from "../eval/signals.js";
import { isTruthy, LazySeq, PVector, type Value } from "../values/value.js";
import { zipArgs } from "./control.js";
import { Reduced } from "./sequences.js";
import { seqItems, seqResult } from "./support.js";
import { TreeWalk, walkOnceResumably, walkResumably } from "./walk.js";

/**
 * Resumable forms of the builtins that call function arguments and are used to orchestrate
 * tools (`(mapv #(tool/get {:id %}) ids)`): each function call suspends in place, so a tool
 * call inside the callback costs no re-execution of the elements before it. Each form must
 * give exactly what the builtin's `impl` gives; it returns undefined for argument shapes it
 * does not cover (a lazy collection, several collections), and the builtin then runs as one
 * synchronous stretch (docs/adr/0003-resumable-tool-calls.md). Fuel and allocation are
 * charged by the caller, as for `impl`.
 */
export type Resume = (args: Value[]) => Step | undefined;

/**
 * Whether calling `f` can wait on a tool in place. Otherwise the builtin runs synchronously as
 * one stretch: cheaper per element, and re-run whole in the rare case that `f` still reaches a
 * tool (through a builtin without a resumable form).
 */
function resumes(f: Value): boolean {
  return f instanceof Closure && f.resumable;
}

/** The elements of a finite, already realized collection; undefined for a lazy seq. */
function eagerItems(fn: string, coll: Value): readonly Value[] | undefined {
  if (coll instanceof LazySeq) return undefined;
  // A copy: the callbacks run across tool rounds, while other code may append to a shared array.
  return seqItems(CURRENT, fn, coll).slice();
}

function mapping(fn: string, finish: (out: Value[]) => Value): Resume {
  return (args) => {
    if (args.length !== 2 || !resumes(args[0] as Value)) return undefined;
    const items = eagerItems(fn, args[1] as Value);
    if (items === undefined) return undefined;
    const f = args[0] as Value;
    return (function* () {
      const out: Value[] = [];
      for (const item of items) out.push(yield* callResumably(f, [item]));
      return finish(out);
    })();
  };
}

function filtering(fn: string, keep: boolean, finish: (out: Value[]) => Value): Resume {
  return (args) => {
    if (args.length !== 2 || !resumes(args[0] as Value)) return undefined;
    const items = eagerItems(fn, args[1] as Value);
    if (items === undefined) return undefined;
    const pred = args[0] as Value;
    return (function* () {
      const out: Value[] = [];
      for (const item of items) if (isTruthy(yield* callResumably(pred, [item])) === keep) out.push(item);
      return finish(out);
    })();
  };
}

/** `some`, `every?` and friends: stop at the first element whose test is `stopWhen`. */
function searching(fn: string, stopWhen: boolean, stopValue: (result: Value) => Value, otherwise: Value): Resume {
  return (args) => {
    if (!resumes(args[0] as Value)) return undefined;
    const items = eagerItems(fn, args[1] as Value);
    if (items === undefined) return undefined;
    const pred = args[0] as Value;
    return (function* () {
      for (const item of items) {
        const value = yield* callResumably(pred, [item]);
        if (isTruthy(value) === stopWhen) return stopValue(value);
      }
      return otherwise;
    })();
  };
}

const reduce: Resume = (args) => {
  const f = args[0] as Value;
  if (!resumes(f)) return undefined;
  const init = args.length === 3 ? (args[1] as Value) : undefined;
  const items = eagerItems("reduce", args[args.length - 1] as Value);
  if (items === undefined) return undefined;
  return (function* () {
    if (init === undefined && items.length === 0) return yield* callResumably(f, []);
    let acc = init === undefined ? (items[0] as Value) : init;
    for (let i = init === undefined ? 1 : 0; i < items.length; i++) {
      acc = yield* callResumably(f, [acc, items[i] as Value]);
      if (acc instanceof Reduced) return acc.value;
    }
    return acc;
  })();
};

const runBang: Resume = (args) => {
  if (!resumes(args[0] as Value)) return undefined;
  const items = eagerItems("run!", args[1] as Value);
  if (items === undefined) return undefined;
  const f = args[0] as Value;
  return (function* () {
    for (const item of items) if ((yield* callResumably(f, [item])) instanceof Reduced) break;
    return null;
  })();
};

/** Calls `f` in a parallel branch, where `return`/`fail` cannot end the program. */
function* branch(fn: string, f: Value, args: Value[]): Step {
  try {
    return yield* callResumably(f, args);
  } catch (error) {
    if (error instanceof ReturnSignal) throw makeError("control_in_parallel", { name: "return", fn });
    if (error instanceof FailSignal) throw makeError("control_in_parallel", { name: "fail", fn });
    throw error;
  }
}

/**
 * Runs branches in rounds: each takes a step until it waits on tools or ends; the calls of all
 * waiting branches are yielded together (made concurrently); then the waiting branches go on.
 * Each branch sees the globals as they were before the branches started.
 */
function* parallel(branches: Step[]): Step {
  const results: Value[] = new Array(branches.length);
  const snapshot = rt.globals.slice();
  let active = branches.map((_, i) => i);
  while (active.length > 0) {
    const round = new CallRound();
    const waiting: number[] = [];
    for (const i of active) {
      let step: IteratorResult<PendingCall[], Value>;
      try {
        step = (branches[i] as Step).next();
      } finally {
        for (let g = 0; g < snapshot.length; g++) rt.globals[g] = snapshot[g] as Value;
      }
      if (step.done) results[i] = step.value;
      else {
        round.add(step.value);
        waiting.push(i);
      }
    }
    if (!round.empty) yield round.list();
    active = waiting;
  }
  return seqResult(results);
}

/** `clojure.walk`'s postwalk and prewalk: the walk waits while the function waits on a tool. */
function walking(fn: string, pre: boolean): Resume {
  return ([f, form]) => {
    if (!resumes(f as Value)) return undefined;
    return walkResumably(new TreeWalk(CURRENT, fn, pre, form as Value), f as Value);
  };
}

/** Resumable forms by builtin name; the registry attaches each to its builtin (and fails on an unknown name). */
export const RESUMABLE: ReadonlyMap<string, Resume> = new Map<string, Resume>([
  ["map", mapping("map", seqResult)],
  ["mapv", mapping("mapv", (out) => PVector.from(out))],
  ["filter", filtering("filter", true, seqResult)],
  ["filterv", filtering("filterv", true, (out) => PVector.from(out))],
  ["remove", filtering("remove", false, seqResult)],
  [
    "keep",
    (args) =>
      args.length !== 2 ? undefined : mapping("keep", (out) => seqResult(out.filter((value) => value !== null)))(args),
  ],
  ["reduce", reduce],
  ["run!", runBang],
  ["some", searching("some", true, (value) => value, null)],
  ["every?", searching("every?", false, () => false, true)],
  ["not-every?", searching("not-every?", false, () => true, false)],
  ["not-any?", searching("not-any?", true, () => false, true)],
  [
    "pmap",
    (args) => {
      const f = args[0] as Value;
      const colls = args.slice(1);
      if (colls.some((coll) => coll instanceof LazySeq)) return undefined;
      const tuples = zipArgs(CURRENT, "pmap", colls);
      return parallel(tuples.map((tuple) => branch("pmap", f, tuple)));
    },
  ],
  ["pcalls", (fns) => parallel(fns.map((f) => branch("pcalls", f, [])))],
  ["clojure.walk/postwalk", walking("clojure.walk/postwalk", false)],
  ["clojure.walk/prewalk", walking("clojure.walk/prewalk", true)],
  [
    "clojure.walk/walk",
    ([inner, outer, form]) =>
      resumes(inner as Value) || resumes(outer as Value)
        ? walkOnceResumably(CURRENT, inner as Value, outer as Value, form as Value)
        : undefined,
  ],
]);
