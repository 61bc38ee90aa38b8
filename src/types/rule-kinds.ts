import type { SourceSpan } from "../errors/span.js";
import type { TypeRuleKind } from "../lisp/builtins/facts.js";
import {
  ANY_T,
  type Arg,
  elementOf,
  type FieldTy,
  fnTy,
  join,
  KW,
  MAP_ANY,
  NIL,
  nonNil,
  type RecTy,
  rec,
  seqOf,
  type Ty,
  union2,
  widen,
} from "./static-types.js";

/** What the typing rules ask of the checker. */
export interface RuleContext {
  /** Calls a function argument with arguments of these types; an arity it cannot accept is an error at the argument. */
  call(fn: Arg, args: readonly Ty[], caller: string): Ty;
  /** Reads a field; a field the type says cannot exist is a warning at `span`. */
  field(target: Ty, name: string, span: SourceSpan): Ty;
}

/** A named rule: the call's arguments, the checker, and the builtin's name for messages. */
type KindRule = (args: readonly Arg[], cx: RuleContext, name: string) => Ty;

/** Thrown when a rule reads an argument the call does not have: the result is then `any`. */
export class AbsentArgument extends Error {
  override readonly name = "AbsentArgument";
}

export function argAt(args: readonly Arg[], index: number): Arg {
  const arg = args[index < 0 ? args.length + index : index];
  if (arg === undefined) throw new AbsentArgument();
  return arg;
}

function last(args: readonly Arg[]): Ty {
  return (args[args.length - 1] as Arg | undefined)?.ty ?? ANY_T;
}

export function literalKey(ty: Ty): string | undefined {
  return ty.k === "kw" || ty.k === "str" ? ty.lit : undefined;
}

export function intLiteral(ty: Ty): number | undefined {
  return ty.k === "int" ? ty.lit : undefined;
}

export function nth(ty: Ty, index: number | undefined): Ty {
  if (ty.k === "tuple" && index !== undefined) return ty.items[index] ?? NIL;
  return elementOf(ty);
}

/** A field given to the PTC helpers: a keyword or string, a vector path of them, or a function. */
export function readField(field: Arg, element: Ty, cx: RuleContext, caller: string): Ty {
  const node = field.node;
  if (field.ty.k === "kw" || field.ty.k === "str") {
    return field.ty.lit === undefined ? ANY_T : cx.field(element, field.ty.lit, node.span);
  }
  if (field.ty.k === "tuple" && node.kind === "vector") {
    let current = element;
    field.ty.items.forEach((item, i) => {
      const name = item.k === "kw" || item.k === "str" ? item.lit : undefined;
      current = name === undefined ? ANY_T : cx.field(current, name, (node.items[i] ?? node).span);
    });
    return current;
  }
  if (field.ty.k === "fn") return cx.call(field, [element], caller);
  return ANY_T;
}

/** The value under a key: a field for a literal key, an element by a literal index, else any value. */
export function lookup(target: Ty, key: Arg, cx: RuleContext): Ty {
  const name = literalKey(key.ty);
  if (name !== undefined) return cx.field(target, name, key.node.span);
  const index = intLiteral(key.ty);
  switch (target.k) {
    case "tuple":
    case "seq":
    case "str":
      return nth(target, index);
    case "dict":
      return target.value;
    case "set":
      return target.el;
    default:
      return ANY_T;
  }
}

function mapFields(ty: RecTy, change: (fields: Map<string, FieldTy>) => void, exact = ty.exact): RecTy {
  const fields = new Map(ty.fields);
  change(fields);
  return rec(fields, exact, ty.rest);
}

