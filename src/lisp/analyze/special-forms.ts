import { EvalError, LispError, makeError, ToolError } from "../../errors/errors.js";
import type { FnLiteralForm, Form, ListForm, VectorForm } from "../ast/nodes.js";
import { describeValue, seqItems, seqResult } from "../builtins/support.js";
import type { FormDoc } from "../builtins/types.js";
import { type Arity, Closure, type Exec, RECUR } from "../eval/closure.js";
import { anyResumable, genOf, resumableAll, resumableOf, run, type Step, withGen } from "../eval/resumable.js";
import { CURRENT, type Frame, type PendingCall, rt, Suspend } from "../eval/runtime.js";
import { ThrownValue } from "../eval/signals.js";
import { equals } from "../values/equality.js";
import { Atom, ExInfo, isTruthy, Keyword, keySlot, PMap, type Value, Var } from "../values/value.js";
import type { AnalyzerApi as Analyzer, Ctx } from "./context.js";
import { type Binder, compilePattern, plainSlotOf } from "./destructure.js";
import { constant, formToValue } from "./exec-support.js";
import { fnLiteralPlaceholders } from "./fn-literal.js";
import { Binding, FnScope, LexScope, readRaw } from "./scope.js";

export type SpecialForm = (analyzer: Analyzer, form: ListForm, ctx: Ctx, literal?: FnLiteralForm) => Exec;

function nonTail(ctx: Ctx): Ctx {
  return ctx.tail ? { ...ctx, tail: false } : ctx;
}

function patternFault(analyzer: Analyzer, name: string) {
  return (form: Form, reason: string) => {
    analyzer.invalid(name, reason, form.span);
  };
}

/** Analyzes `[p1 e1 p2 e2 ...]` into binders in a new scope; returns the scope and a binding step. */
function bindings(
  analyzer: Analyzer,
  name: string,
  vector: Form | undefined,
  ctx: Ctx,
  span: Form["span"],
): { scope: LexScope; steps: { init: Exec; bind: Binder }[] } | undefined {
  if (vector?.kind !== "vector") {
    analyzer.invalid(name, "expects a binding vector", vector?.span ?? span);
    return undefined;
  }
  if (vector.items.length % 2 !== 0) {
    analyzer.invalid(name, "binding vector needs an even number of forms", vector.span);
    return undefined;
  }
  const scope = new LexScope(ctx.scope, ctx.scope.fn);
  const steps: { init: Exec; bind: Binder }[] = [];
  const fault = patternFault(analyzer, name);
  for (let i = 0; i < vector.items.length; i += 2) {
    const init = analyzer.analyze(vector.items[i + 1] as Form, { ...nonTail(ctx), scope });
    const bind = compilePattern(vector.items[i] as Form, scope, fault, (f, s) =>
      analyzer.analyze(f, { ...nonTail(ctx), scope: s }),
    );
    steps.push({ init, bind });
  }
  return { scope, steps };
}

type Steps = readonly { init: Exec; bind: Binder }[];

/** The resumable form of binding `steps` then running `body`, if any of them can reach a tool call. */
function resumableBindings(steps: Steps, body: Exec): ((f: Frame) => Step) | undefined {
  const inits = steps.map((step) => step.init);
  if (!anyResumable([...inits, body])) return undefined;
  const gens = resumableAll(inits);
  const bodyGen = resumableOf(body);
  return function* (f) {
    for (let i = 0; i < gens.length; i++)
      (steps[i] as { bind: Binder }).bind(f, yield* (gens[i] as (f: Frame) => Step)(f));
    return yield* bodyGen(f);
  };
}

/** `exec` with the resumable form `gen`, when there is one. */
function maybeWithGen(exec: Exec, gen: ((f: Frame) => Step) | undefined): Exec {
  return gen === undefined ? exec : withGen(exec, gen);
}

const letForm: SpecialForm = (analyzer, form, ctx) => {
  const result = bindings(analyzer, "let", form.items[1], ctx, form.span);
  if (result === undefined) return constant(null);
  const body = analyzer.body(form.items.slice(2), { ...ctx, scope: result.scope });
  return maybeWithGen(letSync(result.steps, body), resumableBindings(result.steps, body));
};

