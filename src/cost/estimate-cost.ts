import type { SourceSpan } from "../errors/span.js";
import type {
  BindingStep,
  CollectionNode,
  ComprehensionNode,
  FnArity,
  FnNode,
  LoopNode,
  Node,
  Pattern,
  ToolCallNode,
} from "../lisp/analyze/ir.js";
import { lowerProgram } from "../lisp/analyze/lower.js";
import type { BuiltinFn } from "../lisp/builtins/registry.js";
import { parse } from "../lisp/parser/parse.js";
import { Keyword } from "../lisp/values/value.js";
import { type Cost, FREE, maximum, plus, STEP, sum, times } from "./cost-algebra.js";
import { CostExpr } from "./cost-expr.js";
import type { AssumedBound, CostEstimate, CostOptions } from "./cost-types.js";
import { explain, isLlmTool, type Site, weightOf } from "./explain.js";
import { loopBound } from "./loop-bound.js";
import { resultShape } from "./result-shape.js";
import { Env, elementOf, type FnShape, fieldOf, pathShape, type Shape, sizeOf, UNKNOWN } from "./shape.js";

export type { AssumedBound, CostEstimate, CostOptions } from "./cost-types.js";

interface Walk {
  /** How many times the node being walked runs, per run of the program. */
  readonly multiplier: CostExpr;
  readonly env: Env;
}

interface Result {
  readonly cost: Cost;
  readonly shape: Shape;
}

const NOTHING: Result = { cost: FREE, shape: UNKNOWN };

/** Walks the analyzed program (lisp/analyze/ir.ts): every name is resolved and every macro expanded already. */
class Estimator {
  readonly assumed: AssumedBound[] = [];
  readonly sites: Site[] = [];
  private readonly globals = new Map<string, Shape>();
  private readonly active: { fn: FnShape; recursive: boolean }[] = [];

  constructor(
    private readonly defaultSize: number,
    private readonly loopBound: number,
  ) {}

  private unknownSize(): CostExpr {
    return CostExpr.constant(this.defaultSize);
  }

  program(nodes: readonly Node[]): Cost {
    const walk: Walk = { multiplier: CostExpr.ONE, env: new Env(null) };
    return sum(nodes.map((node) => this.node(node, walk).cost));
  }

  private body(nodes: readonly Node[], walk: Walk): Result {
    const costs: Cost[] = [];
    let shape: Shape = UNKNOWN;
    for (const node of nodes) {
      const result = this.node(node, walk);
      costs.push(result.cost);
      shape = result.shape;
    }
    return { cost: sum(costs), shape };
  }

  /** The shape of a node's value, recording nothing (a loop's limit, walked again with the body). */
  private shapeOf(node: Node, env: Env): Shape {
    const sites = this.sites.length;
    const assumed = this.assumed.length;
    const { shape } = this.node(node, { multiplier: CostExpr.ZERO, env });
    this.sites.length = sites;
    this.assumed.length = assumed;
    return shape;
  }

  private node(node: Node, walk: Walk): Result {
    switch (node.kind) {
      case "const":
        return { cost: FREE, shape: constShape(node.value, node.quoted !== undefined) };
      case "local":
        return { cost: FREE, shape: walk.env.get(node.binding) ?? UNKNOWN };
      case "global":
        return { cost: FREE, shape: this.globals.get(node.name) ?? UNKNOWN };
      case "data":
        return { cost: FREE, shape: pathShape(node.name) };
      case "regex":
      case "builtin":
      case "invalid":
        return NOTHING;
      case "vector":
      case "set":
        return this.collection(node, walk);
      case "map":
        return this.map(node, walk);
      case "do":
        return this.body(node.body, walk);
      case "and":
      case "or":
        return this.body(node.items, walk);
      case "if": {
        const test = this.node(node.test, walk);
        const then = this.node(node.then, walk);
        const otherwise = node.else === null ? NOTHING : this.node(node.else, walk);
        return { cost: plus(test.cost, maximum(then.cost, otherwise.cost)), shape: then.shape };
      }
      case "case": {
        const expr = this.node(node.expr, walk).cost;
        const results = node.clauses.map((clause) => clause.body);
        if (node.default !== null) results.push(node.default);
        const branches = results.map((result) => this.node(result, walk).cost);
        return { cost: plus(expr, branches.slice(1).reduce(maximum, branches[0] ?? FREE)), shape: UNKNOWN };
      }
      case "let": {
        const env = walk.env.child();
        const cost = this.bindings(node.bindings, { ...walk, env });
        const body = this.body(node.body, { ...walk, env });
        return { cost: plus(cost, body.cost), shape: body.shape };
      }
      case "loop":
        return this.loop(node, walk);
      case "recur":
        return { cost: this.body(node.args, walk).cost, shape: UNKNOWN };
      case "fn":
        return { cost: FREE, shape: { fn: fnShape(node, walk.env) } };
      case "def": {
        const value = node.value === null ? NOTHING : this.node(node.value, walk);
        this.globals.set(node.name, value.shape);
        return { cost: value.cost, shape: UNKNOWN };
      }
      case "defn":
        this.globals.set(node.name, { fn: { ...fnShape(node.fn, walk.env), name: node.name } });
        return NOTHING;
      case "letfn": {
        const env = walk.env.child();
        for (const { binding, fn } of node.fns) env.set(binding, { fn: fnShape(fn, env) });
        return this.body(node.body, { ...walk, env });
      }
      case "throw":
        return { cost: this.node(node.value, walk).cost, shape: UNKNOWN };
      case "try": {
        const body = this.body(node.body, walk).cost;
        const handlers = node.catches.map((clause) => this.body(clause.body, walk).cost);
        const cost = plus(body, this.body(node.finally ?? [], walk).cost);
        return { cost: plus(cost, handlers.reduce(maximum, FREE)), shape: UNKNOWN };
      }
      case "for":
      case "doseq":
        return this.comprehension(node, walk);
      case "tool":
        return this.toolCall(node, walk);
      case "keyword-call": {
        const target = this.node(node.target, walk);
        const fallback = node.fallback === null ? FREE : this.node(node.fallback, walk).cost;
        return { cost: sum([target.cost, fallback], STEP), shape: fieldOf(target.shape, node.key.name) };
      }
      case "builtin-call":
        return this.call(node.args, walk, (shapes) => this.builtin(node.builtin, shapes, node.args, walk));
      case "call": {
        const callee = this.node(node.callee, walk);
        const result = this.call(node.args, walk, (shapes) =>
          callee.shape.fn ? this.apply(callee.shape.fn, shapes, walk, node.span) : NOTHING,
        );
        return { cost: plus(callee.cost, result.cost), shape: result.shape };
      }
    }
  }

