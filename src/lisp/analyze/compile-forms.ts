import { EvalError, LispError, makeError, ToolError } from "../../errors/errors.js";
import { describeValue, seqResult } from "../builtins/support.js";
import { type Arity, Closure, type Exec, RECUR } from "../eval/closure.js";
import { anyResumable, genOf, resumableAll, resumableOf, run, type Step, withGen } from "../eval/resumable.js";
import { type Frame, rt, Suspend } from "../eval/runtime.js";
import { ThrownValue } from "../eval/signals.js";
import { equals } from "../values/equality.js";
import { Atom, ExInfo, Keyword, keySlot, PMap, type Value, Var } from "../values/value.js";
import { type Binder, compilePattern, plainSlotOf } from "./destructure.js";
import { constant, located } from "./exec-support.js";
import { fusedLoop, fusedPlan } from "./fused-loop.js";
import type {
  BindingStep,
  CaseNode,
  DefNode,
  DefnNode,
  FnArity,
  FnNode,
  IfNode,
  LetfnNode,
  LetNode,
  LoopNode,
  Node,
  RecurNode,
  ShortCircuitNode,
  ThrowNode,
  TryNode,
} from "./ir.js";
import { readRaw } from "./scope.js";

/** What the special forms' closures need of the compiler (`compile-node.ts`). */
export interface CompilerApi {
  compile(node: Node): Exec;
  compileAll(nodes: readonly Node[]): Exec[];
  /** Nodes in sequence, the value of the last (nil when empty). */
  body(nodes: readonly Node[]): Exec;
}

interface Step1 {
  readonly init: Exec;
  readonly bind: Binder;
}
export type Steps = readonly Step1[];

export function compileSteps(c: CompilerApi, steps: readonly BindingStep[]): Step1[] {
  const compile = (node: Node) => c.compile(node);
  return steps.map((step) => ({ init: c.compile(step.init), bind: compilePattern(step.pattern, compile) }));
}

/** The resumable form of binding `steps` then running `body`, if any of them can reach a tool call. */
function resumableBindings(steps: Steps, body: Exec): ((f: Frame) => Step) | undefined {
  const inits = steps.map((step) => step.init);
  if (!anyResumable([...inits, body])) return undefined;
  const gens = resumableAll(inits);
  const bodyGen = resumableOf(body);
  return function* (f) {
    for (let i = 0; i < gens.length; i++) (steps[i] as Step1).bind(f, yield* (gens[i] as (f: Frame) => Step)(f));
    return yield* bodyGen(f);
  };
}

/** `exec` with the resumable form `gen`, when there is one. */
function maybeWithGen(exec: Exec, gen: ((f: Frame) => Step) | undefined): Exec {
  return gen === undefined ? exec : withGen(exec, gen);
}

export function compileLet(c: CompilerApi, node: LetNode): Exec {
  const steps = compileSteps(c, node.bindings);
  const body = c.body(node.body);
  return maybeWithGen(letSync(steps, body), resumableBindings(steps, body));
}

function letSync(steps: Steps, body: Exec): Exec {
  if (steps.length === 1) {
    const { init, bind } = steps[0] as Step1;
    const slot = plainSlotOf(bind);
    if (slot !== undefined) {
      return (f) => {
        f.slots[slot] = init(f);
        return body(f);
      };
    }
    return (f) => {
      bind(f, init(f));
      return body(f);
    };
  }
  return (f) => {
    for (const step of steps) step.bind(f, step.init(f));
    return body(f);
  };
}

export function compileLoop(c: CompilerApi, node: LoopNode): Exec {
  const steps = compileSteps(c, node.bindings);
  const body = c.body(node.body);
  const inPlace = node.inPlace !== undefined;
  const plan = fusedPlan(node);
  const sync =
    plan === undefined
      ? loopSync(steps, body, inPlace)
      : fusedLoop(plan, steps, inPlaceTurns(body), c.compile(plan.exit));
  return located(maybeWithGen(sync, resumableLoop(steps, body, inPlace)), node.span);
}

function resumableLoop(steps: Steps, body: Exec, inPlace: boolean): ((f: Frame) => Step) | undefined {
  const start = resumableBindings(steps, constant(null));
  if (start === undefined && genOf(body) === undefined) return undefined;
  const bodyGen = resumableOf(body);
  const count = steps.length;
  return function* (f) {
    if (start !== undefined) yield* start(f);
    else for (const step of steps) step.bind(f, step.init(f));
    for (;;) {
      const value = yield* bodyGen(f);
      if (value !== RECUR) return value;
      rt.budget.charge(1);
      if (inPlace) continue;
      const args = rt.recurArgs;
      for (let i = 0; i < count; i++) (steps[i] as Step1).bind(f, args[i] as Value);
    }
  };
}

