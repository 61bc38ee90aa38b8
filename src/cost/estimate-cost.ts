import type { SourceSpan } from "../errors/span.js";
import { fnLiteralPlaceholders } from "../lisp/analyze/fn-literal.js";
import { macroFor } from "../lisp/analyze/macros.js";
import type { Form, ListForm, VectorForm } from "../lisp/ast/nodes.js";
import type { Truth } from "../lisp/builtins/facts.js";
import { type BuiltinFn, lookupBuiltin } from "../lisp/builtins/registry.js";
import { parse } from "../lisp/parser/parse.js";
import { type Cost, FREE, maximum, plus, STEP, sum, times } from "./cost-algebra.js";
import { CostExpr } from "./cost-expr.js";
import type { AssumedBound, CostEstimate, CostOptions } from "./cost-types.js";
import { explain, isLlmTool, type Site, weightOf } from "./explain.js";
import { resultShape } from "./result-shape.js";
import { Env, elementOf, type FnShape, fieldOf, pathShape, type Shape, sizeOf, UNKNOWN } from "./shape.js";

export type { AssumedBound, CostEstimate, CostOptions } from "./cost-types.js";

interface Walk {
  /** How many times the form being walked runs, per run of the program. */
  readonly multiplier: CostExpr;
  readonly env: Env;
}

class Estimator {
  readonly assumed: AssumedBound[] = [];
  readonly sites: Site[] = [];
  readonly globals = new Env(null);
  private readonly active: { fn: FnShape; recursive: boolean }[] = [];

  constructor(
    private readonly defaultSize: number,
    private readonly loopBound: number,
  ) {}

  private unknownSize(): CostExpr {
    return CostExpr.constant(this.defaultSize);
  }

  program(forms: readonly Form[]): Cost {
    const walk: Walk = { multiplier: CostExpr.ONE, env: this.globals };
    return sum(forms.map((form) => this.form(form, walk).cost));
  }

  private body(forms: readonly Form[], walk: Walk): { cost: Cost; shape: Shape } {
    const costs: Cost[] = [];
    let shape: Shape = UNKNOWN;
    for (const form of forms) {
      const result = this.form(form, walk);
      costs.push(result.cost);
      shape = result.shape;
    }
    return { cost: sum(costs), shape };
  }

  form(form: Form, walk: Walk): { cost: Cost; shape: Shape } {
    switch (form.kind) {
      case "number":
        return { cost: FREE, shape: { number: CostExpr.constant(form.value) } };
      case "keyword":
        return { cost: FREE, shape: { keyword: form.name } };
      case "symbol":
        if (form.ns === "data") return { cost: FREE, shape: pathShape(form.name) };
        if (form.ns === null) return { cost: FREE, shape: walk.env.get(form.name) ?? UNKNOWN };
        return { cost: FREE, shape: UNKNOWN };
      case "vector":
      case "set": {
        const { cost } = this.body(form.items, walk);
        const elements = form.items.map((item) => this.form(item, { ...walk, multiplier: CostExpr.ZERO }).shape);
        return {
          cost,
          shape: { size: CostExpr.constant(form.items.length), ...(elements[0] ? { element: elements[0] } : {}) },
        };
      }
      case "map": {
        const costs: Cost[] = [];
        const fields = new Map<string, Shape>();
        for (let i = 0; i + 1 < form.items.length; i += 2) {
          const keyForm = form.items[i] as Form;
          const value = this.form(form.items[i + 1] as Form, walk);
          costs.push(value.cost);
          if (keyForm.kind === "keyword" || keyForm.kind === "string")
            fields.set(keyForm.kind === "keyword" ? keyForm.name : keyForm.value, value.shape);
        }
        return { cost: sum(costs), shape: { fields } };
      }
      case "fn-literal":
        return {
          cost: FREE,
          shape: {
            fn: { name: "", arities: [{ params: fnLiteralParams(form.body), body: [form.body] }], env: walk.env },
          },
        };
      case "list":
        return this.list(form, walk);
      default:
        return { cost: FREE, shape: UNKNOWN };
    }
  }