function letSync(steps: Steps, body: Exec): Exec {
  if (steps.length === 1) {
    const { init, bind } = steps[0] as { init: Exec; bind: Binder };
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

const loopForm: SpecialForm = (analyzer, form, ctx) => {
  const result = bindings(analyzer, "loop", form.items[1], ctx, form.span);
  if (result === undefined) return constant(null);
  const steps = result.steps;
  const slots = steps.map((step) => plainSlotOf(step.bind));
  // Plain symbol bindings (the common loop): `recur` writes the slots itself.
  const inPlace = slots.every((slot) => slot !== undefined) ? (slots as number[]) : undefined;
  const body = analyzer.body(form.items.slice(2), {
    ...ctx,
    scope: result.scope,
    tail: true,
    recur: inPlace === undefined ? { arity: steps.length } : { arity: steps.length, slots: inPlace },
  });
  const inPlaceBody = inPlace !== undefined;
  return maybeWithGen(loopSync(steps, body, inPlaceBody), resumableLoop(steps, body, inPlaceBody));
};

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
      for (let i = 0; i < count; i++) (steps[i] as { bind: Binder }).bind(f, args[i] as Value);
    }
  };
}

function loopSync(steps: Steps, body: Exec, inPlace: boolean): Exec {
  const count = steps.length;
  if (inPlace) {
    return (f) => {
      for (const step of steps) step.bind(f, step.init(f));
      const budget = rt.budget;
      for (;;) {
        const value = body(f);
        if (value !== RECUR) return value;
        budget.charge(1);
      }
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
      for (let i = 0; i < count; i++) (steps[i] as { bind: Binder }).bind(f, args[i] as Value);
    }
  };
}

const recurForm: SpecialForm = (analyzer, form, ctx) => {
  if (ctx.recur === null) return analyzer.report("recur_outside_loop", {}, form.span);
  if (!ctx.tail) return analyzer.report("recur_not_tail", {}, form.span);
  const args = analyzer.analyzeAll(form.items.slice(1), nonTail(ctx));
  if (args.length !== ctx.recur.arity) {
    return analyzer.report("recur_arity", { expected: ctx.recur.arity, actual: args.length }, form.span);
  }
  const count = args.length;
  const slots = ctx.recur.slots;
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
};

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

const ifForm: SpecialForm = (analyzer, form, ctx) => {
  if (form.items.length < 3 || form.items.length > 4) {
    return analyzer.invalid("if", "expects a test, a then branch and an optional else branch", form.span);
  }
  const test = analyzer.analyze(form.items[1] as Form, nonTail(ctx));
  const then = analyzer.analyze(form.items[2] as Form, ctx);
  const otherwise = form.items[3] === undefined ? constant(null) : analyzer.analyze(form.items[3], ctx);
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
};

const doForm: SpecialForm = (analyzer, form, ctx) => analyzer.body(form.items.slice(1), ctx);

const andForm: SpecialForm = (analyzer, form, ctx) => {
  const execs = form.items
    .slice(1)
    .map((item, i, all) => analyzer.analyze(item, i === all.length - 1 ? ctx : nonTail(ctx)));
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
};

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

const orForm: SpecialForm = (analyzer, form, ctx) => {
  const execs = form.items
    .slice(1)
    .map((item, i, all) => analyzer.analyze(item, i === all.length - 1 ? ctx : nonTail(ctx)));
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
};

const quoteForm: SpecialForm = (analyzer, form) => {
  if (form.items.length !== 2) return analyzer.invalid("quote", "expects exactly one form", form.span);
  return constant(formToValue(form.items[1] as Form));
};

const varForm: SpecialForm = (analyzer, form) => {
  const name = form.items[1];
  if (form.items.length !== 2 || name?.kind !== "symbol") return analyzer.invalid("var", "expects a symbol", form.span);
  if (!analyzer.globals.has(name.name)) return analyzer.report("unbound_symbol", { name: name.name }, name.span);
  return constant(new Var(name.name));
};

