import { formatMessage } from "../errors/codes.js";
import { SignatureError } from "../errors/errors.js";
import { keyName } from "../lisp/values/json.js";
import { Atom, Fn, Keyword, LazySeq, LMap, PList, PSet, PVector, Regex } from "../lisp/values/value.js";
import { parseSignature, toSignature } from "./parse-signature.js";
import { renderType } from "./print-signature.js";
import {
  acceptsNil,
  inputType,
  isSignature,
  outputType,
  type PrimitiveName,
  type RecordType,
  type Signature,
  type Type,
} from "./types.js";

/** How `validate` treats map keys a record type does not list. */
export type ValidationMode = "strict" | "lenient";

/** Options of `validate`. */
export interface ValidateOptions {
  /** `strict` (the default) rejects fields a record does not list; `lenient` ignores them. */
  readonly mode?: ValidationMode;
  /** Stop after this many errors. Default: report every error. */
  readonly maxErrors?: number;
}

/** One way a value fails its type. */
export interface ValidationError {
  /** Where in the value: `""` for the value itself, else like `results[0].customer.id`. */
  readonly path: string;
  /** The whole fault in one line, e.g. `results[0].customer.id: expected int, got string "abc"`. */
  readonly message: string;
  /** The expected type, in the signature syntax (`int`, `{id :int}`), or `absent` for an unexpected field. */
  readonly expected: string;
  /** What the value is, e.g. `string "abc"`, `nil`, `missing`. */
  readonly actual: string;
}

/** The outcome of `validate`: `ok` exactly when `errors` is empty. */
export interface ValidationResult {
  readonly ok: boolean;
  readonly errors: readonly ValidationError[];
}

/** A conversion `coerce` made. */
export interface CoercionWarning {
  readonly path: string;
  /** E.g. `limit: coerced string "42" to int`. */
  readonly message: string;
}

/** The outcome of `coerce`: the converted value, what was converted, and what still does not match. */
export interface CoercionResult {
  readonly value: unknown;
  readonly warnings: readonly CoercionWarning[];
  readonly errors: readonly ValidationError[];
}

/** A signature, a type, or signature text. Text that does not parse throws `SignatureError`. */
export type SignatureLike = Signature | Type | string;

/** The type a value is checked against: the output of a signature, or the type itself. */
export function resolveTarget(target: SignatureLike): Type {
  if (typeof target !== "string") return outputType(target);
  const parsed = parseSignature(target);
  if (!parsed.ok) throw new SignatureError(target, parsed.diagnostics);
  return parsed.signature.output;
}

/** What `coerce` converts toward: a signature's parameter record when it has parameters, else its type. */
function inputTarget(target: SignatureLike): Type {
  const signature = typeof target === "string" ? toSignature(target) : isSignature(target) ? target : undefined;
  if (signature === undefined) return target as Type;
  return inputType(signature) ?? signature.output;
}

const PLAIN_KEY = /^[A-Za-z_$][A-Za-z0-9_$-]*$/;

/** Extends a path with a field name: `a.b`, or `a["first name"]` for names that are not identifiers. */
export function fieldPath(path: string, name: string): string {
  if (PLAIN_KEY.test(name)) return path === "" ? name : `${path}.${name}`;
  return `${path}[${JSON.stringify(name)}]`;
}

