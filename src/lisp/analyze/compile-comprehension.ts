import { memoLazy } from "../builtins/sequences.js";
import { seqItems, seqResult } from "../builtins/support.js";
import type { Exec } from "../eval/closure.js";
import { anyResumable, resumableOf, run, type Step, withGen } from "../eval/resumable.js";
import { CURRENT, type Frame, type PendingCall, rt } from "../eval/runtime.js";
import { isTruthy, LazySeq, type Value } from "../values/value.js";
import { type CompilerApi, compileSteps, type Steps } from "./compile-forms.js";
import type { Binder } from "./destructure.js";
import { compilePattern } from "./destructure.js";
import type { ComprehensionNode, Node } from "./ir.js";

/** `for` and `doseq`: nested iteration over their levels, with `:let`, `:when` and `:while`. */

interface Level {
  readonly coll: Exec;
  readonly bind: Binder;
  readonly modifiers: readonly ({ kind: "when" | "while"; test: Exec } | { kind: "let"; steps: Steps })[];
}

function compileLevels(c: CompilerApi, node: ComprehensionNode): Level[] {
  const compile = (child: Node) => c.compile(child);
  return node.levels.map((level) => ({
    coll: c.compile(level.coll),
    bind: compilePattern(level.pattern, compile),
    modifiers: level.modifiers.map((modifier) =>
      modifier.kind === "let"
        ? { kind: "let" as const, steps: compileSteps(c, modifier.bindings) }
        : { kind: modifier.kind, test: c.compile(modifier.test) },
    ),
  }));
}

/** What a level's modifiers say of the element just bound: take it, skip it (`:when`), or end the level (`:while`). */
const TAKE = 0;
const SKIP = 1;
const END = 2;

/** Runs a level's modifiers on the element just bound (`:let` binds, `:when` and `:while` test). */
function admit(level: Level, f: Frame): number {
  for (const modifier of level.modifiers) {
    if (modifier.kind === "let") {
      for (const step of modifier.steps) step.bind(f, step.init(f));
    } else if (!isTruthy(modifier.test(f))) {
      return modifier.kind === "when" ? SKIP : END;
    }
  }
  return TAKE;
}

function iterate(levels: readonly Level[], depth: number, f: Frame, visit: (f: Frame) => void, name: string): void {
  const level = levels[depth] as Level;
  const items = seqItems(rt, name, level.coll(f));
  const last = depth === levels.length - 1;
  for (let i = 0; i < items.length; i++) {
    rt.charge(1);
    level.bind(f, items[i] as Value);
    const verdict = admit(level, f);
    if (verdict === SKIP) continue;
    if (verdict === END) return;
    if (last) visit(f);
    else iterate(levels, depth + 1, f, visit, name);
  }
}

/** `iterate`, resumably: collections, tests, `:let` inits and the body may reach tool calls. */
function* iterateResumably(
  levels: readonly Level[],
  depth: number,
  f: Frame,
  visit: (f: Frame) => Step,
  name: string,
  given?: Value,
): Generator<PendingCall[], void, void> {
  const level = levels[depth] as Level;
  const coll = given === undefined ? yield* run(level.coll, f) : given;
  // A copy: the body runs across tool rounds, while other code may append to a shared array.
  const items = seqItems(CURRENT, name, coll).slice();
  const last = depth === levels.length - 1;
  outer: for (let i = 0; i < items.length; i++) {
    rt.charge(1);
    level.bind(f, items[i] as Value);
    for (const modifier of level.modifiers) {
      if (modifier.kind === "let") {
        for (const step of modifier.steps) step.bind(f, yield* run(step.init, f));
      } else if (modifier.kind === "when") {
        if (!isTruthy(yield* run(modifier.test, f))) continue outer;
      } else if (!isTruthy(yield* run(modifier.test, f))) {
        return;
      }
    }
    if (last) yield* visit(f);
    else yield* iterateResumably(levels, depth + 1, f, visit, name);
  }
}

/** Every exec of the levels (collections, tests, `:let` inits), to tell whether any can reach a tool call. */
function levelExecs(levels: readonly Level[]): Exec[] {
  return levels.flatMap((level) => [
    level.coll,
    ...level.modifiers.flatMap((modifier) =>
      modifier.kind === "let" ? modifier.steps.map((step) => step.init) : [modifier.test],
    ),
  ]);
}

/**
 * `for`: a seq of the body's values, computed by `generate`. The elements are computed at once
 * (under the charges of a loop over them) until some level turns out to iterate an infinite lazy
 * seq (`(range)`, `iterate`...); from there the result is lazy, as Clojure's: the elements
 * computed so far, then the rest as far as a consumer pulls, so
 * `(take 3 (for [x (range) :when (odd? x)] x))` ends.
 */
