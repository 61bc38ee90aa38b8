/**
 * The signature language's data model. A signature is the contract of a program, an agent or
 * a tool: `(query :string, limit :int?) -> {items [{id :int}], total :int}`. The text syntax
 * is described in docs/signatures.md; `parseSignature` reads it and `renderSignature` prints
 * it back (printing then parsing gives the same structure).
 */

/**
 * The named types.
 * - `string`, `bool`, `nil`, `any`: as in JSON (`any` accepts every value).
 * - `int`: an integer-valued number; `float`: any finite number (`number` is its synonym, kept
 *   as written so that printing round-trips).
 * - `keyword`: a keyword, or a string at the JSON boundary.
 * - `map`: any map (JSON object).
 * - `fn`, `regex`, `atom`: values that exist only inside a program; builtin signatures use them,
 *   contracts at the JSON boundary cannot carry them.
 */
export type PrimitiveName =
  | "string"
  | "int"
  | "float"
  | "number"
  | "bool"
  | "keyword"
  | "any"
  | "map"
  | "nil"
  | "fn"
  | "regex"
  | "atom";

/** Every primitive name, in documentation order. */
export const PRIMITIVE_NAMES: readonly PrimitiveName[] = [
  "string",
  "int",
  "float",
  "number",
  "bool",
  "keyword",
  "any",
  "map",
  "nil",
  "fn",
  "regex",
  "atom",
];

/** `:string`, `:int`, ... */
export interface PrimitiveType {
  readonly kind: "primitive";
  readonly name: PrimitiveName;
}

/** `[T]`: a list (vector) whose elements are all of type `element`. */
export interface ListType {
  readonly kind: "list";
  readonly element: Type;
}

/** `#{T}`: a set; at the JSON boundary, an array of distinct elements. */
export interface SetType {
  readonly kind: "set";
  readonly element: Type;
}

/** One field of a record type. A field whose type is optional (`T?`) may be absent or nil. */
export interface Field {
  readonly name: string;
  readonly type: Type;
  /** Text after the type (`{id :int "the order id"}`), shown in prompts. */
  readonly description?: string;
}

/**
 * `{name T, ...}`: a map with named fields. `rest` (`{id :int, :string :any}`, or alone,
 * `{:string :int}`) types the keys not listed and their values; without it, a strict validation
 * rejects unlisted keys and a lenient one ignores them.
 */
export interface RecordType {
  readonly kind: "record";
  readonly fields: readonly Field[];
  readonly rest?: { readonly key: Type; readonly value: Type };
}

/** A literal value as a type (`"paid"`, `3`, `true`); a union of literals is an enum. */
export interface LiteralType {
  readonly kind: "literal";
  readonly value: string | number | boolean;
}

/** `A | B | ...` (at least two members). */
export interface UnionType {
  readonly kind: "union";
  readonly members: readonly Type[];
}

/** `T?`: the value may be nil; as a record field or a parameter, it may also be absent. */
export interface OptionalType {
  readonly kind: "optional";
  readonly type: Type;
}

/** A type of the signature language. */
export type Type = PrimitiveType | ListType | SetType | RecordType | LiteralType | UnionType | OptionalType;

/** One parameter of a signature: an input the caller provides (`data/name` for programs). */
export interface Param {
  readonly name: string;
  readonly type: Type;
  readonly description?: string;
  /** `& name T` (or `name T...`): takes the remaining arguments. Builtin signatures only. */
  readonly rest?: boolean;
}

/**
 * A parsed signature: inputs and output. `params` is null for the output-only shorthand
 * (`{count :int}`), which says nothing about the inputs. `open` (`(query :string, ...)`)
 * allows inputs beyond the listed ones.
 */
export interface Signature {
  readonly params: readonly Param[] | null;
  readonly open?: boolean;
  readonly output: Type;
}

export function primitive(name: PrimitiveName): PrimitiveType {
  return { kind: "primitive", name };
}

export const ANY: PrimitiveType = primitive("any");

/** True for `T?`, and for `:any`/`:nil`, which accept nil too. */
export function acceptsNil(type: Type): boolean {
  if (type.kind === "optional") return true;
  if (type.kind === "primitive") return type.name === "any" || type.name === "nil";
  if (type.kind === "union") return type.members.some(acceptsNil);
  return false;
}

/** True for a field (or parameter) that may be absent: its type accepts nil. */
export function isOptionalField(field: { readonly type: Type }): boolean {
  return acceptsNil(field.type);
}

/** Firewalled fields (`_name`) are delivered to the host but hidden from model-facing text. */
export function isFirewalled(name: string): boolean {
  return name.startsWith("_");
}

/** True when `value` is a parsed Signature rather than a Type. */
export function isSignature(value: Signature | Type): value is Signature {
  return "output" in value && !("kind" in value);
}

/** The record of a signature's inputs (its parameters as fields), or undefined for the output-only shorthand. */
export function inputType(signature: Signature): RecordType | undefined {
  if (signature.params === null) return undefined;
  const fields = signature.params
    .filter((param) => param.rest !== true)
    .map((param) => ({
      name: param.name,
      type: param.type,
      ...(param.description === undefined ? {} : { description: param.description }),
    }));
  return signature.open ? { kind: "record", fields, rest: { key: ANY, value: ANY } } : { kind: "record", fields };
}

/** The type a value is checked against: a signature's output, or the type itself. */
export function outputType(value: Signature | Type): Type {
  return isSignature(value) ? value.output : value;
}

/** Structural equality of types (field order matters; descriptions count). */
export function typeEquals(a: Type, b: Type): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}