  /** A call: each argument evaluated once, one step, and what the callee does with their shapes. */
  private call(args: readonly Node[], walk: Walk, callee: (shapes: readonly Shape[]) => Result): Result {
    const evaluated = args.map((arg) => this.node(arg, walk));
    const result = callee(evaluated.map((arg) => arg.shape));
    return { cost: sum([...evaluated.map((arg) => arg.cost), result.cost], STEP), shape: result.shape };
  }

  private collection(node: CollectionNode, walk: Walk): Result {
    const items = node.items.map((item) => this.node(item, walk));
    const first = items[0]?.shape;
    return {
      cost: sum(items.map((item) => item.cost)),
      shape: { size: CostExpr.constant(items.length), ...(first ? { element: first } : {}) },
    };
  }

  private map(node: CollectionNode, walk: Walk): Result {
    const costs: Cost[] = [];
    const fields = new Map<string, Shape>();
    for (let i = 0; i + 1 < node.items.length; i += 2) {
      const key = node.items[i] as Node;
      costs.push(this.node(key, walk).cost);
      const value = this.node(node.items[i + 1] as Node, walk);
      costs.push(value.cost);
      const name = key.kind === "const" ? fieldName(key.value) : undefined;
      if (name !== undefined) fields.set(name, value.shape);
    }
    return { cost: sum(costs), shape: { fields } };
  }

  private toolCall(node: ToolCallNode, walk: Walk): Result {
    const { cost } = this.body(node.args, walk);
    this.sites.push({ span: node.span, text: `tool/${node.name}`, count: walk.multiplier });
    const call: Cost = { calls: new Map([[node.name, CostExpr.ONE]]), latency: CostExpr.ONE, steps: CostExpr.ONE };
    return { cost: plus(cost, call), shape: pathShape(node.name) };
  }