  private list(form: ListForm, walk: Walk): { cost: Cost; shape: Shape } {
    const head = form.items[0];
    if (head === undefined) return { cost: FREE, shape: UNKNOWN };
    const args = form.items.slice(1);
    if (head.kind === "symbol" && head.ns === null && walk.env.get(head.name) === undefined) {
      const special = this.special(head.name, form, walk);
      if (special !== undefined) return special;
      const expander = macroFor(head.name);
      if (expander !== undefined) {
        try {
          return this.form(expander(form), walk);
        } catch {
          return { cost: FREE, shape: UNKNOWN };
        }
      }
    }
    if (head.kind === "symbol" && head.ns === "tool") return this.toolCall(head.name, form, walk);
    if (head.kind === "keyword") {
      const target = args[0] === undefined ? { cost: FREE, shape: UNKNOWN } : this.form(args[0], walk);
      return { cost: plus(target.cost, STEP), shape: fieldOf(target.shape, head.name) };
    }
    // Evaluate the arguments once each.
    const evaluated = args.map((arg) => this.form(arg, walk));
    let cost = sum(
      evaluated.map((arg) => arg.cost),
      STEP,
    );
    const shapes = evaluated.map((arg) => arg.shape);
    const builtin =
      head.kind === "symbol" && walk.env.get(head.name) === undefined ? lookupBuiltin(head.ns, head.name) : undefined;
    if (builtin !== undefined) {
      const result = this.builtin(builtin, shapes, args, walk);
      return { cost: plus(cost, result.cost), shape: result.shape };
    }
    const callee = head.kind === "symbol" ? (walk.env.get(head.name) ?? UNKNOWN) : this.form(head, walk).shape;
    if (callee.fn) {
      const applied = this.apply(callee.fn, shapes, walk, form.span);
      cost = plus(cost, applied.cost);
      return { cost, shape: applied.shape };
    }
    return { cost, shape: UNKNOWN };
  }

  private toolCall(name: string, form: ListForm, walk: Walk): { cost: Cost; shape: Shape } {
    const { cost } = this.body(form.items.slice(1), walk);
    this.sites.push({ span: form.span, text: `tool/${name}`, count: walk.multiplier });
    const call: Cost = { calls: new Map([[name, CostExpr.ONE]]), latency: CostExpr.ONE, steps: CostExpr.ONE };
    return { cost: plus(cost, call), shape: pathShape(name) };
  }

  /** Cost and result of calling a function value once with arguments of the given shapes. */
  private applyValue(shape: Shape, args: readonly Shape[], walk: Walk, span: SourceSpan): { cost: Cost; shape: Shape } {
    if (shape.fn) return this.apply(shape.fn, args, walk, span);
    if (shape.keyword !== undefined) return { cost: STEP, shape: fieldOf(args[0] ?? UNKNOWN, shape.keyword) };
    const combined = shape.combined;
    if (combined === undefined) return { cost: STEP, shape: UNKNOWN };
    if (combined.mode === "leading-args") {
      const [target, ...given] = combined.fns;
      return this.applyValue(target ?? UNKNOWN, [...given, ...args], walk, span);
    }
    if (combined.mode === "each") {
      let cost = STEP;
      for (const fn of combined.fns) cost = plus(cost, this.applyValue(fn, args, walk, span).cost);
      return { cost, shape: UNKNOWN };
    }
    let cost = STEP;
    let current: readonly Shape[] = args;
    let result: Shape = UNKNOWN;
    for (const fn of [...combined.fns].reverse()) {
      const applied = this.applyValue(fn, current, walk, span);
      cost = plus(cost, applied.cost);
      result = applied.shape;
      current = [result];
    }
    return { cost, shape: result };
  }

  private apply(fn: FnShape, args: readonly Shape[], walk: Walk, span: SourceSpan): { cost: Cost; shape: Shape } {
    const open = this.active.find((entry) => entry.fn === fn);
    if (open !== undefined) {
      open.recursive = true;
      return { cost: STEP, shape: UNKNOWN };
    }
    const arity = fn.arities.find((a) => a.params.items.length === args.length) ?? fn.arities[0];
    if (arity === undefined) return { cost: STEP, shape: UNKNOWN };
    const env = fn.env.child();
    if (fn.name) env.set(fn.name, { fn });
    arity.params.items.forEach((param, i) => {
      this.bind(param, args[i] ?? UNKNOWN, env);
    });
    const entry = { fn, recursive: false };
    this.active.push(entry);
    const sitesBefore = this.sites.length;
    const result = this.body(arity.body, { multiplier: walk.multiplier, env });
    this.active.pop();
    let cost = plus(result.cost, STEP);
    if (entry.recursive) {
      const bound = CostExpr.constant(this.loopBound);
      cost = times(cost, bound);
      this.rescale(sitesBefore, bound);
      this.assumed.push({ span, what: `recursion of ${fn.name || "fn"}`, bound: this.loopBound });
    }
    return { cost, shape: result.shape };
  }

