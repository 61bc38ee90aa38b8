import type { SourceSpan } from "../errors/span.js";
import { fnLiteralPlaceholders } from "../lisp/analyze/fn-literal.js";
import { macroFor } from "../lisp/analyze/macros.js";
import type { Form, ListForm, VectorForm } from "../lisp/ast/nodes.js";
import { type BuiltinFn, lookupBuiltin } from "../lisp/builtins/registry.js";
import { parse } from "../lisp/parser/parse.js";
import type { Tools } from "../tools/define-tool.js";
import { toolEntry } from "../tools/tool-names.js";
import { CostExpr, type Sizes } from "./cost-expr.js";

/** Options of `estimateCost`. */
export interface CostOptions {
  /** The tools; a `defineTool` result's `cost` is its weight, `kind: "llm"` marks an LLM tool. */
  readonly tools?: Tools;
  /** Weight per call by tool name (overrides the tool's own). Default 1; LLM tools default 10. */
  readonly toolCosts?: Readonly<Record<string, number>>;
  /** Sizes of the inputs (`orders`, `orders.items`, a tool name for its list result). */
  readonly sizes?: Sizes;
  /** Size assumed for an input whose size is not given. Default 10. */
  readonly defaultSize?: number;
  /** Iterations assumed for a `loop` or recursion whose bound is not evident. Default 10. */
  readonly loopBound?: number;
  /** Weight of one evaluation step in `total`. Default 0.001. */
  readonly stepWeight?: number;
}

/** A loop or recursion whose iteration count was assumed, not derived. */
export interface AssumedBound {
  readonly span: SourceSpan;
  readonly what: string;
  readonly bound: number;
}

/** The estimated cost of a program, without running it. */
export interface CostEstimate {
  /** Calls per tool, as expressions of input sizes. */
  readonly toolCalls: Readonly<Record<string, CostExpr>>;
  /** Calls to LLM tools (those with `kind: "llm"`). */
  readonly llmCalls: CostExpr;
  /** Evaluation steps (function calls, loop iterations, builtin work). */
  readonly steps: CostExpr;
  /** All tool calls, and the critical path: rounds of calls when `pmap`/`pcalls` branches run in parallel. */
  readonly parallel: { readonly totalCalls: CostExpr; readonly criticalPath: CostExpr };
  /** Loops and recursions whose bound was assumed. */
  readonly assumed: readonly AssumedBound[];
  /** Σ weight × calls + stepWeight × steps, under the given sizes. */
  readonly total: number;
  /** The cost line by line against the source. */
  explain(): string;
}

/** Calls per tool, latency in rounds of calls, and steps. */
interface Cost {
  readonly calls: ReadonlyMap<string, CostExpr>;
  readonly latency: CostExpr;
  readonly steps: CostExpr;
}

const FREE: Cost = { calls: new Map(), latency: CostExpr.ZERO, steps: CostExpr.ZERO };
const STEP: Cost = { calls: new Map(), latency: CostExpr.ZERO, steps: CostExpr.ONE };

function plus(a: Cost, b: Cost): Cost {
  if (a === FREE) return b;
  if (b === FREE) return a;
  const calls = new Map(a.calls);
  for (const [tool, count] of b.calls) calls.set(tool, (calls.get(tool) ?? CostExpr.ZERO).plus(count));
  return { calls, latency: a.latency.plus(b.latency), steps: a.steps.plus(b.steps) };
}

/**
 * The sum of several costs in one pass. Adding them one by one with `plus` copies the running
 * map of calls each time: quadratic in the number of distinct tools a long program names.
 */
function sum(costs: readonly Cost[], start: Cost = FREE): Cost {
  const calls = new Map(start.calls);
  let latency = start.latency;
  let steps = start.steps;
  for (const cost of costs) {
    if (cost === FREE) continue;
    for (const [tool, count] of cost.calls) calls.set(tool, (calls.get(tool) ?? CostExpr.ZERO).plus(count));
    latency = latency.plus(cost.latency);
    steps = steps.plus(cost.steps);
  }
  return { calls, latency, steps };
}