export function compileFor(c: CompilerApi, node: ComprehensionNode): Exec {
  const levels = compileLevels(c, node);
  const body = c.body(node.body);
  const exec: Exec = (f) => {
    const { elements, state } = elementsOf(levels, body, f);
    const out: Value[] = [];
    for (;;) {
      const next = elements.next();
      if (next.done === true) break;
      if (next.value === FOUND_INFINITE) return lazyRest(out, elements, state.endless);
      out.push(next.value);
    }
    rt.alloc(out.length * 8);
    return seqResult(out);
  };
  if (!anyResumable([body, ...levelExecs(levels)])) return exec;
  const bodyGen = resumableOf(body);
  const first = levels[0] as Level;
  return withGen(exec, function* (f) {
    const coll = yield* run(first.coll, f);
    // Over an infinite seq, lazy as above (a tool call met while it is realized waits as any lazy seq's does).
    if (coll instanceof LazySeq && coll.infinite) {
      const { elements, state } = elementsOf(levels, body, f, coll);
      elements.next(); // FOUND_INFINITE, before any element is computed
      return lazyRest([], elements, state.endless);
    }
    const out: Value[] = [];
    yield* iterateResumably(
      levels,
      0,
      f,
      function* (frame) {
        out.push(yield* bodyGen(frame));
        return null;
      },
      "for",
      coll,
    );
    rt.alloc(out.length * 8);
    return seqResult(out);
  });
}

/**
 * The elements of a `for`, on its own copy of the frame: a lazy rest runs after the code around
 * it has moved on. `coll`, when given, is the first level's collection, already evaluated.
 */
function elementsOf(
  levels: readonly Level[],
  body: Exec,
  f: Frame,
  coll?: Value,
): { elements: Generator<Value>; state: Endless } {
  const own: Frame = { slots: f.slots.slice(), captured: f.captured, self: f.self };
  const state: Endless = { found: false, endless: false };
  return { elements: generate(levels, 0, own, body, state, coll), state };
}

/** Yielded once by `generate` when it meets an infinite seq, before pulling from it: the rest is lazy. */
const FOUND_INFINITE = Symbol("found an infinite seq") as unknown as Value;

/** Whether a level of a `for` iterates an infinite lazy seq, and whether the whole `for` then never ends. */
interface Endless {
  found: boolean;
  endless: boolean;
}

/** A `for` that met an infinite seq: the elements computed so far, then the rest on demand. */
function lazyRest(computed: readonly Value[], rest: Iterator<Value>, endless: boolean): LazySeq {
  return memoLazy(function* () {
    yield* computed;
    for (let next = rest.next(); next.done !== true; next = rest.next()) yield next.value;
  }, endless);
}

/**
 * The elements of a `for` from level `depth` down. A lazy seq at any level is pulled one element
 * at a time; a list, vector, map or set is walked as `doseq` walks it (one unit per element).
 */
function* generate(
  levels: readonly Level[],
  depth: number,
  f: Frame,
  body: Exec,
  state: Endless,
  given?: Value,
): Generator<Value> {
  const level = levels[depth] as Level;
  const coll = given === undefined ? level.coll(f) : given;
  let items: Iterable<Value>;
  if (coll instanceof LazySeq && coll.infinite) {
    if (!state.found) {
      state.found = true;
      // Only an endless first level (no :while to stop it) makes the whole seq endless.
      state.endless = depth === 0 && !level.modifiers.some((modifier) => modifier.kind === "while");
      yield FOUND_INFINITE;
    }
    items = coll;
  } else {
    items = seqItems(rt, "for", coll);
  }
  const last = depth === levels.length - 1;
  for (const item of items) {
    rt.charge(1);
    level.bind(f, item);
    const verdict = admit(level, f);
    if (verdict === SKIP) continue;
    if (verdict === END) return;
    if (last) yield body(f);
    else yield* generate(levels, depth + 1, f, body, state);
  }
}

export function compileDoseq(c: CompilerApi, node: ComprehensionNode): Exec {
  const levels = compileLevels(c, node);
  const body = c.body(node.body);
  const exec: Exec = (f) => {
    iterate(levels, 0, f, body, "doseq");
    return null;
  };
  if (!anyResumable([body, ...levelExecs(levels)])) return exec;
  const bodyGen = resumableOf(body);
  return withGen(exec, function* (f) {
    yield* iterateResumably(levels, 0, f, bodyGen, "doseq");
    return null;
  });
}
