import type { SourceSpan } from "../../errors/span.js";
import type { FnLiteralForm, Form, ListForm, VectorForm } from "../ast/nodes.js";
import { Var } from "../values/value.js";
import type { Ctx, LowererApi as Lowerer } from "./context.js";
import { formToValue } from "./exec-support.js";
import { fnLiteralPlaceholders } from "./fn-literal.js";
import type { BindingStep, CatchClause, FnArity, FnNode, Level, Modifier, Node, Pattern } from "./ir.js";
import { lowerNs, lowerRequire } from "./lower-namespaces.js";
import { lowerPattern } from "./lower-patterns.js";
import { Binding, FnScope, LexScope } from "./scope.js";

/**
 * The special forms: how each is lowered to IR nodes (shapes checked, scopes built, `recur`
 * targets resolved) and documented. Their closures are built in `compile-forms.ts`.
 */
export type SpecialForm = (lowerer: Lowerer, form: ListForm, ctx: Ctx, literal?: FnLiteralForm) => Node;

function patternFault(lowerer: Lowerer, name: string) {
  return (form: Form, reason: string) => {
    lowerer.invalid(name, reason, form.span);
  };
}

const NIL_CONST = (span: SourceSpan): Node => ({ kind: "const", value: null, span });

/** Lowers `[p1 e1 p2 e2 ...]` in a new scope; returns the scope and the binding steps. */
function bindings(
  lowerer: Lowerer,
  name: string,
  vector: Form | undefined,
  ctx: Ctx,
  span: SourceSpan,
): { scope: LexScope; steps: BindingStep[] } | undefined {
  if (vector?.kind !== "vector") {
    lowerer.invalid(name, "expects a binding vector", vector?.span ?? span);
    return undefined;
  }
  if (vector.items.length % 2 !== 0) {
    lowerer.invalid(name, "binding vector needs an even number of forms", vector.span);
    return undefined;
  }
  const scope = new LexScope(ctx.scope, ctx.scope.fn);
  const steps = new Array<BindingStep>(vector.items.length / 2);
  const fault = patternFault(lowerer, name);
  const inner = ctx.nonTailIn(scope);
  const lowerIn = (f: Form, s: LexScope) => lowerer.lower(f, s === scope ? inner : ctx.nonTailIn(s));
  for (let i = 0; i < vector.items.length; i += 2) {
    const init = lowerer.lower(vector.items[i + 1] as Form, inner);
    const pattern = lowerPattern(vector.items[i] as Form, scope, fault, lowerIn);
    steps[i / 2] = { pattern, init };
  }
  return { scope, steps };
}

/** The slot a pattern writes when it is a plain name. */
function plainSlot(pattern: Pattern): number | undefined {
  return pattern.kind === "name" ? pattern.binding.slot : undefined;
}

const letForm: SpecialForm = (lowerer, form, ctx) => {
  const result = bindings(lowerer, "let", form.items[1], ctx, form.span);
  if (result === undefined) return NIL_CONST(form.span);
  const body = lowerer.body(form.items.slice(2), ctx.withScope(result.scope));
  return { kind: "let", bindings: result.steps, body, span: form.span };
};

const loopForm: SpecialForm = (lowerer, form, ctx) => {
  const result = bindings(lowerer, "loop", form.items[1], ctx, form.span);
  if (result === undefined) return NIL_CONST(form.span);
  const steps = result.steps;
  const slots = steps.map((step) => plainSlot(step.pattern));
  // Plain symbol bindings (the common loop): `recur` writes the slots itself.
  const inPlace = slots.every((slot) => slot !== undefined) ? (slots as number[]) : undefined;
  const recur = inPlace === undefined ? { arity: steps.length } : { arity: steps.length, slots: inPlace };
  const body = lowerer.body(form.items.slice(2), ctx.loopBody(result.scope, recur));
  return { kind: "loop", bindings: steps, body, inPlace, span: form.span };
};

const recurForm: SpecialForm = (lowerer, form, ctx) => {
  if (ctx.recur === null) return lowerer.report("recur_outside_loop", {}, form.span);
  if (!ctx.tail) return lowerer.report("recur_not_tail", {}, form.span);
  const args = lowerer.lowerAll(form.items.slice(1), ctx.nonTail);
  if (args.length !== ctx.recur.arity) {
    return lowerer.report("recur_arity", { expected: ctx.recur.arity, actual: args.length }, form.span);
  }
  return { kind: "recur", args, slots: ctx.recur.slots, span: form.span };
};