/** The turns of a loop whose `recur` writes its slots itself, from its names' first values on. */
function inPlaceTurns(body: Exec): Exec {
  return (f) => {
    const budget = rt.budget;
    for (;;) {
      const value = body(f);
      if (value !== RECUR) return value;
      budget.charge(1);
    }
  };
}

function loopSync(steps: Steps, body: Exec, inPlace: boolean): Exec {
  const count = steps.length;
  if (inPlace) {
    const turns = inPlaceTurns(body);
    return (f) => {
      for (const step of steps) step.bind(f, step.init(f));
      return turns(f);
    };
  }
  return (f) => {
    for (const step of steps) step.bind(f, step.init(f));
    const budget = rt.budget;
    for (;;) {
      const value = body(f);
      if (value !== RECUR) return value;
      budget.charge(1);
      const args = rt.recurArgs;
      for (let i = 0; i < count; i++) (steps[i] as Step1).bind(f, args[i] as Value);
    }
  };
}

export function compileRecur(c: CompilerApi, node: RecurNode): Exec {
  const args = c.compileAll(node.args);
  const count = args.length;
  const slots = node.slots;
  const exec: Exec =
    slots === undefined
      ? (f) => {
          const values = new Array<Value>(count);
          for (let i = 0; i < count; i++) values[i] = (args[i] as Exec)(f);
          rt.recurArgs = values;
          return RECUR;
        }
      : recurInPlace(args, slots);
  if (!anyResumable(args)) return exec;
  const gens = resumableAll(args);
  return withGen(exec, function* (f) {
    const values = new Array<Value>(count);
    for (let i = 0; i < count; i++) values[i] = yield* (gens[i] as (f: Frame) => Step)(f);
    if (slots === undefined) rt.recurArgs = values;
    else for (let i = 0; i < count; i++) f.slots[slots[i] as number] = values[i] as Value;
    return RECUR;
  });
}

/** `recur` into plain slots: every value is evaluated before any slot is written. */
function recurInPlace(args: readonly Exec[], slots: readonly number[]): Exec {
  const [a, b, c] = args as [Exec, Exec, Exec];
  const [sa, sb, sc] = slots as [number, number, number];
  switch (args.length) {
    case 0:
      return (_f) => RECUR;
    case 1:
      return (f) => {
        f.slots[sa] = a(f);
        return RECUR;
      };
    case 2:
      return (f) => {
        const x = a(f);
        const y = b(f);
        f.slots[sa] = x;
        f.slots[sb] = y;
        return RECUR;
      };
    case 3:
      return (f) => {
        const x = a(f);
        const y = b(f);
        const z = c(f);
        f.slots[sa] = x;
        f.slots[sb] = y;
        f.slots[sc] = z;
        return RECUR;
      };
  }
  const count = args.length;
  return (f) => {
    const values = new Array<Value>(count);
    for (let i = 0; i < count; i++) values[i] = (args[i] as Exec)(f);
    for (let i = 0; i < count; i++) f.slots[slots[i] as number] = values[i] as Value;
    return RECUR;
  };
}

export function compileIf(c: CompilerApi, node: IfNode): Exec {
  const test = c.compile(node.test);
  const then = c.compile(node.then);
  const otherwise = node.else === null ? constant(null) : c.compile(node.else);
  const exec: Exec = (f) => {
    const value = test(f);
    return value !== null && value !== false ? then(f) : otherwise(f);
  };
  if (!anyResumable([test, then, otherwise])) return exec;
  const [testGen, thenGen, otherwiseGen] = resumableAll([test, then, otherwise]) as [
    (f: Frame) => Step,
    (f: Frame) => Step,
    (f: Frame) => Step,
  ];
  return withGen(exec, function* (f) {
    const value = yield* testGen(f);
    return value !== null && value !== false ? yield* thenGen(f) : yield* otherwiseGen(f);
  });
}

export function compileShortCircuit(c: CompilerApi, node: ShortCircuitNode): Exec {
  const execs = c.compileAll(node.items);
  if (node.kind === "and") {
    if (execs.length === 0) return constant(true);
    return maybeWithGen(
      (f) => {
        let value: Value = true;
        for (const exec of execs) {
          value = exec(f);
          if (value === null || value === false) return value;
        }
        return value;
      },
      shortCircuit(execs, false),
    );
  }
  if (execs.length === 0) return constant(null);
  return maybeWithGen(
    (f) => {
      let value: Value = null;
      for (const exec of execs) {
        value = exec(f);
        if (value !== null && value !== false) return value;
      }
      return value;
    },
    shortCircuit(execs, true),
  );
}

