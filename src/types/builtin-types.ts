import type { SourceSpan } from "../errors/span.js";
import type { BuiltinFn } from "../lisp/builtins/registry.js";
import { parseSignature } from "../signature/parse-signature.js";
import type { Type } from "../signature/types.js";
import {
  ANY_T,
  type Arg,
  BOOL,
  elementOf,
  type FieldTy,
  fnTy,
  fromType,
  INT,
  join,
  KW,
  MAP_ANY,
  NIL,
  NUM,
  nonNil,
  type RecTy,
  rec,
  STR,
  seqOf,
  type Ty,
  union2,
  widen,
} from "./static-types.js";

/**
 * Typing rules for the builtins whose signature text cannot say how their result depends on
 * their arguments (`map`, `filter`, `reduce`, `group-by`, `get`, `assoc`, `merge`, the
 * aggregation helpers...). Every other builtin is typed by its registry signature; only scalar
 * results are taken from it (`:int`, `:string`, `:bool`...), since a collection result such as
 * `[:any]` there may stand for a map or a set in practice.
 */
export interface RuleContext {
  /** Calls a function argument with arguments of these types; an arity it cannot accept is an error at the argument. */
  call(fn: Arg, args: readonly Ty[], caller: string): Ty;
  /** Reads a field; a field the type says cannot exist is a warning at `span`. */
  field(target: Ty, name: string, span: SourceSpan): Ty;
}

type Rule = (args: readonly Arg[], cx: RuleContext, name: string) => Ty;

function last(args: readonly Arg[]): Ty {
  return (args[args.length - 1] as Arg | undefined)?.ty ?? ANY_T;
}

/** A field given to the PTC helpers: a keyword or string, a vector path of them, or a function. */
function readField(field: Arg, element: Ty, cx: RuleContext, caller: string): Ty {
  const form = field.form;
  if (field.ty.k === "kw" || field.ty.k === "str") {
    return field.ty.lit === undefined ? ANY_T : cx.field(element, field.ty.lit, form.span);
  }
  if (field.ty.k === "tuple" && form.kind === "vector") {
    let current = element;
    field.ty.items.forEach((item, i) => {
      const name = item.k === "kw" || item.k === "str" ? item.lit : undefined;
      current = name === undefined ? ANY_T : cx.field(current, name, (form.items[i] ?? form).span);
    });
    return current;
  }
  if (field.ty.k === "fn") return cx.call(field, [element], caller);
  return ANY_T;
}

/** `seq`-like results: a sequence of the elements of the last argument. */
const sameElements: Rule = (args) => seqOf(elementOf(last(args)));

function isInt(ty: Ty): boolean {
  return ty.k === "int" || (ty.k === "union" && ty.members.every((member) => member.k === "int"));
}

/** Arithmetic that keeps integers integral: `+`, `-`, `*`, `inc`, `max`... */
const integral: Rule = (args) => (args.length > 0 && args.every((arg) => isInt(arg.ty)) ? INT : NUM);

function nth(ty: Ty, index: number | undefined): Ty {
  if (ty.k === "tuple" && index !== undefined) return ty.items[index] ?? NIL;
  return elementOf(ty);
}

function literalKey(ty: Ty): string | undefined {
  return ty.k === "kw" || ty.k === "str" ? ty.lit : undefined;
}

function intLiteral(ty: Ty): number | undefined {
  return ty.k === "int" ? ty.lit : undefined;
}