const throwForm: SpecialForm = (analyzer, form, ctx) => {
  if (form.items.length !== 2) return analyzer.invalid("throw", "expects exactly one value", form.span);
  const value = analyzer.analyze(form.items[1] as Form, nonTail(ctx));
  return maybeWithGen(
    (f) => {
      throw new ThrownValue(value(f));
    },
    genOf(value) === undefined
      ? undefined
      : function* (f) {
          throw new ThrownValue(yield* (genOf(value) as (f: Frame) => Step)(f));
        },
  );
};

/** The value a `catch` binds for an error: the thrown value, or an ex-info built from a runtime error. */
function caughtValue(error: unknown): Value | undefined {
  if (error instanceof ThrownValue) return error.value;
  if (error instanceof EvalError || error instanceof ToolError) {
    const data = PMap.EMPTY.assoc(Keyword.of("code"), Keyword.of(error.code));
    return new ExInfo(error.message, error instanceof ToolError ? data.assoc(Keyword.of("tool"), error.tool) : data);
  }
  return undefined;
}

const EX_INFO_CLASSES = new Set([
  "ExceptionInfo",
  "cljs.core/ExceptionInfo",
  "cljs.core.ExceptionInfo",
  "clojure.lang.ExceptionInfo",
]);

const tryForm: SpecialForm = (analyzer, form, ctx) => {
  const bodyForms: Form[] = [];
  const catches: { onlyExInfo: boolean; slot: number; handler: Exec }[] = [];
  let finallyExec: Exec | undefined;
  const inner: Ctx = { ...ctx, tail: false, recur: null };
  for (const item of form.items.slice(1)) {
    const head = item.kind === "list" ? item.items[0] : undefined;
    if (item.kind === "list" && head?.kind === "symbol" && head.ns === null && head.name === "catch") {
      const type = item.items[1];
      const name = item.items[2];
      if (type === undefined || name?.kind !== "symbol") {
        analyzer.invalid("catch", "expects a type, a name and a body", item.span);
        continue;
      }
      const typeName =
        type.kind === "symbol"
          ? type.ns
            ? `${type.ns}/${type.name}`
            : type.name
          : type.kind === "keyword"
            ? `:${type.name}`
            : "";
      const scope = new LexScope(ctx.scope, ctx.scope.fn);
      const slot = scope.define(name.name).slot;
      catches.push({
        onlyExInfo: EX_INFO_CLASSES.has(typeName),
        slot,
        handler: analyzer.body(item.items.slice(3), { ...inner, scope }),
      });
    } else if (item.kind === "list" && head?.kind === "symbol" && head.ns === null && head.name === "finally") {
      finallyExec = analyzer.body(item.items.slice(1), inner);
    } else {
      if (catches.length > 0 || finallyExec !== undefined)
        analyzer.invalid("try", "body forms must come before catch and finally", item.span);
      bodyForms.push(item);
    }
  }
  const body = analyzer.body(bodyForms, inner);
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
  const resumable = resumableTry(body, catches, finallyExec);
  const cleanup = finallyExec;
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
};

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
  catches: readonly { onlyExInfo: boolean; slot: number; handler: Exec }[],
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

function isName(form: Form | undefined, name: string): boolean {
  return form?.kind === "symbol" && form.ns === null && form.name === name;
}

