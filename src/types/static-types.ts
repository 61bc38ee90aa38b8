import type { SourceSpan } from "../errors/span.js";
import type { Node } from "../lisp/analyze/ir.js";
import { renderType } from "../signature/print-signature.js";
import { acceptsNil, type RecordType, type Type } from "../signature/types.js";

/**
 * The static types the checker infers for program expressions. They are richer than the
 * signature language where inference needs it (literal keywords for `(:total o)`, tuples for
 * `[k v]` entries, exact map literals, function values) and poorer where it does not.
 *
 * The checker is gradual: `any` is unknown and flows silently. A record is `exact` when every
 * key is known (map literals and what `assoc`/`dissoc`/`select-keys` make of them); records
 * from signatures are not exact (a lenient value may carry more fields).
 */
export type Ty =
  | { readonly k: "any" }
  | { readonly k: "never" }
  | { readonly k: "nil" }
  | { readonly k: "bool" }
  | { readonly k: "int"; readonly lit?: number }
  | { readonly k: "num"; readonly lit?: number }
  | { readonly k: "str"; readonly lit?: string }
  | { readonly k: "kw"; readonly lit?: string }
  | { readonly k: "seq"; readonly el: Ty }
  | { readonly k: "tuple"; readonly items: readonly Ty[]; readonly spans?: readonly (SourceSpan | undefined)[] }
  | { readonly k: "set"; readonly el: Ty }
  | RecTy
  | { readonly k: "dict"; readonly key: Ty; readonly value: Ty }
  | { readonly k: "fn"; readonly fn: FnInfo }
  | { readonly k: "union"; readonly members: readonly Ty[] };

export interface FieldTy {
  readonly ty: Ty;
  /** May be absent (or nil). */
  readonly optional: boolean;
  /** The value form of a map literal entry, for precise diagnostics. */
  readonly span?: SourceSpan;
  readonly keySpan?: SourceSpan;
}

export interface RecTy {
  readonly k: "rec";
  readonly fields: ReadonlyMap<string, FieldTy>;
  readonly exact: boolean;
  readonly rest?: { readonly key: Ty; readonly value: Ty };
}

/** An argument at a call: its type and the node it came from. */
export interface Arg {
  readonly ty: Ty;
  readonly node: Node;
}

/** A function value: how many arguments it takes (when known) and its result for given argument types. */
export interface FnInfo {
  readonly name: string;
  /** Fixed arities and the minimum of the variadic one; undefined when unknown. */
  readonly arity?: { readonly fixed: readonly number[]; readonly variadicMin: number | null };
  /** True for a builtin (its result comes from the typing rules, whatever the argument count). */
  readonly builtin?: boolean;
  /** The result type for these arguments; may report diagnostics inside the function. */
  readonly apply: (args: readonly Ty[], span: SourceSpan) => Ty;
  /** For a transducer: the type of what it emits for an element of the given type. */
  readonly xform?: (element: Ty) => Ty;
}

export const ANY_T: Ty = { k: "any" };
export const NEVER: Ty = { k: "never" };
export const NIL: Ty = { k: "nil" };
export const BOOL: Ty = { k: "bool" };
export const INT: Ty = { k: "int" };
export const NUM: Ty = { k: "num" };
export const STR: Ty = { k: "str" };
export const KW: Ty = { k: "kw" };
export const MAP_ANY: Ty = { k: "dict", key: ANY_T, value: ANY_T };

export function seqOf(el: Ty): Ty {
  return { k: "seq", el };
}

export function rec(fields: Map<string, FieldTy>, exact: boolean, rest?: RecTy["rest"]): RecTy {
  return rest === undefined ? { k: "rec", fields, exact } : { k: "rec", fields, exact, rest };
}

export function fnTy(fn: FnInfo): Ty {
  return { k: "fn", fn };
}

/** True when the arity accepts `count` arguments (or the arity is unknown). */
export function acceptsCount(fn: FnInfo, count: number): boolean {
  const arity = fn.arity;
  if (arity === undefined) return true;
  return arity.fixed.includes(count) || (arity.variadicMin !== null && count >= arity.variadicMin);
}

