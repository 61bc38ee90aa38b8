import type { SourceSpan } from "../errors/span.js";
import { fieldPath } from "../signature/check-value.js";
import { acceptsNil, type RecordType, type Type } from "../signature/types.js";
import { describeTy, describeType, type FieldTy, NIL, nonNil, type RecTy, type Ty, union2 } from "./static-types.js";

/**
 * Whether values of a static type can satisfy a signature type, decided soundly in three
 * values: `no` only when no value the program can produce here passes validation (a list
 * counts as producing elements: an element type that cannot match is `no` even though an
 * empty list would pass), `maybe` when some can and some cannot, `ok` otherwise (including
 * whenever `any` is involved).
 *
 * `output` mode is the strict validation of return values; `input` mode is the strict
 * validation of tool arguments after coercion (`"42"` may become 42) and after kebab-case keys
 * become snake_case.
 */
export type Mode = "output" | "input";

export interface Problem {
  readonly kind: "mismatch" | "missing" | "extra";
  /** How sure: `no` (this part cannot match) or `maybe`. */
  readonly v: "maybe" | "no";
  /** `""` for the value itself, else like `items[].id`. */
  readonly path: string;
  readonly expected: string;
  readonly actual: string;
  readonly span?: SourceSpan;
}

/** The overall answer and every problem found (each with its own certainty). */
export interface Verdict {
  readonly v: "ok" | "maybe" | "no";
  readonly problems: readonly Problem[];
}

const OK: Verdict = { v: "ok", problems: [] };
const RANK = { ok: 0, maybe: 1, no: 2 } as const;
const MAX_PROBLEMS = 20;

/** Both verdicts' problems, and the worse answer. */
function both(a: Verdict, b: Verdict): Verdict {
  if (b.v === "ok") return a;
  if (a.v === "ok") return b;
  return { v: RANK[b.v] > RANK[a.v] ? b.v : a.v, problems: [...a.problems, ...b.problems].slice(0, MAX_PROBLEMS) };
}

function single(problem: Problem): Verdict {
  return { v: problem.v, problems: [problem] };
}

function no(path: string, expected: Type | string, actual: Ty, span?: SourceSpan): Verdict {
  return single({
    kind: "mismatch",
    v: "no",
    path,
    expected: typeof expected === "string" ? expected : describeType(expected),
    actual: describeTy(actual),
    ...(span ? { span } : {}),
  });
}

/** Every problem becomes a possibility (the value may avoid it). */
export function demote(verdict: Verdict): Verdict {
  if (verdict.v !== "no") return verdict;
  return { v: "maybe", problems: verdict.problems.map((problem) => ({ ...problem, v: "maybe" as const })) };
}

function maybe(path: string, expected: Type | string, actual: Ty): Verdict {
  return demote(no(path, expected, actual));
}

function withSpan(verdict: Verdict, span: SourceSpan | undefined): Verdict {
  if (span === undefined || verdict.problems.every((problem) => problem.span !== undefined)) return verdict;
  return { ...verdict, problems: verdict.problems.map((problem) => (problem.span ? problem : { ...problem, span })) };
}

const INTEGER_TEXT = /^\s*-?\d+(\.0*)?\s*$/;
const NUMBER_TEXT = /^\s*-?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?\s*$/;

export function snake(name: string): string {
  return name.replace(/-/g, "_");
}

/** Checks a static type against a signature type; see Mode for the two modes. */
export function conform(s: Ty, t: Type, mode: Mode, path = ""): Verdict {
  if (t.kind === "primitive" && t.name === "any") return OK;
  if (s.k === "any" || s.k === "never") return OK;
  if (t.kind === "optional") {
    if (s.k === "nil") return OK;
    const rest = nonNil(s);
    return rest.k === "never" ? OK : conform(rest, t.type, mode, path);
  }
  if (s.k === "union") {
    const verdicts = s.members.map((member) => conform(member, t, mode, path));
    if (verdicts.every((verdict) => verdict.v === "no")) return verdicts[0] as Verdict;
    return demote(verdicts.reduce(both, OK));
  }
  if (t.kind === "union") {
    const verdicts = t.members.map((member) => conform(s, member, mode, path));
    if (verdicts.some((verdict) => verdict.v === "ok")) return OK;
    const maybe = verdicts.find((verdict) => verdict.v === "maybe");
    if (maybe !== undefined) return maybe;
    const nested = verdicts.filter((verdict) => verdict.problems.some((problem) => problem.path !== path));
    return nested.length === 1 ? (nested[0] as Verdict) : no(path, t, s);
  }
  switch (t.kind) {
    case "literal":
      return literal(s, t.value, mode, path);
    case "primitive":
      return primitive(s, t, mode, path);
    case "list":
    case "set":
      return collection(s, t, mode, path);
    case "record":
      return record(s, t, mode, path);
  }
}