function assocFields(target: Ty, pairs: readonly Arg[]): Ty {
  const base: Ty = target.k === "nil" ? rec(new Map(), true) : target;
  if (base.k === "rec") {
    if (pairs.some((_, i) => i % 2 === 0 && literalKey(pairs[i]?.ty ?? ANY_T) === undefined)) {
      return MAP_ANY;
    }
    return mapFields(base, (fields) => {
      for (let i = 0; i + 1 < pairs.length; i += 2) {
        const name = literalKey((pairs[i] as Arg).ty) as string;
        const value = pairs[i + 1] as Arg;
        fields.set(name, {
          ty: value.ty,
          optional: false,
          span: value.node.span,
          keySpan: (pairs[i] as Arg).node.span,
        });
      }
    });
  }
  if (base.k === "dict") {
    const keys = pairs.filter((_, i) => i % 2 === 0).map((arg) => widen(arg.ty));
    const values = pairs.filter((_, i) => i % 2 === 1).map((arg) => arg.ty);
    return { k: "dict", key: join([base.key, ...keys]), value: join([base.value, ...values]) };
  }
  if (base.k === "seq" || base.k === "tuple") {
    return seqOf(join([elementOf(base), ...pairs.filter((_, i) => i % 2 === 1).map((arg) => arg.ty)]));
  }
  return ANY_T;
}

function mergeRecords(maps: readonly Ty[]): Ty {
  let fields = new Map<string, FieldTy>();
  let exact = true;
  let sawMap = false;
  for (const ty of maps) {
    if (ty.k === "nil") continue;
    if (ty.k !== "rec" || ty.rest !== undefined) return ty.k === "dict" || ty.k === "rec" ? MAP_ANY : ANY_T;
    sawMap = true;
    exact = exact && ty.exact;
    fields = new Map([...fields, ...ty.fields]);
  }
  return sawMap ? rec(fields, exact) : NIL;
}

function selectFields(target: Ty, keys: Arg): Ty {
  if (target.k !== "rec" || keys.ty.k !== "tuple") return target.k === "rec" || target.k === "dict" ? MAP_ANY : ANY_T;
  const fields = new Map<string, FieldTy>();
  for (const item of keys.ty.items) {
    const name = literalKey(item);
    if (name === undefined) return MAP_ANY;
    const field = target.fields.get(name);
    if (field !== undefined) fields.set(name, field);
    else if (!target.exact) fields.set(name, { ty: ANY_T, optional: true });
  }
  return rec(fields, true);
}

/** The element type a transducer emits for elements of `element`; `any` for a function not known to be one. */
export function throughTransducer(xform: Ty, element: Ty): Ty {
  return xform.k === "fn" && xform.fn.xform !== undefined ? xform.fn.xform(element) : ANY_T;
}

function pourInto(to: Ty, element: Ty): Ty {
  switch (to.k) {
    case "nil":
    case "seq":
    case "tuple":
      return seqOf(join([elementOf(to), element]));
    case "set":
      return { k: "set", el: join([to.el, element]) };
    case "rec":
    case "dict": {
      if (element.k === "tuple" && element.items.length === 2) {
        const [key, value] = element.items as [Ty, Ty];
        const existing = to.k === "dict" ? [to] : [...to.fields.values()].map((field) => field.ty);
        return {
          k: "dict",
          key: to.k === "dict" ? join([to.key, widen(key)]) : widen(key),
          value: to.k === "dict" ? join([(existing[0] as { value: Ty }).value, value]) : join([...existing, value]),
        };
      }
      return MAP_ANY;
    }
    default:
      return ANY_T;
  }
}

function conjItems(target: Ty, items: readonly Ty[]): Ty {
  switch (target.k) {
    case "nil":
    case "seq":
    case "tuple":
      return seqOf(join([elementOf(target), ...items]));
    case "set":
      return { k: "set", el: join([target.el, ...items]) };
    case "rec":
    case "dict":
      return MAP_ANY;
    default:
      return ANY_T;
  }
}