export function describeArity(fn: FnInfo): string {
  const arity = fn.arity;
  if (arity === undefined) return "any number";
  const parts = [...arity.fixed].sort((a, b) => a - b).map(String);
  if (arity.variadicMin !== null) parts.push(`${arity.variadicMin} or more`);
  return parts.join(" or ");
}

// ---------------------------------------------------------------------------------------------
// Construction and combination

/** Drops literal values (for loop and accumulator variables, whose values change). */
export function widen(ty: Ty): Ty {
  switch (ty.k) {
    case "int":
    case "num":
    case "str":
      return ty.lit === undefined ? ty : { k: ty.k };
    // An empty collection starts an accumulator: its elements are whatever is added later
    // (`never` adds nothing to a join, and reads of it say nothing).
    case "tuple":
      return ty.items.length === 0 ? seqOf(NEVER) : seqOf(widen(join(ty.items)));
    case "rec":
      if (!ty.exact) return ty;
      return ty.fields.size === 0 && ty.rest === undefined ? { k: "dict", key: NEVER, value: NEVER } : MAP_ANY;
    case "nil":
      return ANY_T;
    case "union":
      return join(ty.members.map(widen));
    default:
      return ty;
  }
}

function flatten(types: readonly Ty[], out: Ty[]): void {
  for (const ty of types) {
    if (ty.k === "union") flatten(ty.members, out);
    else if (ty.k !== "never") out.push(ty);
  }
}

/** The union of types (the type of a value that is one of them), simplified. */
export function join(types: readonly Ty[]): Ty {
  if (types.length === 1 && (types[0] as Ty).k !== "union") return types[0] as Ty;
  const flat: Ty[] = [];
  flatten(types, flat);
  if (flat.some((ty) => ty.k === "any")) return ANY_T;
  const out: Ty[] = [];
  const seen = new Set<Ty>();
  const keys = new Set<string>();
  for (const ty of flat) {
    if (seen.has(ty)) continue;
    seen.add(ty);
    const key = tyKey(ty);
    if (keys.has(key)) continue;
    keys.add(key);
    out.push(ty);
  }
  // Literals of a kind collapse into the kind when the plain kind is present.
  const literalOf = (ty: Ty) => (ty as { lit?: unknown }).lit;
  const plain = new Set(out.filter((ty) => literalOf(ty) === undefined).map((ty) => ty.k));
  const reduced = out.filter((ty) => !(literalOf(ty) !== undefined && plain.has(ty.k)));
  if (reduced.length === 0) return NEVER;
  if (reduced.length === 1) return reduced[0] as Ty;
  if (reduced.length > 12) return ANY_T;
  return { k: "union", members: reduced };
}

export function union2(a: Ty, b: Ty): Ty {
  return join([a, b]);
}

/** The type without nil (what `or` keeps of all but its last argument). */
export function nonNil(ty: Ty): Ty {
  if (ty.k === "nil") return NEVER;
  if (ty.k === "union") return join(ty.members.filter((member) => member.k !== "nil"));
  return ty;
}

/**
 * The type with every part deeper than `depth` replaced by `any`: what a function body is
 * inferred with, so that the types (and the memo keys) of recursive calls stay bounded.
 */
export function clip(ty: Ty, depth = 4): Ty {
  if (isLeaf(ty)) return ty;
  if (depth <= 0) return ANY_T;
  // Types are immutable and shared: memoizing keeps clipping linear in the shared structure.
  let memo = clipped.get(ty);
  if (memo === undefined) {
    memo = [];
    clipped.set(ty, memo);
  }
  const known = memo[depth];
  if (known !== undefined) return known;
  const result = clipOnce(ty, depth);
  memo[depth] = result;
  return result;
}

const clipped = new WeakMap<Ty, Ty[]>();