function times(cost: Cost, factor: CostExpr, parallel = false): Cost {
  const calls = new Map<string, CostExpr>();
  for (const [tool, count] of cost.calls) calls.set(tool, count.times(factor));
  return { calls, latency: parallel ? cost.latency : cost.latency.times(factor), steps: cost.steps.times(factor) };
}

function maximum(a: Cost, b: Cost): Cost {
  const calls = new Map<string, CostExpr>();
  for (const tool of new Set([...a.calls.keys(), ...b.calls.keys()])) {
    calls.set(tool, (a.calls.get(tool) ?? CostExpr.ZERO).max(b.calls.get(tool) ?? CostExpr.ZERO));
  }
  return { calls, latency: a.latency.max(b.latency), steps: a.steps.max(b.steps) };
}

/** What the estimator knows of a value: its length, its elements, its numeric value, a function. */
interface Shape {
  readonly size?: CostExpr;
  readonly element?: Shape;
  /** Data path for naming the sizes of nested lists (`orders`, `orders.items`). */
  readonly path?: string;
  readonly number?: CostExpr;
  readonly fn?: FnShape;
  /** Shapes of known map fields (from map literals). */
  readonly fields?: ReadonlyMap<string, Shape>;
  /** A keyword, which called as a function reads that field. */
  readonly keyword?: string;
  /** A function made of others (`comp`, `juxt`, `partial`...). */
  readonly combined?: { readonly mode: "sequence" | "each" | "partial"; readonly fns: readonly Shape[] };
}

interface FnShape {
  readonly name: string;
  readonly arities: readonly { readonly params: VectorForm; readonly body: readonly Form[] }[];
  readonly env: Env;
}

const UNKNOWN: Shape = {};

function pathShape(path: string): Shape {
  return { path, size: CostExpr.size(path) };
}

function elementOf(shape: Shape): Shape {
  if (shape.element) return shape.element;
  if (shape.path) return { path: shape.path };
  return UNKNOWN;
}

function sizeOf(shape: Shape, fallback: CostExpr): CostExpr {
  return shape.size ?? fallback;
}

class Env {
  constructor(
    private readonly parent: Env | null,
    private readonly bindings: Map<string, Shape> = new Map(),
  ) {}
  get(name: string): Shape | undefined {
    return this.bindings.get(name) ?? this.parent?.get(name);
  }
  set(name: string, shape: Shape): void {
    this.bindings.set(name, shape);
  }
  child(): Env {
    return new Env(this);
  }
}

