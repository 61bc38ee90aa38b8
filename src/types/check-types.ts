import type { Diagnostic } from "../errors/diagnostic.js";
import { fnLiteralPlaceholders } from "../lisp/analyze/fn-literal.js";
import type { Form, ListForm, MapForm, VectorForm } from "../lisp/ast/nodes.js";
import { lookupBuiltin } from "../lisp/builtins/registry.js";
import { FormChecker } from "./check-forms.js";
import {
  type Arity,
  alwaysFalsy,
  alwaysTruthy,
  type CheckTypesOptions,
  Env,
  type Expect,
  isName,
  literalName,
  NOWHERE,
  VARIANTS_PER_FN,
} from "./checker-core.js";
import {
  ANY_T,
  BOOL,
  clip,
  elementOf,
  type FnInfo,
  fnTy,
  fromType,
  INT,
  join,
  NEVER,
  NIL,
  NUM,
  nonNil,
  STR,
  seqOf,
  type Ty,
  tyKey,
} from "./static-types.js";

export type { CheckTypesOptions, ToolContract } from "./checker-core.js";

class Checker extends FormChecker {
  protected special(name: string, form: ListForm, env: Env, expect: Expect | undefined): [Ty, boolean] {
    const items = form.items;
    switch (name) {
      case "if": {
        const test = items[1];
        if (test === undefined) return [ANY_T, false];
        this.infer(test, env);
        const branches: Ty[] = [];
        const then = items[2];
        const otherwise = items[3];
        const narrowed = this.narrow(test, env);
        if (then !== undefined && !alwaysFalsy(test)) branches.push(this.infer(then, narrowed.truthy, expect));
        if (!alwaysTruthy(test)) {
          if (otherwise !== undefined) branches.push(this.infer(otherwise, narrowed.falsy, expect));
          else {
            if (expect !== undefined) this.conformTo(NIL, expect, form.span, true);
            branches.push(NIL);
          }
        }
        return [join(branches), true];
      }
      case "do":
        return [this.body(items.slice(1), env, expect, form.span), true];
      case "let":
      case "let*":
      case "loop": {
        const inner = this.bindings(items[1], env, name === "loop");
        return [this.body(items.slice(2), inner, expect, form.span), true];
      }
      case "recur":
        for (const arg of items.slice(1)) this.infer(arg, env);
        return [NEVER, true];
      case "fn":
      case "fn*":
        return [this.fnForm(items, 1, env, undefined), false];
      case "def": {
        const target = items[1];
        const value = items.length === 4 ? items[3] : items[2];
        const ty = value === undefined ? NIL : this.infer(value, env);
        if (target?.kind === "symbol") {
          this.globals.set(target.name, ty.k === "never" ? ANY_T : ty);
          this.defnNames.delete(target.name);
        }
        return [ANY_T, false];
      }
      case "defn":
      case "defn-": {
        const target = items[1];
        if (target?.kind !== "symbol") return [ANY_T, false];
        let start = 2;
        if (items[start]?.kind === "string") start++;
        if (items[start]?.kind === "map") start++;
        this.globals.set(target.name, ANY_T);
        const ty = this.fnForm(items, start, env, target.name);
        this.globals.set(target.name, ty);
        this.defnNames.add(target.name);
        return [ANY_T, false];
      }
      case "declare":
        for (const item of items.slice(1))
          if (item.kind === "symbol" && !this.globals.has(item.name)) this.globals.set(item.name, ANY_T);
        return [NIL, false];
      case "letfn":
        return [this.letfn(form, env, expect), true];
      case "and": {
        const types = items.slice(1).map((item) => this.infer(item, env));
        if (types.length === 0) return [BOOL, false];
        return [types.every((ty) => ty.k === "bool") ? BOOL : ANY_T, false];
      }
      case "or": {
        const types = items.slice(1).map((item) => this.infer(item, env));
        if (types.length === 0) return [NIL, false];
        return [join([...types.slice(0, -1).map(nonNil), types[types.length - 1] as Ty]), false];
      }
      case "quote":
        return [this.quoted(items[1]), false];
      case "throw":
        for (const arg of items.slice(1)) this.infer(arg, env);
        return [NEVER, true];
      case "try":
        return [this.tryForm(form, env, expect), true];
      case "case":
        return [this.caseForm(form, env, expect), true];
      case "for":
        return [this.forForm(form, env), false];
      case "doseq": {
        const inner = this.comprehension(items[1], env);
        this.body(items.slice(2), inner, undefined, form.span);
        return [NIL, false];
      }
      default:
        for (const item of items.slice(1)) if (item.kind === "list") this.infer(item, env);
        return [ANY_T, false];
    }
  }