/** Parses `[params] body...` into an Arity, in a fresh arity scope of `fnScope`. */
function analyzeArity(
  analyzer: Analyzer,
  params: VectorForm,
  body: readonly Form[],
  fnScope: FnScope,
  outer: LexScope,
  ctx: Ctx,
  aliases?: Map<string, string>,
): Arity | undefined {
  fnScope.slots = 0;
  const scope = new LexScope(outer, fnScope);
  const fault = patternFault(analyzer, "fn");
  const analyzeIn = (f: Form, s: LexScope) => analyzer.analyze(f, { ...ctx, scope: s, tail: false, recur: null });
  const positional: Binder[] = [];
  let rest: Binder | undefined;
  const items = params.items;
  for (let i = 0; i < items.length; i++) {
    const item = items[i] as Form;
    if (isName(item, "&")) {
      const next = items[i + 1];
      if (next === undefined || i + 2 !== items.length) {
        analyzer.invalid("fn", "& must be followed by exactly one parameter", item.span);
        return undefined;
      }
      rest = compilePattern(next, scope, fault, analyzeIn);
      break;
    }
    positional.push(compilePattern(item, scope, fault, analyzeIn));
  }
  for (const [alias, target] of aliases ?? []) {
    const binding = scope.lookup(target);
    if (binding !== undefined) scope.defineSelf(new Binding(alias, binding.owner, binding.slot));
  }
  const required = positional.length;
  const variadic = rest !== undefined;
  const simple = rest === undefined && positional.every((binder, i) => plainSlotOf(binder) === i);
  const recur = simple
    ? { arity: required, slots: positional.map((_binder, i) => i) }
    : { arity: required + (variadic ? 1 : 0) };
  const bodyExec = analyzer.body(body, { ...ctx, scope, tail: true, recur });
  const restBinder = rest;
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
  const gen = genOf(bodyExec);
  return {
    required,
    variadic,
    simple,
    slots: fnScope.slots,
    bindCall,
    bindRecur,
    body: bodyExec,
    ...(gen === undefined ? {} : { gen }),
  };
}

interface FnParts {
  readonly name: string;
  readonly exec: Exec;
  readonly fixed: ReadonlySet<number>;
  readonly variadicMin: number | null;
}

/** `(fn name? [params] body...)` or `(fn name? ([params] body...)...)`, from `start` in `items`. */
function analyzeFn(
  analyzer: Analyzer,
  items: readonly Form[],
  start: number,
  ctx: Ctx,
  span: Form["span"],
  givenName?: string,
  aliases?: Map<string, string>,
): FnParts | undefined {
  let i = start;
  let name = givenName ?? "";
  let selfName: string | undefined;
  const first = items[i];
  if (first?.kind === "symbol" && first.ns === null) {
    name = first.name;
    selfName = first.name;
    i++;
  }
  const signatures: { params: VectorForm; body: readonly Form[] }[] = [];
  const next = items[i];
  if (next?.kind === "vector") {
    signatures.push({ params: next, body: items.slice(i + 1) });
  } else if (next?.kind === "list") {
    for (const clause of items.slice(i)) {
      const params = clause.kind === "list" ? clause.items[0] : undefined;
      if (clause.kind !== "list" || params?.kind !== "vector") {
        analyzer.invalid("fn", "each arity must be a list starting with a parameter vector", clause.span);
        return undefined;
      }
      signatures.push({ params, body: clause.items.slice(1) });
    }
  } else {
    analyzer.invalid("fn", "expects a parameter vector", next?.span ?? span);
    return undefined;
  }
  const selfBinding =
    selfName === undefined ? null : new Binding(selfName, undefined as unknown as FnScope, -1, false, true);
  const fnScope = new FnScope(ctx.scope.fn, selfBinding);
  const outer = new LexScope(ctx.scope, fnScope);
  if (selfBinding !== null) outer.defineSelf(Object.assign(selfBinding, { owner: fnScope }));
  const fixed: (Arity | undefined)[] = [];
  let variadic: Arity | null = null;
  const fnCtx: Ctx = { ...ctx, fnLiteral: ctx.fnLiteral || aliases !== undefined };
  for (const signature of signatures) {
    const arity = analyzeArity(analyzer, signature.params, signature.body, fnScope, outer, fnCtx, aliases);
    if (arity === undefined) return undefined;
    if (arity.variadic) {
      if (variadic !== null) analyzer.invalid("fn", "can have only one variadic arity", signature.params.span);
      variadic = arity;
    } else {
      if (fixed[arity.required] !== undefined)
        analyzer.invalid("fn", "has two arities with the same parameter count", signature.params.span);
      fixed[arity.required] = arity;
    }
  }
  const readers = fnScope.captures.map((capture) => readRaw(capture.source));
  const finalVariadic = variadic;
  const count = readers.length;
  const exec: Exec =
    count === 0
      ? (_f) => new Closure(name, fixed, finalVariadic, [])
      : (f) => {
          const captured = new Array<Value>(count);
          for (let k = 0; k < count; k++) captured[k] = (readers[k] as Exec)(f);
          return new Closure(name, fixed, finalVariadic, captured);
        };
  const counts = new Set<number>();
  fixed.forEach((arity, n) => {
    if (arity !== undefined) counts.add(n);
  });
  return { name, exec, fixed: counts, variadicMin: finalVariadic === null ? null : finalVariadic.required };
}

