import type { Diagnostic } from "../errors/diagnostic.js";
import type {
  BindingStep,
  FnNode,
  IfNode,
  LetfnNode,
  Level,
  MapPattern,
  Node,
  Pattern,
  TryNode,
} from "../lisp/analyze/ir.js";
import { Keyword } from "../lisp/values/value.js";
import { type ControlNode, NodeChecker } from "./check-nodes.js";
import { type CheckTypesOptions, Env, type EnvKey, type Expect, NOWHERE, VARIANTS_PER_FN } from "./checker-core.js";
import {
  ANY_T,
  BOOL,
  clip,
  elementOf,
  type FnInfo,
  fnTy,
  fromType,
  join,
  NEVER,
  NIL,
  nonNil,
  seqOf,
  type Ty,
  tyKey,
  widen,
} from "./static-types.js";

export type { CheckTypesOptions, ToolContract } from "./checker-core.js";

/** True for a test whose value is always truthy (`:else`, `true`, a literal string, number or collection). */
function alwaysTruthy(node: Node): boolean {
  if (node.kind === "vector" || node.kind === "map" || node.kind === "set") return true;
  if (node.kind !== "const" || node.quoted !== undefined || node.form === undefined) return false;
  switch (node.form.kind) {
    case "boolean":
      return node.form.value;
    case "keyword":
    case "string":
    case "number":
    case "char":
      return true;
    default:
      return false;
  }
}

function alwaysFalsy(node: Node): boolean {
  if (node.kind !== "const" || node.quoted !== undefined) return false;
  const form = node.form;
  return form?.kind === "nil" || (form?.kind === "boolean" && !form.value);
}

class Checker extends NodeChecker {
  protected control(node: ControlNode, env: Env, expect: Expect | undefined): [Ty, boolean] {
    switch (node.kind) {
      case "if":
        return [this.ifNode(node, env, expect), true];
      case "do":
        return [this.body(node.body, env, expect, node.span), true];
      case "let":
      case "loop": {
        const inner = this.bindings(node.bindings, env, node.kind === "loop");
        return [this.body(node.body, inner, expect, node.span), true];
      }
      case "recur":
        for (const arg of node.args) this.infer(arg, env);
        return [NEVER, true];
      case "fn":
        return [this.closure(node, env), false];
      case "def": {
        const ty = node.value === null ? NIL : this.infer(node.value, env);
        this.globals.set(node.name, ty.k === "never" ? ANY_T : ty);
        this.defnNames.delete(node.name);
        return [ANY_T, false];
      }
      case "defn": {
        this.globals.set(node.name, ANY_T);
        const ty = this.closure(node.fn, env);
        this.globals.set(node.name, ty);
        this.defnNames.add(node.name);
        return [ANY_T, false];
      }
      case "letfn":
        return [this.letfn(node, env, expect), true];
      case "and": {
        const types = node.items.map((item) => this.infer(item, env));
        if (types.length === 0) return [BOOL, false];
        return [types.every((ty) => ty.k === "bool") ? BOOL : ANY_T, false];
      }
      case "or": {
        const types = node.items.map((item) => this.infer(item, env));
        if (types.length === 0) return [NIL, false];
        return [join([...types.slice(0, -1).map(nonNil), types[types.length - 1] as Ty]), false];
      }
      case "throw":
        this.infer(node.value, env);
        return [NEVER, true];
      case "try":
        return [this.tryNode(node, env, expect), true];
      case "case": {
        this.infer(node.expr, env);
        const results = node.clauses.map((clause) => this.infer(clause.body, env, expect));
        if (node.default !== null) results.push(this.infer(node.default, env, expect));
        return [join(results), true];
      }
      case "for": {
        const inner = this.comprehension(node.levels, env);
        return [seqOf(this.body(node.body, inner, undefined, node.span)), false];
      }
      case "doseq": {
        const inner = this.comprehension(node.levels, env);
        this.body(node.body, inner, undefined, node.span);
        return [NIL, false];
      }
    }
  }

  protected ifNode(node: IfNode, env: Env, expect: Expect | undefined): Ty {
    const test = node.test;
    this.infer(test, env);
    const branches: Ty[] = [];
    const narrowed = this.narrow(test, env);
    if (!alwaysFalsy(test)) branches.push(this.infer(node.then, narrowed.truthy, expect));
    if (!alwaysTruthy(test)) {
      if (node.else !== null) branches.push(this.infer(node.else, narrowed.falsy, expect));
      else {
        if (expect !== undefined) this.conformTo(NIL, expect, node.span, true);
        branches.push(NIL);
      }
    }
    return join(branches);
  }