  /**
   * Occurrence typing for the common nil tests: after `(if x ...)` or `(if (some? x) ...)` the
   * then branch sees `x` without nil; after `(if (nil? x) ...)` the else branch does.
   */
  protected narrow(test: Form, env: Env): { truthy: Env; falsy: Env } {
    const same = { truthy: env, falsy: env };
    const subject = (form: Form | undefined): { key: string; ty: Ty } | undefined => {
      if (form?.kind !== "symbol") return undefined;
      if (form.ns === "data") {
        const key = `data/${form.name}`;
        return { key, ty: env.get(key) ?? this.dataType(form.name) };
      }
      if (form.ns !== null) return undefined;
      const ty = env.get(form.name);
      return ty === undefined ? undefined : { key: form.name, ty };
    };
    const without = (found: { key: string; ty: Ty }) => env.child(new Map([[found.key, nonNil(found.ty)]]));
    const direct = subject(test);
    if (direct !== undefined) return { truthy: without(direct), falsy: env };
    if (test.kind !== "list" || test.items.length !== 2) return same;
    const head = test.items[0];
    if (head?.kind !== "symbol" || (head.ns !== null && head.ns !== "clojure.core") || env.has(head.name)) return same;
    const found = subject(test.items[1]);
    if (found === undefined) return same;
    const truth = lookupBuiltin(null, head.name)?.spec.truth;
    if (truth === "not-nil") return { truthy: without(found), falsy: env };
    if (truth === "nil" || truth === "falsy") return { truthy: env, falsy: without(found) };
    return same;
  }

  protected dataType(name: string): Ty {
    const type = this.params?.get(name);
    return type === undefined ? ANY_T : fromType(type);
  }

  protected quoted(form: Form | undefined): Ty {
    if (form === undefined) return NIL;
    switch (form.kind) {
      case "nil":
        return NIL;
      case "boolean":
        return BOOL;
      case "number":
        return Number.isInteger(form.value) ? INT : NUM;
      case "string":
        return STR;
      case "keyword":
        return { k: "kw", lit: literalName(form) as string };
      case "list":
      case "vector":
        return seqOf(ANY_T);
      default:
        return ANY_T;
    }
  }

  protected tryForm(form: ListForm, env: Env, expect: Expect | undefined): Ty {
    const body: Form[] = [];
    const results: Ty[] = [];
    for (const item of form.items.slice(1)) {
      const head = item.kind === "list" ? item.items[0] : undefined;
      if (item.kind === "list" && isName(head, "catch")) {
        const binding = item.items[2];
        const vars = new Map<string, Ty>();
        if (binding?.kind === "symbol") vars.set(binding.name, ANY_T);
        const soft = expect === undefined ? undefined : { ...expect, soft: true };
        results.push(this.body(item.items.slice(3), env.child(vars), soft, item.span));
      } else if (item.kind === "list" && isName(head, "finally")) {
        this.body(item.items.slice(1), env, undefined, item.span);
      } else {
        body.push(item);
      }
    }
    results.unshift(this.body(body, env, expect, form.span));
    return join(results);
  }

  protected caseForm(form: ListForm, env: Env, expect: Expect | undefined): Ty {
    const expr = form.items[1];
    if (expr !== undefined) this.infer(expr, env);
    const clauses = form.items.slice(2);
    const results: Ty[] = [];
    for (let i = 0; i + 1 < clauses.length; i += 2) results.push(this.infer(clauses[i + 1] as Form, env, expect));
    if (clauses.length % 2 === 1) results.push(this.infer(clauses[clauses.length - 1] as Form, env, expect));
    return join(results);
  }

  /** The scope of a `for`/`doseq` binding vector (with `:let`, `:when`, `:while`). */
  protected comprehension(vector: Form | undefined, env: Env): Env {
    if (vector?.kind !== "vector") return env;
    let current = env;
    for (let i = 0; i + 1 < vector.items.length; i += 2) {
      const left = vector.items[i] as Form;
      const right = vector.items[i + 1] as Form;
      if (left.kind === "keyword") {
        if (left.name === "let") current = this.bindings(right, current, false);
        else this.infer(right, current);
        continue;
      }
      const coll = this.infer(right, current);
      const vars = new Map<string, Ty>();
      this.bind(left, elementOf(coll), vars, current);
      current = current.child(vars);
    }
    return current;
  }

