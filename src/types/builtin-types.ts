import type { ScalarTerm, TypeList, TypeTerm } from "../lisp/builtins/facts.js";
import type { BuiltinFn } from "../lisp/builtins/registry.js";
import { parseSignature } from "../signature/parse-signature.js";
import type { Type } from "../signature/types.js";
import { AbsentArgument, argAt, kindRule, lookup, nth, type RuleContext, readField } from "./rule-kinds.js";
import {
  ANY_T,
  type Arg,
  BOOL,
  elementOf,
  fnTy,
  fromType,
  INT,
  join,
  KW,
  NIL,
  NUM,
  nonNil,
  STR,
  seqOf,
  type Ty,
  union2,
  widen,
} from "./static-types.js";

export type { RuleContext } from "./rule-kinds.js";

/**
 * Types builtin calls from the facts each builtin declares (`types` in its registry record,
 * lisp/builtins/facts.ts): a term of its arguments' types, a named rule, or its signature.
 */

const SCALARS: { readonly [K in ScalarTerm]: Ty } = {
  any: ANY_T,
  int: INT,
  number: NUM,
  bool: BOOL,
  keyword: KW,
  nil: NIL,
};

/** One builtin call being typed: its arguments, the checker, and the types a made function was given. */
interface Scope {
  readonly args: readonly Arg[];
  readonly cx: RuleContext;
  readonly name: string;
  readonly given: readonly Ty[];
}

function isInt(ty: Ty): boolean {
  return ty.k === "int" || (ty.k === "union" && ty.members.every((member) => member.k === "int"));
}

/** What a predicate keeps: no nils when its truth says so; after `:k`, only the map types that can have `k`. */
function kept(pred: Arg, element: Ty, keeps: boolean): Ty {
  const truth = pred.node.kind === "builtin" ? pred.node.builtin.spec.truth : undefined;
  const nonNilWhen = keeps ? ["not-nil", "truthy"] : ["nil", "falsy"];
  if (truth !== undefined && nonNilWhen.includes(truth)) return nonNil(element);
  if (keeps && pred.ty.k === "kw" && pred.ty.lit !== undefined) {
    const field = pred.ty.lit;
    const members = element.k === "union" ? element.members : [element];
    return join(
      members.filter(
        (member) =>
          member.k !== "nil" &&
          !(member.k === "rec" && member.exact && !member.fields.has(field) && member.rest === undefined),
      ),
    );
  }
  return element;
}

function list(items: TypeList, scope: Scope): Ty[] {
  const out: Ty[] = [];
  for (const item of items) {
    if (typeof item === "object" && "spread" in item) {
      if (item.spread === "given") out.push(...scope.given);
      else for (const arg of scope.args.slice(item.spread)) out.push(item.element ? elementOf(arg.ty) : arg.ty);
    } else if (typeof item === "object" && "calls" in item) {
      const given = list(item.with, scope);
      for (const fn of scope.args.slice(item.calls)) out.push(scope.cx.call(fn, given, scope.name));
    } else {
      out.push(term(item, scope));
    }
  }
  return out;
}