/** The resumable form of `and` (`stopOnTruthy` false) or `or` (true). */
function shortCircuit(execs: readonly Exec[], stopOnTruthy: boolean): ((f: Frame) => Step) | undefined {
  if (!anyResumable(execs)) return undefined;
  const gens = resumableAll(execs);
  return function* (f) {
    let value: Value = stopOnTruthy ? null : true;
    for (const gen of gens) {
      value = yield* gen(f);
      if ((value !== null && value !== false) === stopOnTruthy) return value;
    }
    return value;
  };
}

export function compileThrow(c: CompilerApi, node: ThrowNode): Exec {
  const value = c.compile(node.value);
  const gen = genOf(value);
  return maybeWithGen(
    (f) => {
      throw new ThrownValue(value(f));
    },
    gen === undefined
      ? undefined
      : function* (f) {
          throw new ThrownValue(yield* gen(f));
        },
  );
}

/** The value a `catch` binds for an error: the thrown value, or an ex-info built from a runtime error. */
function caughtValue(error: unknown): Value | undefined {
  if (error instanceof ThrownValue) return error.value;
  if (error instanceof EvalError || error instanceof ToolError) {
    const data = PMap.EMPTY.assoc(Keyword.of("code"), Keyword.of(error.code));
    return new ExInfo(error.message, error instanceof ToolError ? data.assoc(Keyword.of("tool"), error.tool) : data);
  }
  return undefined;
}

interface Catch {
  readonly onlyExInfo: boolean;
  readonly slot: number;
  readonly handler: Exec;
}

export function compileTry(c: CompilerApi, node: TryNode): Exec {
  const catches: Catch[] = node.catches.map((clause) => ({
    onlyExInfo: clause.onlyExInfo,
    slot: clause.binding.slot,
    handler: c.body(clause.body),
  }));
  const cleanup = node.finally === null ? undefined : c.body(node.finally);
  const body = c.body(node.body);
  const guarded: Exec =
    catches.length === 0
      ? body
      : (f) => {
          const depth = rt.budget.depth;
          try {
            return body(f);
          } catch (error) {
            // Calls that threw left the depth raised (see `Closure.invoke`).
            rt.budget.depth = depth;
            const value = caughtValue(error);
            if (value === undefined) throw error;
            for (const clause of catches) {
              if (clause.onlyExInfo && !(value instanceof ExInfo)) continue;
              f.slots[clause.slot] = value;
              return clause.handler(f);
            }
            throw error;
          }
        };
  const resumable = resumableTry(body, catches, cleanup);
  if (cleanup === undefined) return maybeWithGen(guarded, resumable);
  return maybeWithGen((f) => {
    const depth = rt.budget.depth;
    let value: Value;
    try {
      value = guarded(f);
    } catch (error) {
      rt.budget.depth = depth;
      if (runsFinally(error)) cleanup(f);
      throw error;
    }
    cleanup(f);
    return value;
  }, resumable);
}

/**
 * `finally` runs when the body completes or throws, but not when the body is suspended for a
 * tool call (it has not finished; it will run again) nor when the run itself ends on a limit
 * or an abort.
 */
function runsFinally(error: unknown): boolean {
  return (
    !(error instanceof Suspend) &&
    !(error instanceof LispError && !(error instanceof EvalError) && !(error instanceof ToolError))
  );
}

/** The resumable form of `try`, when its body, a handler or `finally` can reach a tool call. */
function resumableTry(
  body: Exec,
  catches: readonly Catch[],
  cleanup: Exec | undefined,
): ((f: Frame) => Step) | undefined {
  const handlers = catches.map((clause) => clause.handler);
  if (!anyResumable([body, ...handlers, cleanup])) return undefined;
  const bodyGen = resumableOf(body);
  const handlerGens = resumableAll(handlers);
  const cleanupGen = cleanup === undefined ? undefined : resumableOf(cleanup);
  function* guarded(f: Frame): Step {
    const depth = rt.budget.depth;
    try {
      return yield* bodyGen(f);
    } catch (error) {
      if (error instanceof Suspend) throw error;
      rt.budget.depth = depth;
      const value = caughtValue(error);
      if (value === undefined) throw error;
      for (let i = 0; i < catches.length; i++) {
        const clause = catches[i] as { onlyExInfo: boolean; slot: number };
        if (clause.onlyExInfo && !(value instanceof ExInfo)) continue;
        f.slots[clause.slot] = value;
        return yield* (handlerGens[i] as (f: Frame) => Step)(f);
      }
      throw error;
    }
  }
  if (cleanupGen === undefined) return guarded;
  return function* (f) {
    const depth = rt.budget.depth;
    let value: Value;
    try {
      value = yield* guarded(f);
    } catch (error) {
      if (runsFinally(error)) {
        rt.budget.depth = depth;
        yield* cleanupGen(f);
      }
      throw error;
    }
    yield* cleanupGen(f);
    return value;
  };
}