const fnForm: SpecialForm = (analyzer, form, ctx) =>
  analyzeFn(analyzer, form.items, 1, nonTail(ctx), form.span)?.exec ?? constant(null);

const fnLiteralForm: SpecialForm = (analyzer, body, ctx, literal) => {
  const found = fnLiteralPlaceholders(body);
  const span = literal?.span ?? body.span;
  const params: Form[] = [];
  for (let n = 1; n <= found.max; n++) params.push({ kind: "symbol", ns: null, name: `%${n}`, span });
  if (found.rest)
    params.push({ kind: "symbol", ns: null, name: "&", span }, { kind: "symbol", ns: null, name: "%&", span });
  const items: Form[] = [{ kind: "vector", items: params, span }, body];
  const aliases = new Map<string, string>(found.max >= 1 ? [["%", "%1"]] : []);
  return analyzeFn(analyzer, items, 0, nonTail(ctx), span, "", aliases)?.exec ?? constant(null);
};

const defForm: SpecialForm = (analyzer, form, ctx) => {
  const name = form.items[1];
  if (name?.kind !== "symbol" || name.ns !== null)
    return analyzer.invalid("def", "expects a symbol to define", name?.span ?? form.span);
  if (form.items.length > 4)
    return analyzer.invalid("def", "expects a name, an optional docstring and a value", form.span);
  const index = analyzer.defineGlobal(name.name);
  analyzer.noteGlobalFn(name.name, undefined);
  const valueForm = form.items.length === 4 ? form.items[3] : form.items[2];
  const value = valueForm === undefined ? constant(null) : analyzer.analyze(valueForm, nonTail(ctx));
  const variable = new Var(name.name);
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
};

const defnForm: SpecialForm = (analyzer, form, ctx) => {
  const name = form.items[1];
  if (name?.kind !== "symbol" || name.ns !== null)
    return analyzer.invalid("defn", "expects a symbol to define", name?.span ?? form.span);
  let start = 2;
  if (form.items[start]?.kind === "string") start++;
  if (form.items[start]?.kind === "map") start++;
  const index = analyzer.defineGlobal(name.name);
  const parts = analyzeFn(analyzer, form.items, start, nonTail(ctx), form.span, name.name);
  if (parts === undefined) return constant(null);
  analyzer.noteGlobalFn(name.name, { fixed: parts.fixed, variadicMin: parts.variadicMin });
  const exec = parts.exec;
  const variable = new Var(name.name);
  return (f) => {
    rt.setGlobal(index, exec(f));
    return variable;
  };
};

const declareForm: SpecialForm = (analyzer, form) => {
  for (const name of form.items.slice(1)) {
    if (name.kind !== "symbol" || name.ns !== null) analyzer.invalid("declare", "expects symbols", name.span);
    else analyzer.defineGlobal(name.name);
  }
  return constant(null);
};

const letfnForm: SpecialForm = (analyzer, form, ctx) => {
  const specs = form.items[1];
  if (specs?.kind !== "vector")
    return analyzer.invalid("letfn", "expects a vector of function specs", specs?.span ?? form.span);
  const scope = new LexScope(ctx.scope, ctx.scope.fn);
  const entries: { slot: number; exec: Exec }[] = [];
  const named: { slot: number; spec: ListForm; name: string }[] = [];
  for (const spec of specs.items) {
    const name = spec.kind === "list" ? spec.items[0] : undefined;
    if (spec.kind !== "list" || name?.kind !== "symbol") {
      analyzer.invalid("letfn", "each spec is (name [params] body...)", spec.span);
      continue;
    }
    named.push({ slot: scope.define(name.name, true).slot, spec, name: name.name });
  }
  for (const { slot, spec, name } of named) {
    const parts = analyzeFn(analyzer, spec.items, 1, { ...nonTail(ctx), scope }, spec.span, name);
    if (parts !== undefined) entries.push({ slot, exec: parts.exec });
  }
  const body = analyzer.body(form.items.slice(2), { ...ctx, scope });
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
};