  /** Multiplies the counts of the sites recorded since `from` (a loop found afterwards). */
  private rescale(from: number, factor: CostExpr): void {
    for (let i = from; i < this.sites.length; i++) {
      const site = this.sites[i] as Site;
      this.sites[i] = { ...site, count: site.count.times(factor) };
    }
  }

  private bind(pattern: Form, shape: Shape, env: Env): void {
    if (pattern.kind === "symbol") {
      env.set(pattern.name, shape);
    } else if (pattern.kind === "vector") {
      for (let i = 0; i < pattern.items.length; i++) {
        const item = pattern.items[i] as Form;
        if (item.kind === "symbol" && item.name === "&") {
          const rest = pattern.items[i + 1];
          if (rest) this.bind(rest, shape, env);
          i++;
        } else if (item.kind === "keyword" && item.name === "as") {
          const name = pattern.items[i + 1];
          if (name) this.bind(name, shape, env);
          i++;
        } else {
          this.bind(item, shape.element ?? (shape.fields ? UNKNOWN : elementOf(shape)), env);
        }
      }
    } else if (pattern.kind === "map") {
      for (let i = 0; i + 1 < pattern.items.length; i += 2) {
        const left = pattern.items[i] as Form;
        const right = pattern.items[i + 1] as Form;
        if (left.kind === "keyword" && (left.name === "keys" || left.name === "strs") && right.kind === "vector") {
          for (const name of right.items) {
            if (name.kind === "symbol" || name.kind === "keyword") env.set(name.name, fieldOf(shape, name.name));
          }
        } else if (left.kind === "keyword" && left.name === "as" && right.kind === "symbol") {
          env.set(right.name, shape);
        } else if (right.kind === "keyword") {
          this.bind(left, fieldOf(shape, right.name), env);
        }
      }
    }
  }

  private builtin(
    builtin: BuiltinFn,
    shapes: readonly Shape[],
    args: readonly Form[],
    walk: Walk,
  ): { cost: Cost; shape: Shape } {
    const spec = builtin.spec;
    let work = FREE;
    if (spec.cost === "linear" || spec.cost === "nlogn") {
      const size = shapes.reduce((acc, shape) => (shape.size ? acc.plus(shape.size) : acc), CostExpr.ZERO);
      work = { calls: new Map(), latency: CostExpr.ZERO, steps: size };
    }
    if (spec.combines !== undefined) {
      return { cost: work, shape: { combined: { mode: spec.combines, fns: shapes } } };
    }
    const calls = spec.calls;
    if (calls !== undefined && calls.per === "each") {
      // Every function argument is called once; as parallel branches when the builtin says so.
      let total = FREE;
      let latency = CostExpr.ZERO;
      for (let i = calls.fn; i < shapes.length; i++) {
        const once = this.applyValue(shapes[i] ?? UNKNOWN, [], walk, args[i]?.span ?? dummySpan).cost;
        total = plus(total, { ...once, latency: CostExpr.ZERO });
        latency = spec.parallel === true ? latency.max(once.latency) : latency.plus(once.latency);
      }
      return {
        cost: plus(work, { ...total, latency }),
        shape: { size: CostExpr.constant(Math.max(0, shapes.length - calls.fn)) },
      };
    }
    if (calls !== undefined) {
      const fnShape = shapes[calls.fn] ?? UNKNOWN;
      const collIndex = calls.coll !== undefined && calls.coll < 0 ? shapes.length + calls.coll : calls.coll;
      const coll = collIndex === undefined ? UNKNOWN : (shapes[collIndex] ?? UNKNOWN);
      const count = calls.per === "element" ? sizeOf(coll, this.unknownSize()) : CostExpr.ONE;
      const element = calls.per === "element" ? elementOf(coll) : coll;
      const fnArgs = calls.accumulator ? [UNKNOWN, element] : [element];
      const once = this.applyValue(
        fnShape,
        fnArgs,
        { ...walk, multiplier: walk.multiplier.times(count) },
        args[calls.fn]?.span ?? args[0]?.span ?? dummySpan,
      );
      const repeated = times(once.cost, count, spec.parallel === true);
      const shape = resultShape(spec.size, { shapes, mapped: once.shape, unknownSize: this.unknownSize() });
      return { cost: plus(work, repeated), shape };
    }
    return { cost: work, shape: resultShape(spec.size, { shapes, mapped: UNKNOWN, unknownSize: this.unknownSize() }) };
  }