interface Site {
  readonly span: SourceSpan;
  readonly text: string;
  readonly count: CostExpr;
}

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
      return { cost: plus(target.cost, STEP), shape: this.field(target.shape, head.name) };
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

  private field(shape: Shape, name: string): Shape {
    const known = shape.fields?.get(name);
    if (known) return known;
    const base = shape.element && !shape.path ? undefined : shape.path;
    return base ? pathShape(`${base}.${name}`) : UNKNOWN;
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
    if (shape.keyword !== undefined) return { cost: STEP, shape: this.field(args[0] ?? UNKNOWN, shape.keyword) };
    const combined = shape.combined;
    if (combined === undefined) return { cost: STEP, shape: UNKNOWN };
    if (combined.mode === "partial") {
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
            if (name.kind === "symbol" || name.kind === "keyword") env.set(name.name, this.field(shape, name.name));
          }
        } else if (left.kind === "keyword" && left.name === "as" && right.kind === "symbol") {
          env.set(right.name, shape);
        } else if (right.kind === "keyword") {
          this.bind(left, this.field(shape, right.name), env);
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
    const first = shapes[0] ?? UNKNOWN;
    const last = shapes[shapes.length - 1] ?? UNKNOWN;
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
      const collIndex = calls.coll === "last" ? shapes.length - 1 : calls.coll;
      const coll = collIndex === undefined ? UNKNOWN : (shapes[collIndex] ?? UNKNOWN);
      const count = calls.per === "element" ? sizeOf(coll, this.unknownSize()) : CostExpr.ONE;
      const element = calls.per === "element" ? elementOf(coll) : coll;
      const fnArgs = spec.name === "reduce" || spec.name === "reductions" ? [UNKNOWN, element] : [element];
      const once = this.applyValue(
        fnShape,
        fnArgs,
        { ...walk, multiplier: walk.multiplier.times(count) },
        args[calls.fn]?.span ?? args[0]?.span ?? dummySpan,
      );
      const repeated = times(once.cost, count, spec.parallel === true);
      const shape = this.resultShape(spec.name, shapes, coll, once.shape);
      return { cost: plus(work, repeated), shape };
    }
    return { cost: work, shape: this.resultShape(spec.name, shapes, first, UNKNOWN, last) };
  }

  /** The shape of a builtin's result, for the builtins that preserve or derive sizes. */
  private resultShape(
    name: string,
    shapes: readonly Shape[],
    coll: Shape,
    mapped: Shape,
    last: Shape = UNKNOWN,
  ): Shape {
    const first = shapes[0] ?? UNKNOWN;
    switch (name) {
      case "map":
      case "mapv":
      case "pmap":
      case "map-indexed":
      case "keep":
      case "keep-indexed":
        return { size: sizeOf(coll, this.unknownSize()), element: mapped };
      case "filter":
      case "filterv":
      case "remove":
      case "sort-by":
      case "distinct-by":
      case "take-while":
      case "drop-while":
        return { ...coll, ...(coll.size ? { size: coll.size } : {}) };
      case "group-by":
        return { size: sizeOf(coll, this.unknownSize()), element: { size: CostExpr.constant(2), element: coll } };
      case "mapcat":
        return {
          size: sizeOf(coll, this.unknownSize()).times(mapped.size ?? this.unknownSize()),
          element: elementOf(mapped),
        };
      case "vec":
      case "seq":
      case "sort":
      case "reverse":
      case "distinct":
      case "set":
      case "doall":
        return first;
      case "rest":
      case "next":
      case "butlast":
        return { ...first, size: sizeOf(first, this.unknownSize()).plus(CostExpr.constant(-1)).max(CostExpr.ZERO) };
      case "frequencies":
        return {
          size: sizeOf(first, this.unknownSize()),
          element: { size: CostExpr.constant(2), element: elementOf(first) },
        };
      case "keys":
      case "vals":
        return first.size ? { size: first.size } : UNKNOWN;
      case "get":
        return shapes[1]?.keyword !== undefined ? this.field(first, shapes[1].keyword) : UNKNOWN;
      case "into":
        return { size: sizeOf(first, CostExpr.ZERO).plus(sizeOf(last, this.unknownSize())), element: elementOf(last) };
      case "concat":
        return { size: shapes.reduce((acc, shape) => acc.plus(sizeOf(shape, this.unknownSize())), CostExpr.ZERO) };
      case "first":
      case "second":
      case "last":
      case "nth":
      case "peek":
      case "rand-nth":
        return elementOf(first);
      case "take":
      case "take-last": {
        const n = first.number ?? this.unknownSize();
        const source = shapes[1] ?? UNKNOWN;
        return { ...source, size: n.min(sizeOf(source, this.unknownSize())) };
      }
      case "drop":
      case "drop-last":
        return { ...(shapes[1] ?? UNKNOWN) };
      case "range": {
        if (shapes.length === 1) return { size: first.number ?? this.unknownSize() };
        const end = shapes[1]?.number;
        const start = first.number;
        const difference =
          start?.constantValue !== undefined && end?.constantValue !== undefined
            ? CostExpr.constant(Math.max(0, end.constantValue - start.constantValue))
            : end;
        return { size: difference ?? this.unknownSize() };
      }
      case "repeat":
        return shapes.length === 2
          ? { size: first.number ?? this.unknownSize(), element: shapes[1] ?? UNKNOWN }
          : UNKNOWN;
      case "count":
        return { number: sizeOf(first, this.unknownSize()) };
      case "partition":
      case "partition-all": {
        const source = shapes[shapes.length - 1] ?? UNKNOWN;
        const n = first.number?.constantValue;
        const chunks =
          n !== undefined && n > 0 ? sizeOf(source, this.unknownSize()).ceilDiv(n) : sizeOf(source, this.unknownSize());
        return { size: chunks, element: { size: first.number ?? this.unknownSize(), element: elementOf(source) } };
      }
      default:
        return UNKNOWN;
    }
  }

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
    if (op.name !== "<" && op.name !== "<=") return undefined;
    const limit = this.form(right, { multiplier: CostExpr.ZERO, env }).shape.number;
    if (limit === undefined) return undefined;
    const span = limit.plus(CostExpr.constant(-start.value + (op.name === "<=" ? 1 : 0)));
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
    const predicate = op?.kind === "symbol" ? op.name : "";
    if (!["empty?", "seq", "not-empty"].includes(predicate) || arg?.kind !== "symbol" || arg.name !== cursor.name)
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
  if (op?.kind === "symbol" && op.name === "not" && inner?.kind === "list") {
    const [innerOp, arg] = inner.items;
    if (innerOp?.kind === "symbol" && innerOp.name === "empty?") {
      return { ...inner, items: [{ ...innerOp, name: "seq" }, ...(arg ? [arg] : [])] };
    }
  }
  return test;
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