  /**
   * Occurrence typing for the common nil tests: after `(if x ...)` or `(if (some? x) ...)` the
   * then branch sees `x` without nil; after `(if (nil? x) ...)` the else branch does.
   */
  protected narrow(test: Node, env: Env): { truthy: Env; falsy: Env } {
    const same = { truthy: env, falsy: env };
    const subject = (node: Node | undefined): { key: EnvKey; ty: Ty } | undefined => {
      if (node?.kind === "data") {
        const key = `data/${node.name}`;
        return { key, ty: env.get(key) ?? this.dataType(node.name) };
      }
      if (node?.kind !== "local") return undefined;
      const ty = env.get(node.binding);
      return ty === undefined ? undefined : { key: node.binding, ty };
    };
    const without = (found: { key: EnvKey; ty: Ty }) => env.child(new Map([[found.key, nonNil(found.ty)]]));
    const direct = subject(test);
    if (direct !== undefined) return { truthy: without(direct), falsy: env };
    if (test.kind !== "builtin-call" || test.args.length !== 1) return same;
    const found = subject(test.args[0]);
    if (found === undefined) return same;
    const truth = test.builtin.spec.truth;
    if (truth === "not-nil") return { truthy: without(found), falsy: env };
    if (truth === "nil" || truth === "falsy") return { truthy: env, falsy: without(found) };
    return same;
  }

  protected dataType(name: string): Ty {
    const type = this.params?.get(name);
    return type === undefined ? ANY_T : fromType(type);
  }

  protected tryNode(node: TryNode, env: Env, expect: Expect | undefined): Ty {
    const results: Ty[] = [];
    const soft = expect === undefined ? undefined : { ...expect, soft: true };
    for (const clause of node.catches) {
      const inner = env.child(new Map([[clause.binding, ANY_T]]));
      results.push(this.body(clause.body, inner, soft, clause.span));
    }
    if (node.finally !== null) this.body(node.finally, env, undefined, node.span);
    results.unshift(this.body(node.body, env, expect, node.span));
    return join(results);
  }

  /** The scope of a binding vector's steps, each seeing the ones before it. */
  protected bindings(steps: readonly BindingStep[], env: Env, loop: boolean): Env {
    let current = env;
    for (const step of steps) {
      const init = this.infer(step.init, current);
      const vars = new Map<EnvKey, Ty>();
      this.bind(step.pattern, loop ? widen(init) : init, vars, current);
      current = current.child(vars);
    }
    return current;
  }

  /** The scope of a `for`/`doseq` binding vector (with `:let`, `:when`, `:while`). */
  protected comprehension(levels: readonly Level[], env: Env): Env {
    let current = env;
    for (const level of levels) {
      const coll = this.infer(level.coll, current);
      const vars = new Map<EnvKey, Ty>();
      this.bind(level.pattern, elementOf(coll), vars, current);
      current = current.child(vars);
      for (const modifier of level.modifiers) {
        if (modifier.kind === "let") current = this.bindings(modifier.bindings, current, false);
        else this.infer(modifier.test, current);
      }
    }
    return current;
  }

  protected letfn(node: LetfnNode, env: Env, expect: Expect | undefined): Ty {
    const vars = new Map<EnvKey, Ty>();
    const inner = new Env(env, vars);
    for (const { binding } of node.fns) vars.set(binding, ANY_T);
    for (const { binding, fn } of node.fns) vars.set(binding, this.closure(fn, inner));
    return this.body(node.body, inner, expect, node.span);
  }

  // -------------------------------------------------------------------------------------------
  // Functions

  /**
   * A function value. Its body is inferred once with `any` arguments (reporting what does not
   * depend on them), then again for each distinct list of argument types it is called with.
   */
  protected closure(fn: FnNode, env: Env): Ty {
    const arities = fn.arities;
    if (arities.length === 0) return ANY_T;
    const fixed = arities.filter((arity) => arity.rest === null).map((arity) => arity.params.length);
    const variadic = arities.find((arity) => arity.rest !== null);
    const cache = new Map<string, Ty>();
    const running = new Set<string>();
    const info: FnInfo = {
      name: fn.name === "" ? "fn" : fn.name,
      arity: { fixed, variadicMin: variadic === undefined ? null : variadic.params.length },
      apply: (args) => {
        const arity =
          arities.find((candidate) => candidate.rest === null && candidate.params.length === args.length) ??
          arities.find((candidate) => candidate.rest !== null && args.length >= candidate.params.length);
        if (arity === undefined) return ANY_T;
        const widened = args.map((arg) => clip(arg.k === "kw" ? arg : widenLiteral(arg)));
        const key = `${arities.indexOf(arity)}|${widened.map((arg) => tyKey(arg)).join(",")}`;
        const cached = cache.get(key);
        if (cached !== undefined) return cached;
        if (running.has(key) || cache.size >= VARIANTS_PER_FN) return ANY_T;
        running.add(key);
        try {
          const vars = new Map<EnvKey, Ty>();
          if (fn.self !== null) vars.set(fn.self, self);
          const scope = new Env(env, vars);
          arity.params.forEach((param, i) => {
            this.bind(param, widened[i] ?? ANY_T, vars, scope);
          });
          if (arity.rest !== null) {
            const rest = widened.slice(arity.params.length);
            this.bind(arity.rest, rest.length === 0 ? NIL : seqOf(join(rest)), vars, scope);
          }
          const result = clip(this.body(arity.body, scope, undefined, NOWHERE), 6);
          cache.set(key, result);
          return result;
        } finally {
          running.delete(key);
        }
      },
    };
    const self = fnTy(info);
    for (const arity of arities) {
      info.apply(
        arity.params.map(() => ANY_T),
        NOWHERE,
      );
      if (arity.rest !== null) info.apply([...arity.params.map(() => ANY_T), ANY_T], NOWHERE);
    }
    return self;
  }