function clipOnce(ty: Ty, depth: number): Ty {
  switch (ty.k) {
    case "seq":
    case "set": {
      const el = clip(ty.el, depth - 1);
      return el === ty.el ? ty : { k: ty.k, el };
    }
    case "tuple": {
      if (ty.items.length > 8) return seqOf(clip(join(ty.items), depth - 1));
      const items = ty.items.map((item) => clip(item, depth - 1));
      return items.every((item, i) => item === ty.items[i]) ? ty : { k: "tuple", items };
    }
    case "rec": {
      if (ty.fields.size > 24) return MAP_ANY;
      let changed = false;
      const fields = new Map<string, FieldTy>();
      for (const [name, field] of ty.fields) {
        const clipped = clip(field.ty, depth - 1);
        if (clipped !== field.ty) changed = true;
        fields.set(name, clipped === field.ty ? field : { ty: clipped, optional: field.optional });
      }
      const rest =
        ty.rest === undefined
          ? undefined
          : { key: clip(ty.rest.key, depth - 1), value: clip(ty.rest.value, depth - 1) };
      if (!changed && (ty.rest === undefined || (rest?.key === ty.rest.key && rest.value === ty.rest.value))) return ty;
      return rec(fields, ty.exact, rest);
    }
    case "dict": {
      const key = clip(ty.key, depth - 1);
      const value = clip(ty.value, depth - 1);
      return key === ty.key && value === ty.value ? ty : { k: "dict", key, value };
    }
    case "union": {
      const members = ty.members.map((member) => clip(member, depth));
      return members.every((member, i) => member === ty.members[i]) ? ty : join(members);
    }
    default:
      return ty;
  }
}

/** Types without parts. */
function isLeaf(ty: Ty): boolean {
  return ty.k !== "seq" && ty.k !== "set" && ty.k !== "tuple" && ty.k !== "rec" && ty.k !== "dict" && ty.k !== "union";
}

const KEY_BUDGET = 2048;
let uniqueKeys = 0;

/**
 * A key identifying a type's structure, for memoization and deduplication. A type too large
 * to key within the budget gets a key of its own (never shared), so two types never share a
 * key by truncation.
 */
export function tyKey(ty: Ty): string {
  let key = keyCache.get(ty);
  if (key === undefined) {
    key = computeKey(ty);
    keyCache.set(ty, key);
  }
  return key;
}

const keyCache = new WeakMap<Ty, string>();

function computeKey(ty: Ty): string {
  const parts: string[] = [];
  let size = 0;
  const put = (text: string): boolean => {
    parts.push(text);
    size += text.length;
    return size <= KEY_BUDGET;
  };
  const walk = (t: Ty): boolean => {
    switch (t.k) {
      case "int":
      case "num":
        return put(t.lit === undefined ? t.k : `${t.k}=${t.lit}`);
      case "str":
      case "kw":
        return put(t.lit === undefined ? t.k : `${t.k}=${JSON.stringify(t.lit)}`);
      case "seq":
      case "set":
        return put(`${t.k}(`) && walk(t.el) && put(")");
      case "tuple":
        return put("tuple(") && t.items.every((item) => walk(item) && put(",")) && put(")");
      case "rec":
        return (
          put(`rec${t.exact ? "!" : ""}{`) &&
          [...t.fields].every(
            ([name, field]) =>
              put(`${JSON.stringify(name)}${field.optional ? "?" : ""}:`) && walk(field.ty) && put(","),
          ) &&
          (t.rest === undefined || (put(";") && walk(t.rest.key) && put("=>") && walk(t.rest.value))) &&
          put("}")
        );
      case "dict":
        return put("dict(") && walk(t.key) && put(",") && walk(t.value) && put(")");
      case "fn":
        return put(`fn#${fnIds.get(t.fn) ?? newFnId(t.fn)}`);
      case "union":
        return put("(") && t.members.every((member) => walk(member) && put("|")) && put(")");
      default:
        return put(t.k);
    }
  };
  return walk(ty) ? parts.join("") : `#${uniqueKeys++}`;
}

const fnIds = new WeakMap<FnInfo, number>();
let nextFnId = 0;
function newFnId(fn: FnInfo): number {
  const id = nextFnId++;
  fnIds.set(fn, id);
  return id;
}