  protected forForm(form: ListForm, env: Env): Ty {
    const inner = this.comprehension(form.items[1], env);
    const body = form.items[2];
    return seqOf(body === undefined ? NIL : this.infer(body, inner));
  }

  protected letfn(form: ListForm, env: Env, expect: Expect | undefined): Ty {
    const specs = form.items[1];
    const vars = new Map<string, Ty>();
    const inner = new Env(env, vars);
    if (specs?.kind === "vector") {
      for (const spec of specs.items) {
        const name = spec.kind === "list" ? spec.items[0] : undefined;
        if (name?.kind === "symbol") vars.set(name.name, ANY_T);
      }
      for (const spec of specs.items) {
        const name = spec.kind === "list" ? spec.items[0] : undefined;
        if (spec.kind === "list" && name?.kind === "symbol")
          vars.set(name.name, this.fnForm(spec.items, 1, inner, name.name));
      }
    }
    return this.body(form.items.slice(2), inner, expect, form.span);
  }

  // -------------------------------------------------------------------------------------------
  // Functions

  protected fnForm(items: readonly Form[], start: number, env: Env, givenName: string | undefined): Ty {
    let i = start;
    let name = givenName ?? "fn";
    let selfName: string | undefined;
    const first = items[i];
    if (first?.kind === "symbol" && first.ns === null) {
      name = first.name;
      selfName = first.name;
      i++;
    }
    const arities: Arity[] = [];
    const next = items[i];
    if (next?.kind === "vector") {
      arities.push(this.arity(next, items.slice(i + 1)));
    } else {
      for (const clause of items.slice(i)) {
        const params = clause.kind === "list" ? clause.items[0] : undefined;
        if (clause.kind === "list" && params?.kind === "vector")
          arities.push(this.arity(params, clause.items.slice(1)));
      }
    }
    if (arities.length === 0) return ANY_T;
    return this.closure(name, arities, env, selfName);
  }

  protected arity(params: VectorForm, body: readonly Form[]): Arity {
    const amp = params.items.findIndex((item) => isName(item, "&"));
    if (amp < 0) return { params: params.items, body };
    const rest = params.items[amp + 1];
    return rest === undefined
      ? { params: params.items.slice(0, amp), body }
      : { params: params.items.slice(0, amp), rest, body };
  }

  protected fnLiteral(body: ListForm, env: Env): Ty {
    const found = fnLiteralPlaceholders(body);
    const span = body.span;
    const params: Form[] = [];
    for (let n = 1; n <= found.max; n++) params.push({ kind: "symbol", ns: null, name: `%${n}`, span });
    const arity: Arity = found.rest
      ? { params, rest: { kind: "symbol", ns: null, name: "%&", span }, body: [body] }
      : { params, body: [body] };
    return this.closure("fn", [arity], env, undefined);
  }