function updateField(target: Ty, key: Arg, fn: Arg, extra: readonly Ty[], cx: RuleContext, caller: string): Ty {
  const name = literalKey(key.ty);
  const base: Ty = target.k === "nil" ? rec(new Map(), true) : target;
  if (base.k === "rec" && name !== undefined) {
    const field = base.fields.get(name);
    const current =
      field === undefined ? (base.exact ? NIL : ANY_T) : field.optional ? union2(field.ty, NIL) : field.ty;
    const result = cx.call(fn, [current, ...extra], caller);
    return mapFields(base, (fields) => fields.set(name, { ty: result, optional: false }));
  }
  if (base.k === "dict") {
    const result = cx.call(fn, [union2(base.value, NIL), ...extra], caller);
    return { k: "dict", key: join([base.key, widen(key.ty)]), value: join([base.value, result]) };
  }
  cx.call(fn, [ANY_T, ...extra], caller);
  if (base.k === "rec") return MAP_ANY;
  return base.k === "seq" || base.k === "tuple" ? seqOf(ANY_T) : ANY_T;
}

function reopenRecord(target: Ty): Ty {
  if (target.k === "rec") return rec(new Map(target.fields), false, target.rest);
  return target.k === "dict" ? MAP_ANY : ANY_T;
}

function derived(name: string, apply: (given: readonly Ty[]) => Ty, xform?: (element: Ty) => Ty): Ty {
  return fnTy({ name, apply: (given) => apply(given), ...(xform === undefined ? {} : { xform }) });
}