function weightOf(name: string, options: CostOptions): number {
  const given = options.toolCosts?.[name];
  if (given !== undefined) return given;
  const tool = toolEntry(options.tools, name);
  if (tool !== undefined && typeof tool === "object") {
    const declared = (tool as { cost?: unknown; kind?: unknown }).cost;
    if (typeof declared === "number") return declared;
    if ((tool as { kind?: unknown }).kind === "llm") return 10;
  }
  return 1;
}

function isLlmTool(name: string, options: CostOptions): boolean {
  const tool = toolEntry(options.tools, name);
  return tool !== undefined && typeof tool === "object" && (tool as { kind?: unknown }).kind === "llm";
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

function explain(
  source: string,
  sites: readonly Site[],
  toolCalls: Readonly<Record<string, CostExpr>>,
  cost: Cost,
  assumed: readonly AssumedBound[],
  sizes: Sizes,
  defaultSize: number,
  total: number,
): string {
  const lines = source.split("\n");
  const out: string[] = [];
  const byLine = new Map<number, string[]>();
  const note = (line: number, text: string) => {
    const notes = byLine.get(line);
    if (notes === undefined) byLine.set(line, [text]);
    else notes.push(text);
  };
  for (const site of sites) note(site.span.line, `${site.text}: ${site.count.toString()} call(s)`);
  for (const bound of assumed) note(bound.span.line, `${bound.what}: bound assumed, ${bound.bound} iterations`);
  for (const [line, notes] of [...byLine].sort(([a], [b]) => a - b)) {
    out.push(`line ${line}: ${(lines[line - 1] ?? "").trim()}`);
    for (const note of notes) out.push(`    ${note}`);
  }
  out.push("tool calls:");
  const entries = Object.entries(toolCalls);
  if (entries.length === 0) out.push("    none");
  for (const [tool, count] of entries)
    out.push(`    ${tool}: ${count.toString()} = ${count.evaluate(sizes, defaultSize)}`);
  out.push(
    `critical path (rounds of tool calls): ${cost.latency.toString()} = ${cost.latency.evaluate(sizes, defaultSize)}`,
  );
  out.push(`steps: ${cost.steps.toString()} = ${cost.steps.evaluate(sizes, defaultSize)}`);
  const given = Object.entries(sizes).map(([name, value]) => `|${name}| = ${value}`);
  out.push(
    `total: ${Number(total.toFixed(3))} (sizes: ${given.length > 0 ? given.join(", ") : "none given"}; unknown sizes count as ${defaultSize})`,
  );
  return out.join("\n");
}