  /** Cost and result of calling a function value once with arguments of the given shapes. */
  private applyValue(shape: Shape, args: readonly Shape[], walk: Walk, span: SourceSpan): Result {
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

  private apply(fn: FnShape, args: readonly Shape[], walk: Walk, span: SourceSpan): Result {
    const open = this.active.find((entry) => entry.fn === fn);
    if (open !== undefined) {
      open.recursive = true;
      return { cost: STEP, shape: UNKNOWN };
    }
    const arity = arityFor(fn.arities, args.length);
    if (arity === undefined) return { cost: STEP, shape: UNKNOWN };
    const env = fn.env.child();
    if (fn.self !== null) env.set(fn.self, { fn });
    arity.params.forEach((param, i) => {
      bind(param, args[i] ?? UNKNOWN, env);
    });
    if (arity.rest !== null) {
      const more = args.slice(arity.params.length);
      bind(arity.rest, { size: CostExpr.constant(more.length), ...(more[0] ? { element: more[0] } : {}) }, env);
    }
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

  private builtin(builtin: BuiltinFn, shapes: readonly Shape[], args: readonly Node[], walk: Walk): Result {
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

  /** Walks `pattern init` pairs in order, binding each pattern in `walk.env`, which later inits see. */
  private bindings(steps: readonly BindingStep[], walk: Walk, repeat: CostExpr = CostExpr.ONE): Cost {
    const costs: Cost[] = [];
    for (const step of steps) {
      const value = this.node(step.init, walk);
      costs.push(repeat === CostExpr.ONE ? value.cost : times(value.cost, repeat));
      bind(step.pattern, value.shape, walk.env);
    }
    return sum(costs);
  }

  /** A loop runs its body as many times as its test's builtin facts bound, or an assumed bound. */
  private loop(node: LoopNode, walk: Walk): Result {
    const env = walk.env.child();
    const init = this.bindings(node.bindings, { ...walk, env });
    const bound = loopBound(node, env, (limit) => this.shapeOf(limit, env));
    const iterations = bound ?? CostExpr.constant(this.loopBound);
    if (bound === undefined) this.assumed.push({ span: node.span, what: "loop", bound: this.loopBound });
    const body = this.body(node.body, { multiplier: walk.multiplier.times(iterations), env });
    return { cost: plus(init, times(body.cost, iterations)), shape: UNKNOWN };
  }

  /** `for` and `doseq` run their body once per combination of the elements their levels bind. */
  private comprehension(node: ComprehensionNode, walk: Walk): Result {
    const env = walk.env.child();
    let cost = FREE;
    let multiplier = CostExpr.ONE;
    const inner = () => ({ multiplier: walk.multiplier.times(multiplier), env });
    for (const level of node.levels) {
      const coll = this.node(level.coll, inner());
      cost = plus(cost, times(coll.cost, multiplier));
      multiplier = multiplier.times(sizeOf(coll.shape, this.unknownSize()));
      bind(level.pattern, elementOf(coll.shape), env);
      for (const modifier of level.modifiers) {
        const added =
          modifier.kind === "let"
            ? this.bindings(modifier.bindings, inner(), multiplier)
            : times(this.node(modifier.test, inner()).cost, multiplier);
        cost = plus(cost, added);
      }
    }
    const body = this.body(node.body, inner());
    const total = plus(cost, times(plus(body.cost, STEP), multiplier));
    return { cost: total, shape: node.kind === "for" ? { size: multiplier, element: body.shape } : UNKNOWN };
  }
}

const dummySpan: SourceSpan = { start: 0, end: 0, line: 1, column: 1 };

function constShape(value: unknown, quoted: boolean): Shape {
  if (quoted) return UNKNOWN;
  if (typeof value === "number") return { number: CostExpr.constant(value) };
  if (value instanceof Keyword) return { keyword: value.name };
  return UNKNOWN;
}

/** The field a literal map key names: a keyword's name or a string. */
function fieldName(key: unknown): string | undefined {
  if (key instanceof Keyword) return key.name;
  return typeof key === "string" ? key : undefined;
}

function fnShape(node: FnNode, env: Env): FnShape {
  return { name: node.name, arities: node.arities, self: node.self, env };
}

/** The arity a call with `count` arguments runs: the exact one, else a variadic one that takes them, else the first. */
function arityFor(arities: readonly FnArity[], count: number): FnArity | undefined {
  return (
    arities.find((arity) => arity.rest === null && arity.params.length === count) ??
    arities.find((arity) => arity.rest !== null && arity.params.length <= count) ??
    arities[0]
  );
}

/** Binds the names of a pattern to what is known of the parts of `shape` they destructure. */
function bind(pattern: Pattern, shape: Shape, env: Env): void {
  switch (pattern.kind) {
    case "seq": {
      const item = shape.element ?? (shape.fields ? UNKNOWN : elementOf(shape));
      for (const each of pattern.items) bind(each, item, env);
      if (pattern.rest !== null) bind(pattern.rest, shape, env);
      if (pattern.as !== null) env.set(pattern.as, shape);
      return;
    }
    case "map":
      for (const entry of pattern.entries) {
        const name = entry.from === "syms" ? undefined : fieldName(entry.key);
        if (name !== undefined && (entry.from !== "pair" || entry.key instanceof Keyword))
          bind(entry.pattern, fieldOf(shape, name), env);
      }
      if (pattern.as !== null) env.set(pattern.as, shape);
      return;
    case "invalid":
      return;
    default:
      // A plain name (the pattern kind is spelled like a builtin, which this folder never names).
      env.set(pattern.binding, shape);
  }
}

/**
 * Estimates the cost of a program from its source, without running it: tool calls per tool,
 * LLM calls and evaluation steps as expressions of input sizes, and a weighted total under
 * the given sizes. See docs/cost.md for the rules. A form the analyzer rejects costs nothing.
 */
export function estimateCost(program: string | { readonly source: string }, options: CostOptions = {}): CostEstimate {
  const source = typeof program === "string" ? program : program.source;
  const defaultSize = options.defaultSize ?? 10;
  const estimator = new Estimator(defaultSize, options.loopBound ?? 10);
  // No tools are given to the analyzer: a call of an unknown tool is still a call to estimate.
  const lowered = lowerProgram(parse(source).forms, {});
  const cost = estimator.program(lowered.nodes);
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