function truncate(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

type Shape =
  | "nil"
  | "bool"
  | "number"
  | "string"
  | "keyword"
  | "list"
  | "set"
  | "map"
  | "fn"
  | "regex"
  | "atom"
  | "other";

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (value === null || typeof value !== "object" || Array.isArray(value)) return false;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

function shapeOf(value: unknown): Shape {
  if (value === null || value === undefined) return "nil";
  switch (typeof value) {
    case "boolean":
      return "bool";
    case "number":
      return "number";
    case "string":
      return "string";
    case "object":
      break;
    default:
      return "other";
  }
  if (Array.isArray(value) || value instanceof PVector || value instanceof PList || value instanceof LazySeq)
    return "list";
  if (value instanceof PSet) return "set";
  if (value instanceof LMap || isPlainObject(value)) return "map";
  if (value instanceof Keyword) return "keyword";
  if (value instanceof Fn) return "fn";
  if (value instanceof Regex) return "regex";
  if (value instanceof Atom) return "atom";
  return "other";
}

/** A short description of a value for messages: `string "abc"`, `int 5`, `list of 3`, `nil`. */
export function describeActual(value: unknown): string {
  const shape = shapeOf(value);
  switch (shape) {
    case "nil":
      return "nil";
    case "bool":
      return `bool ${String(value)}`;
    case "number": {
      const n = value as number;
      if (!Number.isFinite(n)) return `float ${Number.isNaN(n) ? "NaN" : n > 0 ? "Infinity" : "-Infinity"}`;
      return Number.isInteger(n) ? `int ${n}` : `float ${n}`;
    }
    case "string":
      return `string ${truncate(JSON.stringify(value), 40)}`;
    case "keyword":
      return `keyword :${(value as Keyword).fqn}`;
    case "list":
      return value instanceof LazySeq ? "seq" : `list of ${items(value).length}`;
    case "set":
      return `set of ${(value as PSet).count}`;
    case "map":
      return "map";
    case "fn":
      return "fn";
    case "regex":
      return "regex";
    case "atom":
      return "atom";
    default:
      return typeof value;
  }
}

function items(value: unknown): readonly unknown[] {
  if (Array.isArray(value)) return value;
  if (value instanceof PVector) return value.toArray();
  if (value instanceof PList) return value.items;
  if (value instanceof PSet) return [...value];
  if (value instanceof LazySeq) return value.infinite ? [] : [...value];
  return [];
}

function entries(value: unknown): [string, unknown, unknown][] {
  if (value instanceof LMap) return [...value.entries()].map(([k, v]) => [keyName(k), v, k]);
  const out: [string, unknown, unknown][] = [];
  for (const key of Object.keys(value as object)) out.push([key, (value as Record<string, unknown>)[key], key]);
  return out;
}

function lookup(value: unknown, name: string): { present: boolean; value: unknown } {
  if (value instanceof LMap) {
    const key = Keyword.of(name);
    return value.has(key) ? { present: true, value: value.get(key) } : { present: false, value: undefined };
  }
  const object = value as Record<string, unknown>;
  return Object.hasOwn(object, name) ? { present: true, value: object[name] } : { present: false, value: undefined };
}

class Validator {
  readonly errors: ValidationError[] = [];
  constructor(
    private readonly mode: ValidationMode,
    private readonly max: number,
  ) {}

  private full(): boolean {
    return this.errors.length >= this.max;
  }

  private report(
    id: "value_mismatch" | "value_missing" | "value_unexpected",
    path: string,
    expected: string,
    actual: string,
  ) {
    if (this.full()) return;
    const where = path === "" ? "" : `${path}: `;
    this.errors.push({ path, message: formatMessage(id, { where, expected, actual }), expected, actual });
  }

  private mismatch(type: Type, value: unknown, path: string): void {
    this.report("value_mismatch", path, truncate(renderType(type).replace(/^:/, ""), 120), describeActual(value));
  }

  check(type: Type, value: unknown, path: string): void {
    if (this.full()) return;
    switch (type.kind) {
      case "primitive":
        if (!matchesPrimitive(type.name, value)) this.mismatch(type, value, path);
        return;
      case "literal":
        if (!matchesLiteral(type.value, value)) this.mismatch(type, value, path);
        return;
      case "optional":
        if (value !== null && value !== undefined) this.check(type.type, value, path);
        return;
      case "list":
      case "set": {
        const shape = shapeOf(value);
        if (shape !== "list" && shape !== "set") {
          this.mismatch(type, value, path);
          return;
        }
        if (value instanceof LazySeq && value.infinite) {
          this.report("value_mismatch", path, renderType(type), "an infinite seq");
          return;
        }
        const list = items(value);
        for (let i = 0; i < list.length && !this.full(); i++) this.check(type.element, list[i], `${path}[${i}]`);
        return;
      }
      case "record":
        this.record(type, value, path);
        return;
      case "union":
        this.union(type, value, path);
        return;
    }
  }

  private record(type: RecordType, value: unknown, path: string): void {
    if (shapeOf(value) !== "map") {
      this.mismatch(type, value, path);
      return;
    }
    const names = new Set<string>();
    for (const field of type.fields) {
      names.add(field.name);
      const found = lookup(value, field.name);
      const fieldAt = fieldPath(path, field.name);
      if (!found.present || found.value === null || found.value === undefined) {
        if (acceptsNil(field.type)) continue;
        if (!found.present) {
          this.report("value_missing", fieldAt, renderType(field.type).replace(/^:/, ""), "missing");
          continue;
        }
      }
      this.check(field.type, found.value, fieldAt);
    }
    if (type.rest === undefined && this.mode === "lenient") return;
    for (const [name, item, key] of entries(value)) {
      if (names.has(name)) continue;
      const at = fieldPath(path, name);
      if (type.rest !== undefined) {
        if (!matchesKey(type.rest.key, key))
          this.report("value_mismatch", at, `key ${renderType(type.rest.key)}`, `key ${JSON.stringify(name)}`);
        this.check(type.rest.value, item, at);
      } else {
        this.report("value_unexpected", at, truncate(renderType(type), 120), describeActual(item));
      }
      if (this.full()) return;
    }
  }

  private union(type: Extract<Type, { kind: "union" }>, value: unknown, path: string): void {
    const attempts = type.members.map((member) => {
      const sub = new Validator(this.mode, Number.POSITIVE_INFINITY);
      sub.check(member, value, path);
      return { member, errors: sub.errors };
    });
    if (attempts.some((attempt) => attempt.errors.length === 0)) return;
    const shape = shapeOf(value);
    const sameShape = attempts.filter((attempt) => plausible(attempt.member, shape));
    if (sameShape.length === 1) {
      for (const error of (sameShape[0] as { errors: ValidationError[] }).errors) {
        if (this.full()) return;
        this.errors.push(error);
      }
      return;
    }
    this.mismatch(type, value, path);
  }
}

/** True when a value of this shape could be of the member type (used to pick the union member a value meant). */
function plausible(type: Type, shape: Shape): boolean {
  switch (type.kind) {
    case "record":
      return shape === "map";
    case "list":
    case "set":
      return shape === "list" || shape === "set";
    case "optional":
      return plausible(type.type, shape);
    case "union":
      return type.members.some((member) => plausible(member, shape));
    case "literal":
      return (
        (typeof type.value === "string" && (shape === "string" || shape === "keyword")) || typeof type.value === shape
      );
    case "primitive":
      switch (type.name) {
        case "any":
          return true;
        case "string":
        case "keyword":
          return shape === "string" || shape === "keyword";
        case "int":
        case "float":
        case "number":
          return shape === "number";
        default:
          return type.name === shape;
      }
  }
}

function matchesPrimitive(name: PrimitiveName, value: unknown): boolean {
  switch (name) {
    case "any":
      return true;
    case "nil":
      return value === null || value === undefined;
    case "string":
    case "keyword":
      return typeof value === "string" || value instanceof Keyword;
    case "int":
      return typeof value === "number" && Number.isInteger(value);
    case "float":
    case "number":
      return typeof value === "number" && Number.isFinite(value);
    case "bool":
      return typeof value === "boolean";
    case "map":
      return shapeOf(value) === "map";
    case "fn":
      return value instanceof Fn || value instanceof Keyword || value instanceof LMap || value instanceof PSet;
    case "regex":
      return value instanceof Regex;
    case "atom":
      return value instanceof Atom;
    default:
      return false;
  }
}

function matchesLiteral(literal: string | number | boolean, value: unknown): boolean {
  if (typeof literal === "string") return value === literal || (value instanceof Keyword && value.fqn === literal);
  return value === literal;
}

/** Whether a map key (a JSON key string, or a Lisp key) fits a record's key type. */
function matchesKey(type: Type, key: unknown): boolean {
  switch (type.kind) {
    case "primitive":
      if (type.name === "int") {
        if (typeof key === "number") return Number.isInteger(key);
        return typeof key === "string" && /^-?\d+$/.test(key);
      }
      return matchesPrimitive(type.name, key);
    case "literal":
      return matchesLiteral(type.value, key) || (typeof key === "string" && String(type.value) === key);
    case "optional":
      return matchesKey(type.type, key);
    case "union":
      return type.members.some((member) => matchesKey(member, key));
    default:
      return false;
  }
}

/**
 * Checks a value against a signature's output (or a type). Accepts JSON values and program
 * values (maps, vectors, keywords...). Returns every error with its path; `strict` mode (the
 * default) also rejects map fields a record does not list. Never throws for a value; throws
 * `SignatureError` only for signature text that does not parse.
 */
export function validate(target: SignatureLike, value: unknown, options: ValidateOptions = {}): ValidationResult {
  const validator = new Validator(options.mode ?? "strict", options.maxErrors ?? Number.POSITIVE_INFINITY);
  validator.check(resolveTarget(target), value, "");
  return { ok: validator.errors.length === 0, errors: validator.errors };
}

const INTEGER_TEXT = /^\s*-?\d+(\.0*)?\s*$/;
const NUMBER_TEXT = /^\s*-?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?\s*$/;

class Coercer {
  readonly warnings: CoercionWarning[] = [];

  private warn(path: string, actual: unknown, expected: string): void {
    const where = path === "" ? "" : `${path}: `;
    this.warnings.push({
      path,
      message: formatMessage("value_coerced", { where, actual: describeActual(actual), expected }),
    });
  }

  coerce(type: Type, value: unknown, path: string): unknown {
    switch (type.kind) {
      case "optional":
        return value === null || value === undefined ? value : this.coerce(type.type, value, path);
      case "primitive":
        return this.primitive(type.name, value, path);
      case "literal":
        if (typeof type.value === "number" && typeof value === "string" && NUMBER_TEXT.test(value)) {
          const number = Number(value);
          if (number === type.value) {
            this.warn(path, value, String(type.value));
            return number;
          }
        }
        if (typeof type.value === "boolean" && (value === "true" || value === "false")) {
          this.warn(path, value, "bool");
          return value === "true";
        }
        return value;
      case "list":
      case "set": {
        if (!Array.isArray(value)) return value;
        let out: unknown[] | undefined;
        value.forEach((item, i) => {
          const next = this.coerce(type.element, item, `${path}[${i}]`);
          if (next !== item) {
            out ??= value.slice();
            out[i] = next;
          }
        });
        return out ?? value;
      }
      case "record":
        return this.record(type, value, path);
      case "union": {
        if (type.members.some((member) => validate(member, value, { mode: "lenient", maxErrors: 1 }).ok)) return value;
        for (const member of type.members) {
          const attempt = new Coercer();
          const next = attempt.coerce(member, value, path);
          if (next !== value && validate(member, next, { mode: "lenient", maxErrors: 1 }).ok) {
            this.warnings.push(...attempt.warnings);
            return next;
          }
        }
        return value;
      }
    }
  }

  private primitive(name: string, value: unknown, path: string): unknown {
    switch (name) {
      case "int":
        if (typeof value === "string" && INTEGER_TEXT.test(value)) {
          this.warn(path, value, "int");
          return Number(value);
        }
        return value;
      case "float":
      case "number":
        if (typeof value === "string" && NUMBER_TEXT.test(value)) {
          this.warn(path, value, "float");
          return Number(value);
        }
        if (typeof value === "number" && Number.isInteger(value)) this.warn(path, value, "float");
        return value;
      case "bool":
        if (value === "true" || value === "false") {
          this.warn(path, value, "bool");
          return value === "true";
        }
        return value;
      default:
        return value;
    }
  }

  private record(type: RecordType, value: unknown, path: string): unknown {
    if (!isPlainObject(value)) return value;
    const names = new Set(type.fields.map((field) => field.name));
    let changed = false;
    const out: [string, unknown][] = [];
    for (const key of Object.keys(value)) {
      const item = value[key];
      const field = type.fields.find((candidate) => candidate.name === key);
      const target = field?.type ?? (names.has(key) ? undefined : type.rest?.value);
      const next = target === undefined ? item : this.coerce(target, item, fieldPath(path, key));
      if (next !== item) changed = true;
      out.push([key, next]);
    }
    // Object.fromEntries defines properties, so a key like "__proto__" stays a plain key.
    return changed ? Object.fromEntries(out) : value;
  }
}

/**
 * Converts an input value toward its type where the intent is clear, each conversion with a
 * warning: `"42"` → 42 for `:int`, `"2.5"` → 2.5 for `:float`, `"true"` → true for `:bool`,
 * and an integer where a float is expected (a no-op for JS numbers, reported all the same).
 * A whole signature (`(a :int, b :float) -> ...`) coerces its inputs: the record of its
 * parameters; an output-only signature or a type coerces to that type.
 * Then validates the result (`lenient` by default) and reports what still does not match.
 * The input is never modified; unchanged parts are shared. Outputs are never coerced: use
 * `validate` for them.
 */
export function coerce(
  target: SignatureLike,
  value: unknown,
  options: { readonly mode?: ValidationMode } = {},
): CoercionResult {
  const type = inputTarget(target);
  const coercer = new Coercer();
  const next = coercer.coerce(type, value, "");
  const { errors } = validate(type, next, { mode: options.mode ?? "lenient" });
  return { value: next, warnings: coercer.warnings, errors };
}

/** One line per error, for messages: `a.b: expected int, got nil; c: missing required field (string)`. */
export function summarizeErrors(errors: readonly ValidationError[], max = 5): string {
  const shown = errors.slice(0, max).map((error) => error.message);
  if (errors.length > max) shown.push(`and ${errors.length - max} more`);
  return shown.join("; ");
}