  /** The shape of a builtin's result, for the builtins that preserve or derive sizes. */
  private special(name: string, form: ListForm, walk: Walk): { cost: Cost; shape: Shape } | undefined {
    const items = form.items;
    switch (name) {
      case "quote":
      case "var":
      case "declare":
        return { cost: FREE, shape: UNKNOWN };
      case "do":
        return this.body(items.slice(1), walk);
      case "if": {
        const test = items[1] ? this.form(items[1], walk) : { cost: FREE };
        const then = items[2] ? this.form(items[2], walk) : { cost: FREE, shape: UNKNOWN };
        const otherwise = items[3] ? this.form(items[3], walk) : { cost: FREE, shape: UNKNOWN };
        return { cost: plus(test.cost, maximum(then.cost, otherwise.cost)), shape: then.shape };
      }
      case "case": {
        const expr = items[1] ? this.form(items[1], walk).cost : FREE;
        const clauses = items.slice(2);
        let branches = FREE;
        let first = true;
        for (let i = 0; i < clauses.length; i++) {
          const isResult = clauses.length % 2 === 1 && i === clauses.length - 1 ? true : i % 2 === 1;
          if (!isResult) continue;
          const branch = this.form(clauses[i] as Form, walk).cost;
          branches = first ? branch : maximum(branches, branch);
          first = false;
        }
        return { cost: plus(expr, branches), shape: UNKNOWN };
      }
      case "and":
      case "or":
        return this.body(items.slice(1), walk);
      case "def": {
        const target = items[1];
        const value = items.length === 4 ? items[3] : items[2];
        const result = value ? this.form(value, walk) : { cost: FREE, shape: UNKNOWN };
        if (target?.kind === "symbol") this.globals.set(target.name, result.shape);
        return { cost: result.cost, shape: UNKNOWN };
      }
      case "defn":
      case "defn-": {
        const target = items[1];
        if (target?.kind !== "symbol") return { cost: FREE, shape: UNKNOWN };
        let start = 2;
        if (items[start]?.kind === "string") start++;
        if (items[start]?.kind === "map") start++;
        const fn = fnShape(target.name, items.slice(start), this.globals);
        if (fn) this.globals.set(target.name, { fn });
        return { cost: FREE, shape: UNKNOWN };
      }
      case "fn":
      case "fn*": {
        let start = 1;
        let fnName = "";
        const named = items[1];
        if (named?.kind === "symbol") {
          fnName = named.name;
          start = 2;
        }
        const fn = fnShape(fnName, items.slice(start), walk.env);
        return { cost: FREE, shape: fn ? { fn } : UNKNOWN };
      }
      case "letfn": {
        const specs = items[1];
        const env = walk.env.child();
        if (specs?.kind === "vector") {
          for (const spec of specs.items) {
            const fnName = spec.kind === "list" ? spec.items[0] : undefined;
            if (spec.kind === "list" && fnName?.kind === "symbol") {
              const fn = fnShape(fnName.name, spec.items.slice(1), env);
              if (fn) env.set(fnName.name, { fn });
            }
          }
        }
        return this.body(items.slice(2), { ...walk, env });
      }
      case "let":
      case "let*": {
        const { cost, env } = this.bindings(items[1], walk);
        const body = this.body(items.slice(2), { ...walk, env });
        return { cost: plus(cost, body.cost), shape: body.shape };
      }
      case "loop":
        return this.loop(form, walk);
      case "recur":
        return { cost: this.body(items.slice(1), walk).cost, shape: UNKNOWN };
      case "try": {
        let cost = FREE;
        let handlers = FREE;
        for (const item of items.slice(1)) {
          const head = item.kind === "list" ? item.items[0] : undefined;
          if (item.kind === "list" && head?.kind === "symbol" && head.name === "catch") {
            const env = walk.env.child();
            const binding = item.items[2];
            if (binding?.kind === "symbol") env.set(binding.name, UNKNOWN);
            handlers = maximum(handlers, this.body(item.items.slice(3), { ...walk, env }).cost);
          } else if (item.kind === "list" && head?.kind === "symbol" && head.name === "finally") {
            cost = plus(cost, this.body(item.items.slice(1), walk).cost);
          } else {
            cost = plus(cost, this.form(item, walk).cost);
          }
        }
        return { cost: plus(cost, handlers), shape: UNKNOWN };
      }
      case "throw":
        return { cost: items[1] ? this.form(items[1], walk).cost : FREE, shape: UNKNOWN };
      case "for":
      case "doseq":
        return this.comprehension(name, form, walk);
      default:
        return undefined;
    }
  }