function term(t: TypeTerm, scope: Scope): Ty {
  if (typeof t === "string") return SCALARS[t];
  const { args, cx, name } = scope;
  if ("orArg" in t) {
    const found = term(t.orArg, scope);
    const fallback = args[t.arg < 0 ? args.length + t.arg : t.arg];
    if (fallback === undefined) return found;
    return t.nonNil === true ? join([nonNil(found), fallback.ty]) : union2(found, fallback.ty);
  }
  if ("arg" in t) return argAt(args, t.arg).ty;
  if ("given" in t) return scope.given[t.given] ?? ANY_T;
  if ("element" in t) return elementOf(term(t.element, scope));
  if ("seq" in t) return seqOf(term(t.seq, scope));
  if ("set" in t) return { k: "set", el: term(t.set, scope) };
  if ("dict" in t) return { k: "dict", key: term(t.dict[0], scope), value: term(t.dict[1], scope) };
  if ("tuple" in t) return { k: "tuple", items: list(t.tuple, scope) };
  if ("oneOf" in t) return join(list(t.oneOf, scope));
  if ("nonNil" in t) return nonNil(term(t.nonNil, scope));
  if ("widen" in t) return widen(term(t.widen, scope));
  if ("numeric" in t) return list(t.numeric, scope).every(isInt) ? INT : NUM;
  if ("call" in t) return cx.call(argAt(args, t.call), list(t.with, scope), name);
  if ("field" in t) return readField(argAt(args, t.field), term(t.of, scope), cx, name);
  if ("lookup" in t) return lookup(term(t.lookup, scope), argAt(args, t.key), cx);
  if ("itemOf" in t) {
    const of = term(t.itemOf, scope);
    const at = typeof t.at === "number" ? t.at : argAt(args, t.at.arg).ty;
    const index = typeof at === "number" ? at : at.k === "int" ? at.lit : undefined;
    return nth(of, index !== undefined && index < 0 && of.k === "tuple" ? of.items.length + index : index);
  }
  if ("kept" in t) {
    const element = term(t.kept, scope);
    cx.call(argAt(args, t.by), [element], name);
    return kept(argAt(args, t.by), element, t.keeps);
  }
  if ("after" in t) {
    list(t.after, scope);
    return term(t.result, scope);
  }
  if ("ifArgs" in t) return term(args.length >= t.ifArgs ? t.enough : t.fewer, scope);
  if ("fn" in t) {
    const result = t.fn;
    return fnTy({ name, apply: (given) => term(result, { ...scope, given }) });
  }
  if ("transducer" in t) {
    const emits = t.transducer;
    return fnTy({ name, apply: () => ANY_T, xform: (element) => term(emits, { ...scope, given: [element] }) });
  }
  return kindRule(t.rule, args, cx, name);
}

const SCALAR_RESULTS: ReadonlySet<string> = new Set(["string", "int", "float", "number", "bool", "keyword", "nil"]);

function scalarOnly(type: Type): Ty {
  if (type.kind === "primitive") return SCALAR_RESULTS.has(type.name) ? fromType(type) : ANY_T;
  if (type.kind === "optional") {
    const inner = scalarOnly(type.type);
    return inner.k === "any" ? ANY_T : union2(inner, NIL);
  }
  if (type.kind === "list" && type.element.kind === "primitive" && type.element.name === "string") return seqOf(STR);
  return ANY_T;
}

const signatureResults = new WeakMap<BuiltinFn, Ty>();

/** The result type of a builtin from its registry signature (scalar results only; anything else is `any`). */
export function signatureResult(builtin: BuiltinFn): Ty {
  let ty = signatureResults.get(builtin);
  if (ty === undefined) {
    const parsed = parseSignature(builtin.spec.signature);
    ty = parsed.ok ? scalarOnly(parsed.signature.output) : ANY_T;
    signatureResults.set(builtin, ty);
  }
  return ty;
}

/** The result type of a call to a builtin. */
export function builtinResult(builtin: BuiltinFn, args: readonly Arg[], cx: RuleContext): Ty {
  const rule = builtin.spec.types;
  if (rule === undefined || rule === "signature") return signatureResult(builtin);
  if (typeof rule === "object" && "exits" in rule) return ANY_T;
  try {
    return term(rule, { args, cx, name: builtin.name, given: [] });
  } catch (error) {
    if (error instanceof AbsentArgument || error instanceof TypeError) return ANY_T;
    throw error;
  }
}

/**
 * For a builtin that is itself a transducer used as a value (`cat`): what it emits for an
 * element of a given type. Undefined for other builtins.
 */
export function transducerOf(builtin: BuiltinFn, cx: RuleContext): ((element: Ty) => Ty) | undefined {
  const emits = builtin.spec.transducer;
  if (emits === undefined) return undefined;
  return (element) => term(emits, { args: [], cx, name: builtin.name, given: [element] });
}