/** The type of the elements of a collection (`[k v]` entries for maps, characters for strings). */
export function elementOf(ty: Ty): Ty {
  switch (ty.k) {
    case "seq":
    case "set":
      return ty.el;
    case "tuple":
      return join(ty.items);
    case "rec": {
      const values = [...ty.fields.values()].map((field) => field.ty);
      if (ty.rest !== undefined) values.push(ty.rest.value);
      const keys: Ty[] = [...ty.fields.keys()].map((name) => ({ k: "kw", lit: name }) as Ty);
      if (ty.rest !== undefined) keys.push(ty.rest.key);
      return { k: "tuple", items: [join(keys), join(values)] };
    }
    case "dict":
      return { k: "tuple", items: [ty.key, ty.value] };
    case "str":
      return STR;
    case "nil":
    case "never":
      return NEVER;
    case "union":
      return join(ty.members.map(elementOf));
    default:
      return ANY_T;
  }
}

// ---------------------------------------------------------------------------------------------
// Signature types → static types

/** The static type of values that satisfy a signature type (after validation). */
export function fromType(type: Type): Ty {
  switch (type.kind) {
    case "primitive":
      switch (type.name) {
        case "string":
          return STR;
        case "keyword":
          return KW;
        case "int":
          return INT;
        case "float":
        case "number":
          return NUM;
        case "bool":
          return BOOL;
        case "nil":
          return NIL;
        case "map":
          return MAP_ANY;
        default:
          return ANY_T;
      }
    case "list":
      return seqOf(fromType(type.element));
    case "set":
      return { k: "set", el: fromType(type.element) };
    case "literal":
      if (typeof type.value === "string") return { k: "str", lit: type.value };
      if (typeof type.value === "number")
        return Number.isInteger(type.value) ? { k: "int", lit: type.value } : { k: "num", lit: type.value };
      return BOOL;
    case "optional":
      return union2(fromType(type.type), NIL);
    case "union":
      return join(type.members.map(fromType));
    case "record":
      return fromRecord(type);
  }
}

function fromRecord(type: RecordType): RecTy {
  const fields = new Map<string, FieldTy>();
  for (const field of type.fields) {
    const optional = acceptsNil(field.type);
    fields.set(field.name, { ty: fromType(field.type), optional });
  }
  return rec(
    fields,
    false,
    type.rest === undefined ? undefined : { key: fromType(type.rest.key), value: fromType(type.rest.value) },
  );
}

// ---------------------------------------------------------------------------------------------
// Descriptions for messages

function fieldList(ty: RecTy): string {
  const names = [...ty.fields.keys()];
  const shown = names.slice(0, 6).join(", ");
  return `{${shown}${names.length > 6 ? ", …" : ""}}`;
}

/** A short description of a static type: `int`, `string "abc"`, `list of {id, total}`, `map {id, total}`. */
export function describeTy(ty: Ty, depth = 0): string {
  if (depth > 2) return "…";
  switch (ty.k) {
    case "any":
      return "any";
    case "never":
      return "nothing";
    case "nil":
      return "nil";
    case "bool":
      return "bool";
    case "int":
      return ty.lit === undefined ? "int" : `int ${ty.lit}`;
    case "num":
      return ty.lit === undefined ? "number" : `float ${ty.lit}`;
    case "str":
      return ty.lit === undefined
        ? "string"
        : `string ${JSON.stringify(ty.lit.length > 30 ? `${ty.lit.slice(0, 29)}…` : ty.lit)}`;
    case "kw":
      return ty.lit === undefined ? "keyword" : `keyword :${ty.lit}`;
    case "seq":
      return `list of ${describeTy(ty.el, depth + 1)}`;
    case "tuple":
      return `vector [${ty.items.map((item) => describeTy(item, depth + 1)).join(" ")}]`;
    case "set":
      return `set of ${describeTy(ty.el, depth + 1)}`;
    case "rec":
      return `map ${fieldList(ty)}`;
    case "dict":
      return "map";
    case "fn":
      return "fn";
    case "union":
      return ty.members.map((member) => describeTy(member, depth + 1)).join(" or ");
  }
}

/** A signature type for messages, without the leading colon of primitives (`int`, `[{id :int}]`). */
export function describeType(type: Type): string {
  const text = renderType(type);
  const short = text.length > 80 ? `${text.slice(0, 79)}…` : text;
  return type.kind === "primitive" ? short.slice(1) : short;
}