  private bindings(vector: Form | undefined, walk: Walk): { cost: Cost; env: Env } {
    const env = walk.env.child();
    const costs: Cost[] = [];
    if (vector?.kind === "vector") {
      for (let i = 0; i + 1 < vector.items.length; i += 2) {
        const value = this.form(vector.items[i + 1] as Form, { ...walk, env });
        costs.push(value.cost);
        this.bind(vector.items[i] as Form, value.shape, env);
      }
    }
    return { cost: sum(costs), env };
  }

  /** `(loop [i 0 ...] (if (< i n) ... (recur (inc i) ...)))` runs n times; other loops an assumed bound. */
  private loop(form: ListForm, walk: Walk): { cost: Cost; shape: Shape } {
    const { cost: init, env } = this.bindings(form.items[1], walk);
    const bound = this.counterBound(form, env) ?? this.listBound(form, env);
    const iterations = bound ?? CostExpr.constant(this.loopBound);
    if (bound === undefined) this.assumed.push({ span: form.span, what: "loop", bound: this.loopBound });
    const body = this.body(form.items.slice(2), { multiplier: walk.multiplier.times(iterations), env });
    return { cost: plus(init, times(body.cost, iterations)), shape: UNKNOWN };
  }

  private counterBound(form: ListForm, env: Env): CostExpr | undefined {
    const bindings = form.items[1];
    if (bindings?.kind !== "vector") return undefined;
    const counter = bindings.items[0];
    const start = bindings.items[1];
    if (counter?.kind !== "symbol" || start?.kind !== "number") return undefined;
    const test = loopTest(form.items.slice(2));
    if (test === undefined) return undefined;
    const [op, left, right] = test.items;
    if (op?.kind !== "symbol" || left?.kind !== "symbol" || left.name !== counter.name || right === undefined)
      return undefined;
    const ordering = lookupBuiltin(op.ns, op.name)?.spec.ordering;
    if (ordering === undefined) return undefined;
    const limit = this.form(right, { multiplier: CostExpr.ZERO, env }).shape.number;
    if (limit === undefined) return undefined;
    const span = limit.plus(CostExpr.constant(-start.value + (ordering === "less-or-equal" ? 1 : 0)));
    const value = span.constantValue;
    return value !== undefined ? CostExpr.constant(Math.max(0, value)) : span;
  }

  /** `(loop [xs coll ...] (if (empty? xs) ... (recur (rest xs) ...)))` runs |coll| times. */
  private listBound(form: ListForm, env: Env): CostExpr | undefined {
    const bindings = form.items[1];
    if (bindings?.kind !== "vector") return undefined;
    const cursor = bindings.items[0];
    if (cursor?.kind !== "symbol") return undefined;
    const test = loopTest(form.items.slice(2));
    if (test === undefined) return undefined;
    const [op, arg] = test.items;
    const truth = truthOf(op);
    if ((truth !== "no-elements" && truth !== "some-elements") || arg?.kind !== "symbol" || arg.name !== cursor.name)
      return undefined;
    return env.get(cursor.name)?.size;
  }

  private comprehension(name: string, form: ListForm, walk: Walk): { cost: Cost; shape: Shape } {
    const vector = form.items[1];
    const env = walk.env.child();
    let cost = FREE;
    let multiplier = CostExpr.ONE;
    if (vector?.kind === "vector") {
      for (let i = 0; i + 1 < vector.items.length; i += 2) {
        const left = vector.items[i] as Form;
        const right = vector.items[i + 1] as Form;
        if (left.kind === "keyword") {
          if (left.name === "let" && right.kind === "vector") {
            for (let j = 0; j + 1 < right.items.length; j += 2) {
              const value = this.form(right.items[j + 1] as Form, {
                multiplier: walk.multiplier.times(multiplier),
                env,
              });
              cost = plus(cost, times(value.cost, multiplier));
              this.bind(right.items[j] as Form, value.shape, env);
            }
          } else {
            cost = plus(
              cost,
              times(this.form(right, { multiplier: walk.multiplier.times(multiplier), env }).cost, multiplier),
            );
          }
          continue;
        }
        const coll = this.form(right, { multiplier: walk.multiplier.times(multiplier), env });
        cost = plus(cost, times(coll.cost, multiplier));
        multiplier = multiplier.times(sizeOf(coll.shape, this.unknownSize()));
        this.bind(left, elementOf(coll.shape), env);
      }
    }
    const body = this.body(form.items.slice(2), { multiplier: walk.multiplier.times(multiplier), env });
    const total = plus(cost, times(plus(body.cost, STEP), multiplier));
    return { cost: total, shape: name === "for" ? { size: multiplier, element: body.shape } : UNKNOWN };
  }
}