function get(target: Ty, key: Arg, cx: RuleContext): Ty {
  const name = literalKey(key.ty);
  if (name !== undefined) return cx.field(target, name, key.form.span);
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

function assoc(target: Ty, pairs: readonly Arg[]): Ty {
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
          span: value.form.span,
          keySpan: (pairs[i] as Arg).form.span,
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

function merge(maps: readonly Ty[]): Ty {
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

function selectKeys(target: Ty, keys: Arg): Ty {
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

function into(to: Ty, from: Ty): Ty {
  const element = elementOf(from);
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

function conj(target: Ty, items: readonly Ty[]): Ty {
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

function update(target: Ty, key: Arg, fn: Arg, extra: readonly Ty[], cx: RuleContext, caller: string): Ty {
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

const NIL_TESTS = new Set(["some?", "identity", "boolean"]);

function calleeName(arg: Arg): string | undefined {
  const form = arg.form;
  if (form.kind !== "symbol") return undefined;
  return form.ns === null || form.ns === "clojure.core" || form.ns === "core" ? form.name : undefined;
}

/** What `filter` keeps: no nils after `some?`/`identity`; after `:k`, only the map types that can have `k`. */
function kept(builtin: string, pred: Arg, element: Ty): Ty {
  if (builtin !== "filter" && builtin !== "filterv") return element;
  const name = calleeName(pred);
  if (name !== undefined && NIL_TESTS.has(name)) return nonNil(element);
  if (pred.ty.k === "kw" && pred.ty.lit !== undefined) {
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

/** What `remove` keeps: no nils after `nil?`. */
function removed(pred: Arg, element: Ty): Ty {
  return calleeName(pred) === "nil?" ? nonNil(element) : element;
}

/** A function value built from function arguments (`comp`, `juxt`, `partial`...); its result from `apply`. */
function derived(name: string, apply: (args: readonly Ty[]) => Ty): Ty {
  return fnTy({ name, apply: (args) => apply(args) });
}

function arity1(args: readonly Ty[]): Ty {
  return args[0] ?? ANY_T;
}

const RULES: ReadonlyMap<string, Rule> = new Map<string, Rule>([
  // functions of functions
  [
    "apply",
    (args) => {
      const fn = (args[0] as Arg).ty;
      if (fn.k !== "fn" || fn.fn.builtin !== true || args.length < 2) return ANY_T;
      const spread = [...args.slice(1, -1).map((arg) => arg.ty), elementOf(last(args))];
      return fn.fn.apply(spread, (args[0] as Arg).form.span);
    },
  ],
  [
    "comp",
    (args, cx, name) =>
      args.length === 0
        ? derived(name, arity1)
        : derived(name, (given) => {
            let ty = cx.call(args[args.length - 1] as Arg, given, name);
            for (let i = args.length - 2; i >= 0; i--) ty = cx.call(args[i] as Arg, [ty], name);
            return ty;
          }),
  ],
  [
    "juxt",
    (args, cx, name) => derived(name, (given) => ({ k: "tuple", items: args.map((fn) => cx.call(fn, given, name)) })),
  ],
  [
    "partial",
    (args, cx, name) =>
      derived(name, (given) => cx.call(args[0] as Arg, [...args.slice(1).map((arg) => arg.ty), ...given], name)),
  ],
  [
    "complement",
    (args, cx, name) =>
      derived(name, (given) => {
        cx.call(args[0] as Arg, given, name);
        return BOOL;
      }),
  ],
  [
    "fnil",
    (args, cx, name) =>
      derived(name, (given) =>
        cx.call(
          args[0] as Arg,
          given.map((ty, i) => (args[i + 1] === undefined ? ty : join([nonNil(ty), (args[i + 1] as Arg).ty]))),
          name,
        ),
      ),
  ],
  ["constantly", (args, _cx, name) => derived(name, () => (args[0] as Arg).ty)],
  [
    "where",
    (args, cx, name) =>
      derived(name, (given) => {
        if (given[0] !== undefined) readField(args[0] as Arg, given[0], cx, name);
        return BOOL;
      }),
  ],
  ...(["all-of", "any-of", "none-of", "every-pred", "some-fn"] as const).map((builtin): [string, Rule] => [
    builtin,
    (args, cx, name) =>
      derived(name, (given) => {
        for (const pred of args) cx.call(pred, given, name);
        return builtin === "some-fn" ? ANY_T : BOOL;
      }),
  ]),

  // sequences and higher-order functions
  [
    "map",
    (args, cx, name) =>
      args.length < 2
        ? ANY_T
        : seqOf(
            cx.call(
              args[0] as Arg,
              args.slice(1).map((arg) => elementOf(arg.ty)),
              name,
            ),
          ),
  ],
  [
    "mapv",
    (args, cx, name) =>
      seqOf(
        cx.call(
          args[0] as Arg,
          args.slice(1).map((arg) => elementOf(arg.ty)),
          name,
        ),
      ),
  ],
  [
    "pmap",
    (args, cx, name) =>
      seqOf(
        cx.call(
          args[0] as Arg,
          args.slice(1).map((arg) => elementOf(arg.ty)),
          name,
        ),
      ),
  ],
  [
    "map-indexed",
    (args, cx, name) => (args.length < 2 ? ANY_T : seqOf(cx.call(args[0] as Arg, [INT, elementOf(last(args))], name))),
  ],
  [
    "keep-indexed",
    (args, cx, name) =>
      args.length < 2 ? ANY_T : seqOf(nonNil(cx.call(args[0] as Arg, [INT, elementOf(last(args))], name))),
  ],
  [
    "mapcat",
    (args, cx, name) =>
      args.length < 2
        ? ANY_T
        : seqOf(
            elementOf(
              cx.call(
                args[0] as Arg,
                args.slice(1).map((arg) => elementOf(arg.ty)),
                name,
              ),
            ),
          ),
  ],
  ...(["filter", "filterv", "remove", "take-while", "drop-while"] as const).map((builtin): [string, Rule] => [
    builtin,
    (args, cx, name) => {
      if (args.length < 2) return ANY_T;
      const element = elementOf(last(args));
      cx.call(args[0] as Arg, [element], name);
      return seqOf(builtin === "remove" ? removed(args[0] as Arg, element) : kept(builtin, args[0] as Arg, element));
    },
  ]),
  [
    "keep",
    (args, cx, name) =>
      args.length < 2 ? ANY_T : seqOf(nonNil(cx.call(args[0] as Arg, [elementOf(last(args))], name))),
  ],
  [
    "some",
    (args, cx, name) => {
      cx.call(args[0] as Arg, [elementOf(last(args))], name);
      return ANY_T;
    },
  ],
  ...(["every?", "not-every?", "not-any?"] as const).map((builtin): [string, Rule] => [
    builtin,
    (args, cx, name) => {
      cx.call(args[0] as Arg, [elementOf(last(args))], name);
      return BOOL;
    },
  ]),
  [
    "reduce",
    (args, cx, name) => {
      const fn = args[0] as Arg;
      const element = elementOf(last(args));
      if (args.length === 2) return join([element, cx.call(fn, [widen(element), element], name)]);
      const init = (args[1] as Arg).ty;
      return join([init, cx.call(fn, [widen(init), element], name)]);
    },
  ],
  [
    "reduce-kv",
    (args, cx, name) => {
      const [fn, init, coll] = args as [Arg, Arg, Arg];
      const entry = elementOf(coll.ty);
      const [key, value] = entry.k === "tuple" ? (entry.items as [Ty, Ty]) : [ANY_T, ANY_T];
      return join([init.ty, cx.call(fn, [widen(init.ty), key, value], name)]);
    },
  ],
  [
    "group-by",
    (args, cx, name) => {
      const element = elementOf(last(args));
      const key = cx.call(args[0] as Arg, [element], name);
      return { k: "dict", key: widen(key), value: seqOf(element) };
    },
  ],
  ["frequencies", (args) => ({ k: "dict", key: widen(elementOf(last(args))), value: INT })],
  [
    "sort-by",
    (args, cx, name) => {
      const element = elementOf(last(args));
      cx.call(args[0] as Arg, [element], name);
      return seqOf(element);
    },
  ],
  [
    "partition-by",
    (args, cx, name) => {
      const element = elementOf(last(args));
      cx.call(args[0] as Arg, [element], name);
      return seqOf(seqOf(element));
    },
  ],
  ...(["partition", "partition-all"] as const).map((builtin): [string, Rule] => [
    builtin,
    (args) => seqOf(seqOf(elementOf(last(args)))),
  ]),
  ...(
    [
      "sort",
      "distinct",
      "dedupe",
      "reverse",
      "rest",
      "next",
      "butlast",
      "take",
      "take-last",
      "take-nth",
      "drop",
      "drop-last",
      "nthrest",
      "nthnext",
      "vec",
      "seq",
      "sequence",
      "doall",
      "cycle",
      "rseq",
      "subvec",
    ] as const
  ).map((builtin): [string, Rule] => [
    builtin,
    builtin === "subvec" ? (args) => seqOf(elementOf((args[0] as Arg).ty)) : sameElements,
  ]),
  ["set", (args) => ({ k: "set", el: elementOf(last(args)) })],
  ["concat", (args) => seqOf(join(args.map((arg) => elementOf(arg.ty))))],
  ["interleave", (args) => seqOf(join(args.map((arg) => elementOf(arg.ty))))],
  ["interpose", (args) => seqOf(join([(args[0] as Arg).ty, elementOf(last(args))]))],
  ["first", (args) => nth((args[0] as Arg).ty, 0)],
  ["second", (args) => nth((args[0] as Arg).ty, 1)],
  [
    "last",
    (args) => {
      const ty = (args[0] as Arg).ty;
      return ty.k === "tuple" ? (ty.items[ty.items.length - 1] ?? NIL) : elementOf(ty);
    },
  ],
  ["peek", (args) => elementOf((args[0] as Arg).ty)],
  [
    "nth",
    (args) => {
      const [coll, index, fallback] = args as [Arg, Arg, Arg | undefined];
      const found = nth(coll.ty, intLiteral(index.ty));
      return fallback === undefined ? found : union2(found, fallback.ty);
    },
  ],
  ["not-empty", (args) => (args[0] as Arg).ty],
  ["split-at", (args) => ({ k: "tuple", items: [seqOf(elementOf(last(args))), seqOf(elementOf(last(args)))] })],
  ["split-with", (args) => ({ k: "tuple", items: [seqOf(elementOf(last(args))), seqOf(elementOf(last(args)))] })],
  ["repeat", (args) => seqOf(last(args))],
  ["range", (args) => seqOf(args.every((arg) => isInt(arg.ty)) ? INT : NUM)],
  ["into", (args) => (args.length < 2 ? ANY_T : into((args[0] as Arg).ty, last(args)))],
  [
    "conj",
    (args) =>
      args.length === 0
        ? seqOf(ANY_T)
        : conj(
            (args[0] as Arg).ty,
            args.slice(1).map((arg) => arg.ty),
          ),
  ],
  ["max-key", (args) => join(args.slice(1).map((arg) => arg.ty))],
  ["min-key", (args) => join(args.slice(1).map((arg) => arg.ty))],
  ["identity", (args) => (args[0] as Arg).ty],
  ["zipmap", (args) => ({ k: "dict", key: widen(elementOf((args[0] as Arg).ty)), value: elementOf(last(args)) })],
  ["entries", (args) => seqOf(elementOf((args[0] as Arg).ty))],

  // maps
  [
    "get",
    (args, cx) => {
      const [target, key, fallback] = args as [Arg, Arg, Arg | undefined];
      const found = get(target.ty, key, cx);
      return fallback === undefined ? found : join([nonNil(found), fallback.ty]);
    },
  ],
  [
    "get-in",
    (args, cx) => {
      const [target, path, fallback] = args as [Arg, Arg, Arg | undefined];
      let found: Ty = ANY_T;
      if (path.ty.k === "tuple" && path.form.kind === "vector") {
        found = target.ty;
        path.ty.items.forEach((item, i) => {
          const name = literalKey(item);
          found =
            name === undefined
              ? intLiteral(item) !== undefined
                ? nth(found, intLiteral(item))
                : ANY_T
              : cx.field(
                  found,
                  name,
                  (path.form.kind === "vector" ? (path.form.items[i] ?? path.form) : path.form).span,
                );
        });
      }
      return fallback === undefined ? found : join([nonNil(found), fallback.ty]);
    },
  ],
  ["assoc", (args) => assoc((args[0] as Arg).ty, args.slice(1))],
  [
    "dissoc",
    (args) => {
      const target = (args[0] as Arg).ty;
      if (target.k !== "rec") return target.k === "dict" ? target : ANY_T;
      const names = args.slice(1).map((arg) => literalKey(arg.ty));
      if (names.some((name) => name === undefined)) return MAP_ANY;
      return mapFields(target, (fields) => {
        for (const name of names) fields.delete(name as string);
      });
    },
  ],
  [
    "update",
    (args, cx, name) =>
      args.length < 3
        ? ANY_T
        : update(
            (args[0] as Arg).ty,
            args[1] as Arg,
            args[2] as Arg,
            args.slice(3).map((arg) => arg.ty),
            cx,
            name,
          ),
  ],
  [
    "assoc-in",
    (args) => {
      const target = (args[0] as Arg).ty;
      return target.k === "rec"
        ? rec(new Map(target.fields), false, target.rest)
        : target.k === "dict"
          ? MAP_ANY
          : ANY_T;
    },
  ],
  [
    "update-in",
    (args, cx, name) => {
      const target = (args[0] as Arg).ty;
      if (args[2] !== undefined) cx.call(args[2], [ANY_T, ...args.slice(3).map((arg) => arg.ty)], name);
      return target.k === "rec"
        ? rec(new Map(target.fields), false, target.rest)
        : target.k === "dict"
          ? MAP_ANY
          : ANY_T;
    },
  ],
  ["merge", (args) => merge(args.map((arg) => arg.ty))],
  ["select-keys", (args) => selectKeys((args[0] as Arg).ty, args[1] as Arg)],
  [
    "keys",
    (args) => {
      const ty = (args[0] as Arg).ty;
      if (ty.k === "rec")
        return seqOf(
          join([
            ...[...ty.fields.keys()].map((name): Ty => ({ k: "kw", lit: name })),
            ...(ty.rest ? [ty.rest.key] : []),
          ]),
        );
      if (ty.k === "dict") return seqOf(ty.key);
      return seqOf(ANY_T);
    },
  ],
  [
    "vals",
    (args) => {
      const ty = (args[0] as Arg).ty;
      if (ty.k === "rec")
        return seqOf(join([...[...ty.fields.values()].map((field) => field.ty), ...(ty.rest ? [ty.rest.value] : [])]));
      if (ty.k === "dict") return seqOf(ty.value);
      return seqOf(ANY_T);
    },
  ],
  [
    "update-vals",
    (args, cx, name) => {
      const ty = (args[0] as Arg).ty;
      const value =
        ty.k === "dict" ? ty.value : ty.k === "rec" ? join([...ty.fields.values()].map((field) => field.ty)) : ANY_T;
      const result = cx.call(args[1] as Arg, [value], name);
      return { k: "dict", key: ty.k === "dict" ? ty.key : ty.k === "rec" ? KW : ANY_T, value: result };
    },
  ],
  [
    "find",
    (args, cx) => {
      const [target, key] = args as [Arg, Arg];
      return { k: "tuple", items: [key.ty, get(target.ty, key, cx)] };
    },
  ],

  // arithmetic that keeps integers
  ...(["+", "-", "*", "inc", "dec", "max", "min", "abs", "quot", "rem", "mod"] as const).map(
    (builtin): [string, Rule] => [builtin, integral],
  ),

  // PTC aggregation helpers
  [
    "sum-by",
    (args, cx, name) => {
      const element = elementOf(last(args));
      const field = readField(args[0] as Arg, element, cx, name);
      return isInt(nonNil(field)) ? INT : NUM;
    },
  ],
  [
    "avg-by",
    (args, cx, name) => {
      readField(args[0] as Arg, elementOf(last(args)), cx, name);
      return NUM;
    },
  ],
  ...(["min-by", "max-by"] as const).map((builtin): [string, Rule] => [
    builtin,
    (args, cx, name) => {
      const element = elementOf(last(args));
      readField(args[0] as Arg, element, cx, name);
      return element;
    },
  ]),
  [
    "distinct-by",
    (args, cx, name) => {
      const element = elementOf(last(args));
      readField(args[0] as Arg, element, cx, name);
      return seqOf(element);
    },
  ],
  ["pluck", (args, cx, name) => seqOf(readField(args[0] as Arg, elementOf(last(args)), cx, name))],
]);

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

const signatureResults = new Map<string, Ty>();

/** The result type of a builtin from its registry signature (scalar results only; anything else is `any`). */
function fromSignature(builtin: BuiltinFn): Ty {
  let ty = signatureResults.get(builtin.name);
  if (ty === undefined) {
    const parsed = parseSignature(builtin.spec.signature);
    ty = parsed.ok ? scalarOnly(parsed.signature.output) : ANY_T;
    signatureResults.set(builtin.name, ty);
  }
  return ty;
}

/** The result type of a call to a builtin. */
export function builtinResult(builtin: BuiltinFn, args: readonly Arg[], cx: RuleContext): Ty {
  const rule = RULES.get(builtin.name);
  if (rule !== undefined) {
    try {
      return rule(args, cx, builtin.name);
    } catch (error) {
      if (error instanceof TypeError) return ANY_T;
      throw error;
    }
  }
  return fromSignature(builtin);
}