const caseForm: SpecialForm = (analyzer, form, ctx) => {
  if (form.items.length < 3) return analyzer.invalid("case", "expects an expression and clauses", form.span);
  const expr = analyzer.analyze(form.items[1] as Form, nonTail(ctx));
  const clauses = form.items.slice(2);
  const hasDefault = clauses.length % 2 === 1;
  const table = new Map<unknown, { value: Value; branch: number }[]>();
  const branches: Exec[] = [];
  for (let i = 0; i + 1 < clauses.length; i += 2) {
    const test = clauses[i] as Form;
    const branch = branches.length;
    branches.push(analyzer.analyze(clauses[i + 1] as Form, ctx));
    const values = test.kind === "list" ? test.items.map(formToValue) : [formToValue(test)];
    for (const value of values) {
      const slot = keySlot(value);
      const bucket = table.get(slot) ?? [];
      bucket.push({ value, branch });
      table.set(slot, bucket);
    }
  }
  const fallback = hasDefault ? analyzer.analyze(clauses[clauses.length - 1] as Form, ctx) : undefined;
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
};

interface Level {
  readonly coll: Exec;
  readonly bind: Binder;
  readonly modifiers: readonly (
    | { kind: "when" | "while"; test: Exec }
    | { kind: "let"; steps: { init: Exec; bind: Binder }[] }
  )[];
}

/** Shared by `for` and `doseq`: nested iteration with `:let`, `:when`, `:while`. */
function comprehension(
  analyzer: Analyzer,
  name: string,
  form: ListForm,
  ctx: Ctx,
): { levels: Level[]; scope: LexScope } | undefined {
  const vector = form.items[1];
  if (vector?.kind !== "vector" || vector.items.length === 0 || vector.items.length % 2 !== 0) {
    analyzer.invalid(name, "expects a vector of binding/collection pairs", vector?.span ?? form.span);
    return undefined;
  }
  let scope = new LexScope(ctx.scope, ctx.scope.fn);
  const inner = (s: LexScope): Ctx => ({ ...ctx, scope: s, tail: false, recur: null });
  const fault = patternFault(analyzer, name);
  const levels: { coll: Exec; bind: Binder; modifiers: Level["modifiers"][number][] }[] = [];
  for (let i = 0; i < vector.items.length; i += 2) {
    const left = vector.items[i] as Form;
    const right = vector.items[i + 1] as Form;
    if (left.kind === "keyword" && left.ns === null) {
      const current = levels[levels.length - 1];
      if (current === undefined) {
        analyzer.invalid(name, "a modifier must follow a binding", left.span);
        return undefined;
      }
      if (left.name === "when" || left.name === "while") {
        current.modifiers.push({ kind: left.name, test: analyzer.analyze(right, inner(scope)) });
      } else if (left.name === "let") {
        const result = bindings(analyzer, ":let", right, inner(scope), right.span);
        if (result === undefined) return undefined;
        scope = result.scope;
        current.modifiers.push({ kind: "let", steps: result.steps });
      } else {
        analyzer.invalid(name, `unknown modifier :${left.name}`, left.span);
        return undefined;
      }
    } else {
      const coll = analyzer.analyze(right, inner(scope));
      scope = new LexScope(scope, scope.fn);
      const bind = compilePattern(left, scope, fault, (f, s) => analyzer.analyze(f, inner(s)));
      levels.push({ coll, bind, modifiers: [] });
    }
  }
  return { levels, scope };
}