const dummySpan: SourceSpan = { start: 0, end: 0, line: 1, column: 1 };

/** The test of the `if`/`when` that a loop body starts with (after macro expansion of `when`). */
function loopTest(body: readonly Form[]): ListForm | undefined {
  const first = body[0];
  if (body.length !== 1 || first?.kind !== "list") return undefined;
  const head = first.items[0];
  if (
    head?.kind !== "symbol" ||
    (head.name !== "if" && head.name !== "when" && head.name !== "if-not" && head.name !== "when-not")
  ) {
    return undefined;
  }
  const test = first.items[1];
  if (test?.kind !== "list") return undefined;
  if (head.name === "if-not" || head.name === "when-not") return undefined;
  const [op, inner] = test.items;
  // `(not (empty? xs))` tests what `(seq xs)` does.
  if (truthOf(op) === "falsy" && inner?.kind === "list" && truthOf(inner.items[0]) === "no-elements") return inner;
  return test;
}

/** What the builtin a form names says of its argument when it returns true. */
function truthOf(form: Form | undefined): Truth | undefined {
  return form?.kind === "symbol" ? lookupBuiltin(form.ns, form.name)?.spec.truth : undefined;
}

function fnLiteralParams(body: ListForm): VectorForm {
  const { max } = fnLiteralPlaceholders(body);
  const items: Form[] = [];
  for (let n = 1; n <= max; n++)
    items.push({ kind: "symbol", ns: null, name: n === 1 ? "%" : `%${n}`, span: body.span });
  return { kind: "vector", items, span: body.span };
}

function fnShape(name: string, rest: readonly Form[], env: Env): FnShape | undefined {
  const first = rest[0];
  if (first?.kind === "vector") return { name, arities: [{ params: first, body: rest.slice(1) }], env };
  const arities: { params: VectorForm; body: readonly Form[] }[] = [];
  for (const clause of rest) {
    const params = clause.kind === "list" ? clause.items[0] : undefined;
    if (clause.kind === "list" && params?.kind === "vector") arities.push({ params, body: clause.items.slice(1) });
  }
  return arities.length > 0 ? { name, arities, env } : undefined;
}

/**
 * Estimates the cost of a program from its source, without running it: tool calls per tool,
 * LLM calls and evaluation steps as expressions of input sizes, and a weighted total under
 * the given sizes. See docs/cost.md for the rules.
 */
export function estimateCost(program: string | { readonly source: string }, options: CostOptions = {}): CostEstimate {
  const source = typeof program === "string" ? program : program.source;
  const defaultSize = options.defaultSize ?? 10;
  const estimator = new Estimator(defaultSize, options.loopBound ?? 10);
  const parsed = parse(source);
  const cost = estimator.program(parsed.forms);
  const toolCalls: Record<string, CostExpr> = {};
  for (const [tool, count] of [...cost.calls].sort(([a], [b]) => (a < b ? -1 : 1))) {
    Object.defineProperty(toolCalls, tool, { value: count, enumerable: true, writable: false, configurable: false });
  }
  const sizes = options.sizes ?? {};
  let llmCalls = CostExpr.ZERO;
  let totalCalls = CostExpr.ZERO;
  let total = 0;
  for (const [tool, count] of cost.calls) {
    totalCalls = totalCalls.plus(count);
    if (isLlmTool(tool, options)) llmCalls = llmCalls.plus(count);
    total += weightOf(tool, options) * count.evaluate(sizes, defaultSize);
  }
  total += (options.stepWeight ?? 0.001) * cost.steps.evaluate(sizes, defaultSize);
  const assumed = estimator.assumed;
  const sites = estimator.sites;
  return {
    toolCalls,
    llmCalls,
    steps: cost.steps,
    parallel: { totalCalls, criticalPath: cost.latency },
    assumed,
    total,
    explain: () => explain(source, sites, toolCalls, cost, assumed, sizes, defaultSize, total),
  };
}