  /**
   * A function value. Its body is inferred once with `any` arguments (reporting what does not
   * depend on them), then again for each distinct list of argument types it is called with.
   */
  protected closure(name: string, arities: readonly Arity[], env: Env, selfName: string | undefined): Ty {
    const fixed = arities.filter((arity) => arity.rest === undefined).map((arity) => arity.params.length);
    const variadic = arities.find((arity) => arity.rest !== undefined);
    const cache = new Map<string, Ty>();
    const running = new Set<string>();
    const info: FnInfo = {
      name,
      arity: { fixed, variadicMin: variadic === undefined ? null : variadic.params.length },
      apply: (args) => {
        const arity =
          arities.find((candidate) => candidate.rest === undefined && candidate.params.length === args.length) ??
          arities.find((candidate) => candidate.rest !== undefined && args.length >= candidate.params.length);
        if (arity === undefined) return ANY_T;
        const widened = args.map((arg) => clip(arg.k === "kw" ? arg : widenLiteral(arg)));
        const key = `${arities.indexOf(arity)}|${widened.map((arg) => tyKey(arg)).join(",")}`;
        const cached = cache.get(key);
        if (cached !== undefined) return cached;
        if (running.has(key) || cache.size >= VARIANTS_PER_FN) return ANY_T;
        running.add(key);
        try {
          const vars = new Map<string, Ty>();
          if (selfName !== undefined) vars.set(selfName, self);
          const scope = new Env(env, vars);
          arity.params.forEach((param, i) => {
            this.bind(param, widened[i] ?? ANY_T, vars, scope);
          });
          if (arity.rest !== undefined) {
            const rest = widened.slice(arity.params.length);
            this.bind(arity.rest, rest.length === 0 ? NIL : seqOf(join(rest)), vars, scope);
          }
          if (vars.has("%1")) vars.set("%", vars.get("%1") as Ty);
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
      if (arity.rest !== undefined) info.apply([...arity.params.map(() => ANY_T), ANY_T], NOWHERE);
    }
    return self;
  }

  // -------------------------------------------------------------------------------------------
  // Destructuring

  protected bind(pattern: Form, ty: Ty, vars: Map<string, Ty>, env: Env): void {
    switch (pattern.kind) {
      case "symbol":
        if (pattern.ns === null && pattern.name !== "&") vars.set(pattern.name, ty);
        return;
      case "vector":
        this.bindVector(pattern, ty, vars, env);
        return;
      case "map":
        this.bindMap(pattern, ty, vars, env);
        return;
      default:
        return;
    }
  }

  protected bindVector(pattern: VectorForm, ty: Ty, vars: Map<string, Ty>, env: Env): void {
    const items = pattern.items;
    let position = 0;
    for (let i = 0; i < items.length; i++) {
      const item = items[i] as Form;
      if (isName(item, "&")) {
        const next = items[i + 1];
        if (next !== undefined) {
          const rest = remainder(ty, position);
          this.bind(next, rest, vars, env);
        }
        i++;
      } else if (item.kind === "keyword" && item.name === "as" && item.ns === null) {
        const next = items[i + 1];
        if (next !== undefined) this.bind(next, ty, vars, env);
        i++;
      } else {
        const element = positional(ty, position);
        this.bind(item, element, vars, env);
        position++;
      }
    }
  }

  protected bindMap(pattern: MapForm, ty: Ty, vars: Map<string, Ty>, env: Env): void {
    const items = pattern.items;
    const source: Ty = ty.k === "seq" || ty.k === "tuple" ? ANY_T : ty;
    const defaults = new Map<string, Form>();
    for (let i = 0; i + 1 < items.length; i += 2) {
      const left = items[i] as Form;
      const right = items[i + 1] as Form;
      if (left.kind === "keyword" && left.ns === null && left.name === "or" && right.kind === "map") {
        for (let j = 0; j + 1 < right.items.length; j += 2) {
          const name = right.items[j] as Form;
          if (name.kind === "symbol") defaults.set(name.name, right.items[j + 1] as Form);
        }
      }
    }
    const withDefault = (local: string, found: Ty): Ty => {
      const fallback = defaults.get(local);
      return fallback === undefined ? found : join([nonNil(found), this.infer(fallback, env)]);
    };
    for (let i = 0; i + 1 < items.length; i += 2) {
      const left = items[i] as Form;
      const right = items[i + 1] as Form;
      if (
        left.kind === "keyword" &&
        left.ns === null &&
        (left.name === "keys" || left.name === "strs" || left.name === "syms")
      ) {
        if (right.kind !== "vector") continue;
        for (const name of right.items) {
          if (name.kind !== "symbol" && name.kind !== "keyword") continue;
          const key = left.name === "strs" ? name.name : name.ns ? `${name.ns}/${name.name}` : name.name;
          const found = left.name === "syms" ? ANY_T : this.field(source, key, name.span);
          vars.set(name.name, withDefault(name.name, found));
        }
      } else if (left.kind === "keyword" && left.ns === null && left.name === "as") {
        if (right.kind === "symbol") vars.set(right.name, ty);
      } else if (left.kind === "keyword" && left.ns === null && left.name === "or") {
        // defaults, read above
      } else {
        const key = literalName(right);
        const found = key === undefined ? ANY_T : this.field(source, key, right.span);
        this.bind(left, left.kind === "symbol" ? withDefault(left.name, found) : found, vars, env);
      }
    }
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
 * Checks a program's forms against its signature and its tools' contracts, before it runs:
 * unknown `data/` keys (closed parameter lists), tool arguments that are missing, extra or of
 * the wrong type, field reads the type says cannot exist (warnings), return values that cannot
 * match the output signature (errors when certain, warnings when only possible), and calls
 * with the wrong number of arguments. Types flow from literals, the builtins, `data/...`, tool
 * outputs, through `let`, destructuring, functions and threading; `any` flows silently, so a
 * program the checker cannot follow gets no diagnostic rather than a false one.
 *
 * Expects forms the analyzer accepted. Never throws; an internal fault yields no diagnostics.
 */
export function checkTypes(forms: readonly Form[], options: CheckTypesOptions = {}): Diagnostic[] {
  try {
    return new Checker(options).run(forms);
  } catch (error) {
    if (error instanceof RangeError) return [];
    return [];
  }
}