const KIND_RULES: { readonly [K in TypeRuleKind]: KindRule } = {
  "assoc-fields": (args) => assocFields(argAt(args, 0).ty, args.slice(1)),
  "dissoc-fields": (args) => {
    const target = argAt(args, 0).ty;
    if (target.k !== "rec") return target.k === "dict" ? target : ANY_T;
    const names = args.slice(1).map((arg) => literalKey(arg.ty));
    if (names.some((name) => name === undefined)) return MAP_ANY;
    return mapFields(target, (fields) => {
      for (const name of names) fields.delete(name as string);
    });
  },
  "update-field": (args, cx, name) =>
    args.length < 3
      ? ANY_T
      : updateField(
          argAt(args, 0).ty,
          argAt(args, 1),
          argAt(args, 2),
          args.slice(3).map((arg) => arg.ty),
          cx,
          name,
        ),
  "reopen-record": (args) => reopenRecord(argAt(args, 0).ty),
  "merge-records": (args) => mergeRecords(args.map((arg) => arg.ty)),
  "select-fields": (args) => selectFields(argAt(args, 0).ty, argAt(args, 1)),
  "map-keys": (args) => {
    const ty = argAt(args, 0).ty;
    if (ty.k === "rec")
      return seqOf(
        join([...[...ty.fields.keys()].map((name): Ty => ({ k: "kw", lit: name })), ...(ty.rest ? [ty.rest.key] : [])]),
      );
    if (ty.k === "dict") return seqOf(ty.key);
    return seqOf(ANY_T);
  },
  "map-values": (args) => {
    const ty = argAt(args, 0).ty;
    if (ty.k === "rec")
      return seqOf(join([...[...ty.fields.values()].map((field) => field.ty), ...(ty.rest ? [ty.rest.value] : [])]));
    if (ty.k === "dict") return seqOf(ty.value);
    return seqOf(ANY_T);
  },
  "update-values": (args, cx, name) => {
    const ty = argAt(args, 0).ty;
    const value =
      ty.k === "dict" ? ty.value : ty.k === "rec" ? join([...ty.fields.values()].map((field) => field.ty)) : ANY_T;
    const result = cx.call(argAt(args, 1), [value], name);
    return { k: "dict", key: ty.k === "dict" ? ty.key : ty.k === "rec" ? KW : ANY_T, value: result };
  },
  "path-lookup": (args, cx) => {
    const [target, path, fallback] = [argAt(args, 0), argAt(args, 1), args[2]];
    let found: Ty = ANY_T;
    const node = path.node;
    if (path.ty.k === "tuple" && node.kind === "vector") {
      const items = node.items;
      found = target.ty;
      path.ty.items.forEach((item, i) => {
        const name = literalKey(item);
        const index = intLiteral(item);
        if (name !== undefined) found = cx.field(found, name, (items[i] ?? node).span);
        else found = index !== undefined ? nth(found, index) : ANY_T;
      });
    }
    return fallback === undefined ? found : join([nonNil(found), fallback.ty]);
  },
  "pour-into": (args) => {
    if (args.length < 2) return ANY_T;
    const from = elementOf(last(args));
    const element = args.length > 2 ? throughTransducer(argAt(args, 1).ty, from) : from;
    return pourInto(argAt(args, 0).ty, element);
  },
  "conj-items": (args) =>
    args.length === 0
      ? seqOf(ANY_T)
      : conjItems(
          argAt(args, 0).ty,
          args.slice(1).map((arg) => arg.ty),
        ),
  fold: (args, cx, name) => {
    const fn = argAt(args, 0);
    const element = elementOf(last(args));
    if (args.length === 2) return join([element, cx.call(fn, [widen(element), element], name)]);
    const init = argAt(args, 1).ty;
    return join([init, cx.call(fn, [widen(init), element], name)]);
  },
  "fold-entries": (args, cx, name) => {
    const [fn, init, coll] = [argAt(args, 0), argAt(args, 1), argAt(args, 2)];
    const entry = elementOf(coll.ty);
    const [key, value] = entry.k === "tuple" ? (entry.items as [Ty, Ty]) : [ANY_T, ANY_T];
    return join([init.ty, cx.call(fn, [widen(init.ty), key, value], name)]);
  },
  "spread-call": (args) => {
    const fn = argAt(args, 0);
    if (fn.ty.k !== "fn" || fn.ty.fn.builtin !== true || args.length < 2) return ANY_T;
    const spread = [...args.slice(1, -1).map((arg) => arg.ty), elementOf(last(args))];
    return fn.ty.fn.apply(spread, fn.node.span);
  },
  compose: (args, cx, name) => {
    if (args.length === 0) return derived(name, (given) => given[0] ?? ANY_T);
    const xforms = args.map((arg) => (arg.ty.k === "fn" ? arg.ty.fn.xform : undefined));
    // A composition of transducers is one; its elements pass through them left to right.
    const xform = xforms.every((each) => each !== undefined)
      ? (element: Ty) => xforms.reduce((current, each) => (each as (element: Ty) => Ty)(current), element)
      : undefined;
    return derived(
      name,
      (given) => {
        let ty = cx.call(args[args.length - 1] as Arg, given, name);
        for (let i = args.length - 2; i >= 0; i--) ty = cx.call(args[i] as Arg, [ty], name);
        return ty;
      },
      xform,
    );
  },
  "nil-defaults": (args, cx, name) =>
    derived(name, (given) =>
      cx.call(
        argAt(args, 0),
        given.map((ty, i) => (args[i + 1] === undefined ? ty : join([nonNil(ty), (args[i + 1] as Arg).ty]))),
        name,
      ),
    ),
  transduce: (args, cx, name) => {
    if (args.length < 3) return ANY_T;
    const fn = argAt(args, 1);
    const element = throughTransducer(argAt(args, 0).ty, elementOf(last(args)));
    // Without init, the reduction starts from (f).
    const init = args.length === 4 ? argAt(args, 2).ty : cx.call(fn, [], name);
    return join([init, cx.call(fn, [widen(init), element], name)]);
  },
  "transduce-seq": (args) => {
    const element = elementOf(last(args));
    return seqOf(args.length > 1 ? throughTransducer(argAt(args, 0).ty, element) : element);
  },
};

/** The result of a named rule. */
export function kindRule(kind: TypeRuleKind, args: readonly Arg[], cx: RuleContext, name: string): Ty {
  return KIND_RULES[kind](args, cx, name);
}