function iterate(levels: readonly Level[], depth: number, f: Frame, visit: (f: Frame) => void, name: string): void {
  const level = levels[depth] as Level;
  const items = seqItems(rt, name, level.coll(f));
  const last = depth === levels.length - 1;
  outer: for (let i = 0; i < items.length; i++) {
    rt.charge(1);
    level.bind(f, items[i] as Value);
    for (const modifier of level.modifiers) {
      if (modifier.kind === "let") {
        for (const step of modifier.steps) step.bind(f, step.init(f));
      } else if (modifier.kind === "when") {
        if (!isTruthy(modifier.test(f))) continue outer;
      } else if (!isTruthy(modifier.test(f))) {
        return;
      }
    }
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
): Generator<PendingCall[], void, void> {
  const level = levels[depth] as Level;
  const coll = yield* run(level.coll, f);
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

const forForm: SpecialForm = (analyzer, form, ctx) => {
  const parsed = comprehension(analyzer, "for", form, ctx);
  if (parsed === undefined) return constant(null);
  if (form.items.length !== 3) return analyzer.invalid("for", "expects bindings and exactly one body form", form.span);
  const body = analyzer.analyze(form.items[2] as Form, { ...ctx, scope: parsed.scope, tail: false, recur: null });
  const levels = parsed.levels;
  const exec: Exec = (f) => {
    const out: Value[] = [];
    iterate(levels, 0, f, (frame) => out.push(body(frame)), "for");
    rt.alloc(out.length * 8);
    return seqResult(out);
  };
  if (!anyResumable([body, ...levelExecs(levels)])) return exec;
  const bodyGen = resumableOf(body);
  return withGen(exec, function* (f) {
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
    );
    rt.alloc(out.length * 8);
    return seqResult(out);
  });
};

const doseqForm: SpecialForm = (analyzer, form, ctx) => {
  const parsed = comprehension(analyzer, "doseq", form, ctx);
  if (parsed === undefined) return constant(null);
  const body = analyzer.body(form.items.slice(2), { ...ctx, scope: parsed.scope, tail: false, recur: null });
  const levels = parsed.levels;
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
};

const interop: SpecialForm = (analyzer, form) => {
  const head = form.items[0];
  return analyzer.report("interop_not_supported", { name: head?.kind === "symbol" ? head.name : "." }, form.span);
};

const setForm: SpecialForm = (analyzer, form) =>
  analyzer.invalid("set!", "PTC-Lisp has no mutable variables; use an atom", form.span);

/** A special form: its analysis and its documentation (`(doc name)`, the language reference). */
interface SpecialFormEntry extends FormDoc {
  readonly analyze: SpecialForm;
}

const SPECIAL_FORMS: ReadonlyMap<string, SpecialFormEntry> = new Map<string, SpecialFormEntry>([
  [
    "def",
    {
      analyze: defForm,
      usage: "(def name value)",
      doc: "Defines (or redefines) the global name; returns its var.",
      reference: "forms",
    },
  ],
  [
    "defn",
    {
      analyze: defnForm,
      usage: "(defn name [params*] body*)",
      doc: "Defines a global function; (defn name ([params] body) ...) gives it several arities.",
      reference: "forms",
    },
  ],
  ["defn-", { analyze: defnForm, usage: "(defn- name [params*] body*)", doc: "Same as defn." }],
  [
    "fn",
    {
      analyze: fnForm,
      usage: "(fn name? [params*] body*)",
      doc: "A function; parameters may destructure, [a & more] takes the rest; #(+ % %2) is the short form.",
      reference: "forms",
    },
  ],
  ["fn*", { analyze: fnForm, usage: "(fn* [params*] body*)", doc: "Same as fn." }],
  [
    "let",
    {
      analyze: letForm,
      usage: "(let [bindings*] body*)",
      doc: "Binds names (or destructuring patterns) one after another, then evaluates body.",
      reference: "forms",
    },
  ],
  ["let*", { analyze: letForm, usage: "(let* [bindings*] body*)", doc: "Same as let." }],
  [
    "loop",
    {
      analyze: loopForm,
      usage: "(loop [bindings*] body*)",
      doc: "Like let; recur in tail position jumps back to the top with new values.",
      reference: "forms",
    },
  ],
  [
    "recur",
    {
      analyze: recurForm,
      usage: "(recur exprs*)",
      doc: "In tail position of loop or fn: rebinds its names and runs it again, without growing the stack.",
      reference: "forms",
    },
  ],
  [
    "if",
    {
      analyze: ifForm,
      usage: "(if test then else?)",
      doc: "then when test is truthy (neither nil nor false), else the else form (default nil).",
      reference: "forms",
    },
  ],
  [
    "do",
    {
      analyze: doForm,
      usage: "(do exprs*)",
      doc: "Evaluates the expressions in order; returns the last one's value.",
      reference: "forms",
    },
  ],
  [
    "and",
    {
      analyze: andForm,
      usage: "(and exprs*)",
      doc: "The first falsy value, or the last value; (and) is true.",
      reference: "forms",
    },
  ],
  [
    "or",
    {
      analyze: orForm,
      usage: "(or exprs*)",
      doc: "The first truthy value, or the last value; (or) is nil.",
      reference: "forms",
    },
  ],
  ["quote", { analyze: quoteForm, usage: "(quote form)", doc: "form itself, unevaluated; 'form is the same." }],
  ["var", { analyze: varForm, usage: "(var name)", doc: "The var of a global name; #'name is the same." }],
  [
    "throw",
    {
      analyze: throwForm,
      usage: "(throw value)",
      doc: "Throws value, usually (ex-info message data); try catches it.",
      reference: "forms",
    },
  ],
  [
    "try",
    {
      analyze: tryForm,
      usage: "(try body* (catch :default e handler*) (finally cleanup*))",
      doc: "Evaluates body; a thrown value or a failed tool call runs the catch. Limits are never caught.",
      reference: "forms",
    },
  ],
  [
    "letfn",
    {
      analyze: letfnForm,
      usage: "(letfn [(name [params*] body*)*] body*)",
      doc: "Binds local functions that may call each other.",
    },
  ],
  [
    "declare",
    { analyze: declareForm, usage: "(declare names*)", doc: "Declares global names that a later def defines." },
  ],
  [
    "case",
    {
      analyze: caseForm,
      usage: "(case expr constant result* default?)",
      doc: "The result for the literal constant equal to expr ((c1 c2) matches either); else default, or an error.",
      reference: "forms",
    },
  ],
  [
    "for",
    {
      analyze: forForm,
      usage: "(for [name coll* :let [bindings*] :when test :while test] body)",
      doc: "A seq of body's values for every combination of the bound elements.",
      reference: "forms",
    },
  ],
  [
    "doseq",
    {
      analyze: doseqForm,
      usage: "(doseq [name coll*] body*)",
      doc: "Like for, but runs body for its effects and returns nil.",
      reference: "forms",
    },
  ],
  [".", { analyze: interop, usage: "(. object member args*)", doc: "Host interop: not supported." }],
  ["new", { analyze: interop, usage: "(new Class args*)", doc: "Host interop: not supported." }],
  [
    "set!",
    {
      analyze: setForm,
      usage: "(set! name value)",
      doc: "Not supported: there are no mutable variables; use an atom.",
    },
  ],
]);

export function isSpecialForm(name: string): boolean {
  return SPECIAL_FORMS.has(name);
}

/** The analysis of special form `name` (not `fn-literal`), for callers that dispatch themselves. */
export function specialFormFor(name: string): SpecialForm | undefined {
  return SPECIAL_FORMS.get(name)?.analyze;
}

/** Every special form's name and documentation, in declaration order. */
export function specialFormDocs(): [string, FormDoc][] {
  return [...SPECIAL_FORMS].map(([name, { usage, doc, reference }]) => [
    name,
    reference === undefined ? { usage, doc } : { usage, doc, reference },
  ]);
}

/** Analyzes special form `name`; `fn-literal` is the `#(...)` reader form. */
export function analyzeSpecialForm(
  analyzer: Analyzer,
  name: string,
  form: ListForm,
  ctx: Ctx,
  literal?: FnLiteralForm,
): Exec {
  const special = name === "fn-literal" ? fnLiteralForm : (SPECIAL_FORMS.get(name)?.analyze as SpecialForm);
  return special(analyzer, form, ctx, literal);
}