/** Compiles one arity: its binders, its body and the body's resumable form. */
function compileArity(c: CompilerApi, arity: FnArity): Arity {
  const compile = (node: Node) => c.compile(node);
  const positional = arity.params.map((pattern) => compilePattern(pattern, compile));
  const restBinder = arity.rest === null ? undefined : compilePattern(arity.rest, compile);
  const required = positional.length;
  const body = c.body(arity.body);
  const bindCall = (frame: Frame, args: Value[]) => {
    for (let i = 0; i < required; i++) (positional[i] as Binder)(frame, args[i] as Value);
    if (restBinder !== undefined) restBinder(frame, args.length > required ? seqResult(args.slice(required)) : null);
  };
  const bindRecur =
    restBinder === undefined
      ? bindCall
      : (frame: Frame, args: Value[]) => {
          for (let i = 0; i < required; i++) (positional[i] as Binder)(frame, args[i] as Value);
          restBinder(frame, args[required] as Value);
        };
  const gen = genOf(body);
  return {
    required,
    variadic: restBinder !== undefined,
    simple: arity.simple,
    slots: arity.slots,
    bindCall,
    bindRecur,
    body,
    spare: [],
    ...(gen === undefined ? {} : { gen }),
  };
}

/** A closure's creation: its arities compiled once, its captured values read when it is made. */
export function compileFn(c: CompilerApi, node: FnNode): Exec {
  const fixed: (Arity | undefined)[] = [];
  let variadic: Arity | null = null;
  for (const arity of node.arities) {
    const compiled = compileArity(c, arity);
    if (compiled.variadic) variadic = compiled;
    else fixed[compiled.required] = compiled;
  }
  const readers = node.captures.map((ref) => readRaw(ref));
  const name = node.name;
  const finalVariadic = variadic;
  const count = readers.length;
  return count === 0
    ? (_f) => new Closure(name, fixed, finalVariadic, [])
    : (f) => {
        const captured = new Array<Value>(count);
        for (let k = 0; k < count; k++) captured[k] = (readers[k] as Exec)(f);
        return new Closure(name, fixed, finalVariadic, captured);
      };
}

export function compileDef(c: CompilerApi, node: DefNode): Exec {
  const index = node.index;
  const value = node.value === null ? constant(null) : c.compile(node.value);
  const variable = new Var(node.name);
  const gen = genOf(value);
  return maybeWithGen(
    (f) => {
      rt.setGlobal(index, value(f));
      return variable;
    },
    gen === undefined
      ? undefined
      : function* (f) {
          rt.setGlobal(index, yield* gen(f));
          return variable;
        },
  );
}

export function compileDefn(c: CompilerApi, node: DefnNode): Exec {
  const index = node.index;
  const exec = compileFn(c, node.fn);
  const variable = new Var(node.name);
  return (f) => {
    rt.setGlobal(index, exec(f));
    return variable;
  };
}

export function compileLetfn(c: CompilerApi, node: LetfnNode): Exec {
  const entries = node.fns.map((entry) => ({ slot: entry.binding.slot, exec: compileFn(c, entry.fn) }));
  const body = c.body(node.body);
  const define = (f: Frame): void => {
    for (const { slot } of entries) f.slots[slot] = new Atom(null);
    for (const { slot, exec } of entries) (f.slots[slot] as Atom).value = exec(f);
  };
  const gen = genOf(body);
  return maybeWithGen(
    (f) => {
      define(f);
      return body(f);
    },
    gen === undefined
      ? undefined
      : function* (f) {
          define(f);
          return yield* gen(f);
        },
  );
}

export function compileCase(c: CompilerApi, node: CaseNode): Exec {
  const expr = c.compile(node.expr);
  const table = new Map<unknown, { value: Value; branch: number }[]>();
  const branches: Exec[] = [];
  for (const clause of node.clauses) {
    const branch = branches.length;
    branches.push(c.compile(clause.body));
    for (const value of clause.tests) {
      const slot = keySlot(value);
      const bucket = table.get(slot) ?? [];
      bucket.push({ value, branch });
      table.set(slot, bucket);
    }
  }
  const fallback = node.default === null ? undefined : c.compile(node.default);
  /** The exec of the branch `value` selects. */
  const select = (value: Value): Exec => {
    const bucket = table.get(keySlot(value));
    if (bucket !== undefined) {
      for (const entry of bucket) if (equals(entry.value, value)) return branches[entry.branch] as Exec;
    }
    if (fallback !== undefined) return fallback;
    throw makeError("no_matching_clause", { form: "case", value: describeValue(value) });
  };
  const exec: Exec = (f) => select(expr(f))(f);
  if (!anyResumable([expr, ...branches, fallback])) return exec;
  const exprGen = resumableOf(expr);
  return withGen(exec, function* (f) {
    const branch = select(yield* exprGen(f));
    return yield* run(branch, f);
  });
}