const ifForm: SpecialForm = (lowerer, form, ctx) => {
  if (form.items.length < 3 || form.items.length > 4) {
    return lowerer.invalid("if", "expects a test, a then branch and an optional else branch", form.span);
  }
  const test = lowerer.lower(form.items[1] as Form, ctx.nonTail);
  const then = lowerer.lower(form.items[2] as Form, ctx);
  const otherwise = form.items[3] === undefined ? null : lowerer.lower(form.items[3], ctx);
  return { kind: "if", test, then, else: otherwise, span: form.span };
};

const doForm: SpecialForm = (lowerer, form, ctx) => ({
  kind: "do",
  body: lowerer.body(form.items.slice(1), ctx),
  span: form.span,
});

function shortCircuit(kind: "and" | "or"): SpecialForm {
  return (lowerer, form, ctx) => {
    const forms = form.items.slice(1);
    const items = forms.map((item, i) => lowerer.lower(item, i === forms.length - 1 ? ctx : ctx.nonTail));
    return { kind, items, span: form.span };
  };
}

const quoteForm: SpecialForm = (lowerer, form) => {
  if (form.items.length !== 2) return lowerer.invalid("quote", "expects exactly one form", form.span);
  const quoted = form.items[1] as Form;
  return { kind: "const", value: formToValue(quoted), quoted, span: form.span };
};

const varForm: SpecialForm = (lowerer, form) => {
  const name = form.items[1];
  if (form.items.length !== 2 || name?.kind !== "symbol") return lowerer.invalid("var", "expects a symbol", form.span);
  if (!lowerer.globals.has(name.name)) return lowerer.report("unbound_symbol", { name: name.name }, name.span);
  return { kind: "const", value: new Var(name.name), span: form.span };
};

const throwForm: SpecialForm = (lowerer, form, ctx) => {
  if (form.items.length !== 2) return lowerer.invalid("throw", "expects exactly one value", form.span);
  return { kind: "throw", value: lowerer.lower(form.items[1] as Form, ctx.nonTail), span: form.span };
};

const EX_INFO_CLASSES = new Set([
  "ExceptionInfo",
  "cljs.core/ExceptionInfo",
  "cljs.core.ExceptionInfo",
  "clojure.lang.ExceptionInfo",
]);