  // -------------------------------------------------------------------------------------------
  // Destructuring

  protected bind(pattern: Pattern, ty: Ty, vars: Map<EnvKey, Ty>, env: Env): void {
    switch (pattern.kind) {
      case "seq":
        pattern.items.forEach((item, i) => {
          this.bind(item, positional(ty, i), vars, env);
        });
        if (pattern.rest !== null) this.bind(pattern.rest, remainder(ty, pattern.items.length), vars, env);
        if (pattern.as !== null) vars.set(pattern.as, ty);
        return;
      case "map":
        this.bindMap(pattern, ty, vars, env);
        return;
      case "invalid":
        return;
      default:
        vars.set(pattern.binding, ty);
    }
  }

  protected bindMap(pattern: MapPattern, ty: Ty, vars: Map<EnvKey, Ty>, env: Env): void {
    const source: Ty = ty.k === "seq" || ty.k === "tuple" ? ANY_T : ty;
    for (const entry of pattern.entries) {
      const key = entry.key instanceof Keyword ? entry.key.fqn : typeof entry.key === "string" ? entry.key : undefined;
      const found = entry.from === "syms" || key === undefined ? ANY_T : this.field(source, key, entry.keySpan);
      const value = entry.fallback === null ? found : join([nonNil(found), this.infer(entry.fallback, env)]);
      this.bind(entry.pattern, value, vars, env);
    }
    if (pattern.as !== null) vars.set(pattern.as, ty);
  }
}

/** The type a vector pattern binds at `index` (`nth`), member by member for unions. */
function positional(ty: Ty, index: number): Ty {
  switch (ty.k) {
    case "tuple":
      return ty.items[index] ?? NIL;
    case "seq":
    case "set":
    case "str":
      return elementOf(ty);
    case "nil":
    case "never":
      return ty;
    case "union":
      return join(ty.members.map((member) => positional(member, index)));
    default:
      return ANY_T;
  }
}

/** The type a vector pattern's `& rest` binds after `index` elements. */
function remainder(ty: Ty, index: number): Ty {
  switch (ty.k) {
    case "tuple":
      return ty.items.length > index ? seqOf(join(ty.items.slice(index))) : NIL;
    case "seq":
    case "set":
    case "str":
      return seqOf(elementOf(ty));
    case "nil":
    case "never":
      return ty;
    case "union":
      return join(ty.members.map((member) => remainder(member, index)));
    default:
      return ANY_T;
  }
}

function widenLiteral(ty: Ty): Ty {
  if ((ty.k === "int" || ty.k === "num" || ty.k === "str") && ty.lit !== undefined) return { k: ty.k };
  if (ty.k === "tuple") return { k: "tuple", items: ty.items.map(widenLiteral) };
  return ty;
}

/**
 * Checks a program against its signature and its tools' contracts, before it runs: unknown
 * `data/` keys (closed parameter lists), tool arguments that are missing, extra or of the
 * wrong type, field reads the type says cannot exist (warnings), return values that cannot
 * match the output signature (errors when certain, warnings when only possible), and calls
 * with the wrong number of arguments. Types flow from literals, the builtins, `data/...`, tool
 * outputs, through `let`, destructuring, functions and threading; `any` flows silently, so a
 * program the checker cannot follow gets no diagnostic rather than a false one.
 *
 * Walks the analyzed program (lisp/analyze/ir.ts): macros are expanded and names resolved
 * there, never here. Expects nodes of a program the analyzer accepted. Never throws; an
 * internal fault yields no diagnostics.
 */
export function checkTypes(nodes: readonly Node[], options: CheckTypesOptions = {}): Diagnostic[] {
  try {
    return new Checker(options).run(nodes);
  } catch (error) {
    if (error instanceof RangeError) return [];
    return [];
  }
}