function literal(s: Ty, value: string | number | boolean, mode: Mode, path: string): Verdict {
  const expected = JSON.stringify(value);
  if (typeof value === "string") {
    if (s.k === "str" || s.k === "kw") return s.lit === undefined || s.lit === value ? OK : no(path, expected, s);
    return no(path, expected, s);
  }
  if (typeof value === "number") {
    if (s.k === "int" || s.k === "num") return s.lit === undefined || s.lit === value ? OK : no(path, expected, s);
    if (mode === "input" && s.k === "str") {
      if (s.lit === undefined) return maybe(path, expected, s);
      return NUMBER_TEXT.test(s.lit) && Number(s.lit) === value ? OK : no(path, expected, s);
    }
    return no(path, expected, s);
  }
  if (s.k === "bool") return OK;
  if (mode === "input" && s.k === "str") {
    if (s.lit === undefined) return maybe(path, expected, s);
    return s.lit === String(value) ? OK : no(path, expected, s);
  }
  return no(path, expected, s);
}

function fromText(s: Extract<Ty, { k: "str" }>, accepts: (text: string) => boolean, path: string, t: Type): Verdict {
  if (s.lit === undefined) return maybe(path, t, s);
  return accepts(s.lit) ? OK : no(path, t, s);
}

function primitive(s: Ty, t: Extract<Type, { kind: "primitive" }>, mode: Mode, path: string): Verdict {
  switch (t.name) {
    case "nil":
      return s.k === "nil" ? OK : no(path, t, s);
    case "string":
    case "keyword":
      return s.k === "str" || s.k === "kw" ? OK : no(path, t, s);
    case "int":
      if (s.k === "int") return OK;
      if (s.k === "num") return s.lit !== undefined && !Number.isInteger(s.lit) ? no(path, t, s) : OK;
      if (mode === "input" && s.k === "str") return fromText(s, (text) => INTEGER_TEXT.test(text), path, t);
      return no(path, t, s);
    case "float":
    case "number":
      if (s.k === "int" || s.k === "num") return OK;
      if (mode === "input" && s.k === "str") return fromText(s, (text) => NUMBER_TEXT.test(text), path, t);
      return no(path, t, s);
    case "bool":
      if (s.k === "bool") return OK;
      if (mode === "input" && s.k === "str") return fromText(s, (text) => text === "true" || text === "false", path, t);
      return no(path, t, s);
    case "map":
      return s.k === "rec" || s.k === "dict" ? OK : no(path, t, s);
    default:
      return OK;
  }
}

function collection(s: Ty, t: Extract<Type, { kind: "list" | "set" }>, mode: Mode, path: string): Verdict {
  const at = `${path}[]`;
  switch (s.k) {
    case "seq":
    case "set":
      return conform(s.el, t.element, mode, at);
    case "tuple": {
      let verdict = OK;
      s.items.forEach((item, i) => {
        verdict = both(verdict, withSpan(conform(item, t.element, mode, `${path}[${i}]`), s.spans?.[i]));
      });
      return verdict;
    }
    default:
      return no(path, t, s);
  }
}

function record(s: Ty, t: RecordType, mode: Mode, path: string): Verdict {
  if (s.k === "dict") return OK;
  if (s.k !== "rec") return no(path, t, s);
  return recordFields(s, t, mode, path);
}

/** Field by field; in input mode names match after kebab-case → snake_case. */
export function recordFields(s: RecTy, t: RecordType, mode: Mode, path: string): Verdict {
  const key = mode === "input" ? snake : (name: string) => name;
  const given = new Map<string, { name: string; field: FieldTy }>();
  for (const [name, field] of s.fields) given.set(key(name), { name, field });
  let verdict = OK;
  const declared = new Set<string>();
  for (const field of t.fields) {
    const name = key(field.name);
    declared.add(name);
    const at = fieldPath(path, field.name);
    const found = given.get(name);
    if (found === undefined) {
      if (acceptsNil(field.type) || s.rest !== undefined) continue;
      const missing = single({
        kind: "missing",
        v: s.exact ? "no" : "maybe",
        path: at,
        expected: describeType(field.type),
        actual: "missing",
      });
      verdict = both(verdict, missing);
      continue;
    }
    const ty = found.field.optional ? union2(found.field.ty, NIL) : found.field.ty;
    verdict = both(verdict, withSpan(conform(ty, field.type, mode, at), found.field.span));
  }
  for (const [name, { name: original, field }] of given) {
    if (declared.has(name)) continue;
    const at = fieldPath(path, original);
    if (t.rest !== undefined) {
      verdict = both(verdict, withSpan(conform(field.ty, t.rest.value, mode, at), field.span));
      continue;
    }
    const extra = single({
      kind: "extra",
      v: field.optional ? "maybe" : "no",
      path: at,
      expected: describeType(t),
      actual: describeTy(field.ty),
      ...(field.keySpan ? { span: field.keySpan } : field.span ? { span: field.span } : {}),
    });
    verdict = both(verdict, extra);
  }
  return verdict;
}