const tryForm: SpecialForm = (lowerer, form, ctx) => {
  const bodyForms: Form[] = [];
  const catches: CatchClause[] = [];
  let cleanup: Node[] | null = null;
  const inner = ctx.withoutRecur(ctx.scope);
  for (const item of form.items.slice(1)) {
    const head = item.kind === "list" ? item.items[0] : undefined;
    if (item.kind === "list" && head?.kind === "symbol" && head.ns === null && head.name === "catch") {
      const type = item.items[1];
      const name = item.items[2];
      if (type === undefined || name?.kind !== "symbol") {
        lowerer.invalid("catch", "expects a type, a name and a body", item.span);
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
      const binding = scope.define(name.name);
      catches.push({
        span: item.span,
        onlyExInfo: EX_INFO_CLASSES.has(typeName),
        binding,
        body: lowerer.body(item.items.slice(3), ctx.withoutRecur(scope)),
      });
    } else if (item.kind === "list" && head?.kind === "symbol" && head.ns === null && head.name === "finally") {
      cleanup = lowerer.body(item.items.slice(1), inner);
    } else {
      if (catches.length > 0 || cleanup !== null)
        lowerer.invalid("try", "body forms must come before catch and finally", item.span);
      bodyForms.push(item);
    }
  }
  const body = lowerer.body(bodyForms, inner);
  return { kind: "try", body, catches, finally: cleanup, span: form.span };
};

function isName(form: Form | undefined, name: string): boolean {
  return form?.kind === "symbol" && form.ns === null && form.name === name;
}

/** Lowers `[params] body...` into an arity, in a fresh arity scope of `fnScope`. */
function lowerArity(
  lowerer: Lowerer,
  params: VectorForm,
  body: readonly Form[],
  fnScope: FnScope,
  outer: LexScope,
  ctx: Ctx,
  aliases?: Map<string, string>,
): FnArity | undefined {
  fnScope.slots = 0;
  const scope = new LexScope(outer, fnScope);
  const fault = patternFault(lowerer, "fn");
  const lowerIn = (f: Form, s: LexScope) => lowerer.lower(f, ctx.withoutRecur(s));
  const items = params.items;
  let count = 0;
  while (count < items.length && !isName(items[count], "&")) count++;
  const positional = new Array<Pattern>(count);
  for (let i = 0; i < count; i++) positional[i] = lowerPattern(items[i] as Form, scope, fault, lowerIn);
  let rest: Pattern | null = null;
  if (count < items.length) {
    const next = items[count + 1];
    if (next === undefined || count + 2 !== items.length) {
      lowerer.invalid("fn", "& must be followed by exactly one parameter", (items[count] as Form).span);
      return undefined;
    }
    rest = lowerPattern(next, scope, fault, lowerIn);
  }
  if (aliases !== undefined) {
    for (const [alias, target] of aliases) {
      const binding = scope.lookup(target);
      if (binding !== undefined) scope.alias(alias, binding);
    }
  }
  const required = positional.length;
  const simple = rest === null && positional.every((pattern, i) => plainSlot(pattern) === i);
  const recur = simple
    ? { arity: required, slots: positional.map((_pattern, i) => i) }
    : { arity: required + (rest !== null ? 1 : 0) };
  const bodyNodes = lowerer.body(body, ctx.loopBody(scope, recur));
  return { span: params.span, params: positional, rest, body: bodyNodes, slots: fnScope.slots, simple };
}

interface FnParts {
  readonly node: FnNode;
  readonly fixed: ReadonlySet<number>;
  readonly variadicMin: number | null;
}

/** `(fn name? [params] body...)` or `(fn name? ([params] body...)...)`, from `start` in `items`. */
function lowerFn(
  lowerer: Lowerer,
  items: readonly Form[],
  start: number,
  ctx: Ctx,
  span: SourceSpan,
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
  // Arrays made at their final length: a pushed-to empty array reserves room for 16.
  let signatures: { params: VectorForm; body: readonly Form[] }[];
  const next = items[i];
  if (next?.kind === "vector") {
    signatures = [{ params: next, body: items.slice(i + 1) }];
  } else if (next?.kind === "list") {
    signatures = new Array(items.length - i);
    for (let k = i; k < items.length; k++) {
      const clause = items[k] as Form;
      const params = clause.kind === "list" ? clause.items[0] : undefined;
      if (clause.kind !== "list" || params?.kind !== "vector") {
        lowerer.invalid("fn", "each arity must be a list starting with a parameter vector", clause.span);
        return undefined;
      }
      signatures[k - i] = { params, body: clause.items.slice(1) };
    }
  } else {
    lowerer.invalid("fn", "expects a parameter vector", next?.span ?? span);
    return undefined;
  }
  const fnScope = new FnScope(ctx.scope.fn);
  const selfBinding = selfName === undefined ? null : new Binding(selfName, fnScope, -1, false, true);
  const outer = new LexScope(ctx.scope, fnScope);
  if (selfBinding !== null) outer.alias(selfBinding.name, selfBinding);
  const arities = new Array<FnArity>(signatures.length);
  const fixed = new Set<number>();
  let variadicMin: number | null = null;
  const fnCtx = aliases === undefined ? ctx : ctx.inFnLiteral();
  for (let k = 0; k < signatures.length; k++) {
    const signature = signatures[k] as { params: VectorForm; body: readonly Form[] };
    const arity = lowerArity(lowerer, signature.params, signature.body, fnScope, outer, fnCtx, aliases);
    if (arity === undefined) return undefined;
    if (arity.rest !== null) {
      if (variadicMin !== null) lowerer.invalid("fn", "can have only one variadic arity", signature.params.span);
      variadicMin = arity.params.length;
    } else {
      if (fixed.has(arity.params.length))
        lowerer.invalid("fn", "has two arities with the same parameter count", signature.params.span);
      fixed.add(arity.params.length);
    }
    arities[k] = arity;
  }
  const node: FnNode = {
    kind: "fn",
    name,
    self: selfBinding,
    arities,
    captures: fnScope.captures.map((capture) => capture.source),
    literal: aliases !== undefined,
    span,
  };
  return { node, fixed, variadicMin };
}

const fnForm: SpecialForm = (lowerer, form, ctx) =>
  lowerFn(lowerer, form.items, 1, ctx.nonTail, form.span)?.node ?? NIL_CONST(form.span);

const fnLiteralForm: SpecialForm = (lowerer, body, ctx, literal) => {
  const found = fnLiteralPlaceholders(body);
  const span = literal?.span ?? body.span;
  const params: Form[] = [];
  for (let n = 1; n <= found.max; n++) params.push({ kind: "symbol", ns: null, name: `%${n}`, span });
  if (found.rest)
    params.push({ kind: "symbol", ns: null, name: "&", span }, { kind: "symbol", ns: null, name: "%&", span });
  const items: Form[] = [{ kind: "vector", items: params, span }, body];
  const aliases = new Map<string, string>(found.max >= 1 ? [["%", "%1"]] : []);
  return lowerFn(lowerer, items, 0, ctx.nonTail, span, "", aliases)?.node ?? NIL_CONST(span);
};

const defForm: SpecialForm = (lowerer, form, ctx) => {
  const name = form.items[1];
  if (name?.kind !== "symbol" || name.ns !== null)
    return lowerer.invalid("def", "expects a symbol to define", name?.span ?? form.span);
  if (form.items.length > 4)
    return lowerer.invalid("def", "expects a name, an optional docstring and a value", form.span);
  const index = lowerer.defineGlobal(name.name);
  lowerer.noteGlobalFn(name.name, undefined);
  const valueForm = form.items.length === 4 ? form.items[3] : form.items[2];
  const value = valueForm === undefined ? null : lowerer.lower(valueForm, ctx.nonTail);
  return { kind: "def", name: name.name, index, value, span: form.span };
};

const defnForm: SpecialForm = (lowerer, form, ctx) => {
  const name = form.items[1];
  if (name?.kind !== "symbol" || name.ns !== null)
    return lowerer.invalid("defn", "expects a symbol to define", name?.span ?? form.span);
  let start = 2;
  if (form.items[start]?.kind === "string") start++;
  if (form.items[start]?.kind === "map") start++;
  const index = lowerer.defineGlobal(name.name);
  const parts = lowerFn(lowerer, form.items, start, ctx.nonTail, form.span, name.name);
  if (parts === undefined) return NIL_CONST(form.span);
  lowerer.noteGlobalFn(name.name, { fixed: parts.fixed, variadicMin: parts.variadicMin });
  return { kind: "defn", name: name.name, index, fn: parts.node, span: form.span };
};

const declareForm: SpecialForm = (lowerer, form) => {
  for (const name of form.items.slice(1)) {
    if (name.kind !== "symbol" || name.ns !== null) lowerer.invalid("declare", "expects symbols", name.span);
    else lowerer.defineGlobal(name.name);
  }
  return NIL_CONST(form.span);
};

const letfnForm: SpecialForm = (lowerer, form, ctx) => {
  const specs = form.items[1];
  if (specs?.kind !== "vector")
    return lowerer.invalid("letfn", "expects a vector of function specs", specs?.span ?? form.span);
  const scope = new LexScope(ctx.scope, ctx.scope.fn);
  const named: { binding: Binding; spec: ListForm }[] = [];
  for (const spec of specs.items) {
    const name = spec.kind === "list" ? spec.items[0] : undefined;
    if (spec.kind !== "list" || name?.kind !== "symbol") {
      lowerer.invalid("letfn", "each spec is (name [params] body...)", spec.span);
      continue;
    }
    named.push({ binding: scope.define(name.name, true), spec });
  }
  const fns: { binding: Binding; fn: FnNode }[] = [];
  for (const { binding, spec } of named) {
    const parts = lowerFn(lowerer, spec.items, 1, ctx.nonTailIn(scope), spec.span, binding.name);
    if (parts !== undefined) fns.push({ binding, fn: parts.node });
  }
  const body = lowerer.body(form.items.slice(2), ctx.withScope(scope));
  return { kind: "letfn", fns, body, span: form.span };
};

const caseForm: SpecialForm = (lowerer, form, ctx) => {
  if (form.items.length < 3) return lowerer.invalid("case", "expects an expression and clauses", form.span);
  const expr = lowerer.lower(form.items[1] as Form, ctx.nonTail);
  const forms = form.items.slice(2);
  const clauses: { tests: ReturnType<typeof formToValue>[]; body: Node }[] = [];
  for (let i = 0; i + 1 < forms.length; i += 2) {
    const test = forms[i] as Form;
    const body = lowerer.lower(forms[i + 1] as Form, ctx);
    clauses.push({ tests: test.kind === "list" ? test.items.map(formToValue) : [formToValue(test)], body });
  }
  const fallback = forms.length % 2 === 1 ? lowerer.lower(forms[forms.length - 1] as Form, ctx) : null;
  return { kind: "case", expr, clauses, default: fallback, span: form.span };
};

/** Shared by `for` and `doseq`: nested iteration with `:let`, `:when`, `:while`. */
function comprehension(
  lowerer: Lowerer,
  name: string,
  form: ListForm,
  ctx: Ctx,
): { levels: Level[]; scope: LexScope } | undefined {
  const vector = form.items[1];
  if (vector?.kind !== "vector" || vector.items.length === 0 || vector.items.length % 2 !== 0) {
    lowerer.invalid(name, "expects a vector of binding/collection pairs", vector?.span ?? form.span);
    return undefined;
  }
  let scope = new LexScope(ctx.scope, ctx.scope.fn);
  const inner = (s: LexScope): Ctx => ctx.withoutRecur(s);
  const fault = patternFault(lowerer, name);
  const levels: { pattern: Pattern; coll: Node; modifiers: Modifier[] }[] = [];
  for (let i = 0; i < vector.items.length; i += 2) {
    const left = vector.items[i] as Form;
    const right = vector.items[i + 1] as Form;
    if (left.kind === "keyword" && left.ns === null) {
      const current = levels[levels.length - 1];
      if (current === undefined) {
        lowerer.invalid(name, "a modifier must follow a binding", left.span);
        return undefined;
      }
      if (left.name === "when" || left.name === "while") {
        current.modifiers.push({ kind: left.name, test: lowerer.lower(right, inner(scope)) });
      } else if (left.name === "let") {
        const result = bindings(lowerer, ":let", right, inner(scope), right.span);
        if (result === undefined) return undefined;
        scope = result.scope;
        current.modifiers.push({ kind: "let", bindings: result.steps });
      } else {
        lowerer.invalid(name, `unknown modifier :${left.name}`, left.span);
        return undefined;
      }
    } else {
      const coll = lowerer.lower(right, inner(scope));
      scope = new LexScope(scope, scope.fn);
      const pattern = lowerPattern(left, scope, fault, (f, s) => lowerer.lower(f, inner(s)));
      levels.push({ pattern, coll, modifiers: [] });
    }
  }
  return { levels, scope };
}

const forForm: SpecialForm = (lowerer, form, ctx) => {
  const parsed = comprehension(lowerer, "for", form, ctx);
  if (parsed === undefined) return NIL_CONST(form.span);
  if (form.items.length !== 3) return lowerer.invalid("for", "expects bindings and exactly one body form", form.span);
  const body = lowerer.lower(form.items[2] as Form, ctx.withoutRecur(parsed.scope));
  return { kind: "for", levels: parsed.levels, body: [body], span: form.span };
};

const doseqForm: SpecialForm = (lowerer, form, ctx) => {
  const parsed = comprehension(lowerer, "doseq", form, ctx);
  if (parsed === undefined) return NIL_CONST(form.span);
  const body = lowerer.body(form.items.slice(2), ctx.withoutRecur(parsed.scope));
  return { kind: "doseq", levels: parsed.levels, body, span: form.span };
};

const interop: SpecialForm = (lowerer, form) => {
  const head = form.items[0];
  return lowerer.report("interop_not_supported", { name: head?.kind === "symbol" ? head.name : "." }, form.span);
};

const setForm: SpecialForm = (lowerer, form) =>
  lowerer.invalid("set!", "PTC-Lisp has no mutable variables; use an atom", form.span);

/** Each special form's lowering, by name (its documentation is in `special-form-docs.ts`). */
const SPECIAL_FORMS: ReadonlyMap<string, SpecialForm> = new Map<string, SpecialForm>([
  ["def", defForm],
  ["defn", defnForm],
  ["defn-", defnForm],
  ["fn", fnForm],
  ["fn*", fnForm],
  ["let", letForm],
  ["let*", letForm],
  ["loop", loopForm],
  ["recur", recurForm],
  ["if", ifForm],
  ["do", doForm],
  ["and", shortCircuit("and")],
  ["or", shortCircuit("or")],
  ["quote", quoteForm],
  ["var", varForm],
  ["throw", throwForm],
  ["try", tryForm],
  ["letfn", letfnForm],
  ["declare", declareForm],
  ["case", caseForm],
  ["for", forForm],
  ["doseq", doseqForm],
  [".", interop],
  ["new", interop],
  ["set!", setForm],
  ["ns", lowerNs],
  ["require", lowerRequire],
]);

export { isSpecialForm, specialFormDocs } from "./special-form-docs.js";

/** The lowering of special form `name` (not `fn-literal`), for callers that dispatch themselves. */
export function specialFormFor(name: string): SpecialForm | undefined {
  return SPECIAL_FORMS.get(name);
}

/** Every special form's name. */
export function specialFormNames(): IterableIterator<string> {
  return SPECIAL_FORMS.keys();
}

/** Lowers special form `name`; `fn-literal` is the `#(...)` reader form. */
export function lowerSpecialForm(
  lowerer: Lowerer,
  name: string,
  form: ListForm,
  ctx: Ctx,
  literal?: FnLiteralForm,
): Node {
  const special = name === "fn-literal" ? fnLiteralForm : (SPECIAL_FORMS.get(name) as SpecialForm);
  return special(lowerer, form, ctx, literal);
}
