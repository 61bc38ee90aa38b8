import { formatHint, type MessageId } from "../errors/codes.js";
import type { Diagnostic } from "../errors/diagnostic.js";
import { makeDiagnostic } from "../errors/errors.js";
import type { SourceSpan } from "../errors/span.js";
import { closestName } from "../internal/suggest.js";
import { fnLiteralPlaceholders } from "../lisp/analyze/fn-literal.js";
import { MacroError, macroFor } from "../lisp/analyze/macros.js";
import { isSpecialForm } from "../lisp/analyze/special-forms.js";
import type { Form, ListForm, MapForm, SymbolForm, VectorForm } from "../lisp/ast/nodes.js";
import { BUILTINS, type BuiltinFn, lookupBuiltin } from "../lisp/builtins/registry.js";
import { fieldPath } from "../signature/check-value.js";
import { acceptsNil, type RecordType, type Signature, type Type } from "../signature/types.js";
import { builtinResult, type RuleContext } from "./builtin-types.js";
import { conform, demote, type Mode, type Problem, snake, type Verdict } from "./conform.js";
import {
  ANY_T,
  type Arg,
  acceptsCount,
  BOOL,
  clip,
  describeArity,
  describeTy,
  describeType,
  elementOf,
  type FieldTy,
  type FnInfo,
  fnTy,
  fromType,
  INT,
  join,
  NEVER,
  NIL,
  NUM,
  nonNil,
  rec,
  STR,
  seqOf,
  type Ty,
  tyKey,
  union2,
  widen,
} from "./static-types.js";

/** A tool's contract as the checker sees it. */
export interface ToolContract {
  /** The record of its arguments. */
  readonly input?: RecordType;
  /** Its result type. */
  readonly output?: Type;
}

/** Options of `checkTypes`. */
export interface CheckTypesOptions {
  /** The program's signature: its parameters type `data/...`, its output the return value. */
  readonly signature?: Signature;
  /** The tools' contracts by the names programs call them. */
  readonly tools?: ReadonlyMap<string, ToolContract>;
  /** Names defined before the program runs (typed `any`). */
  readonly globals?: readonly string[];
}

/** Where a value is checked against a signature type. */
interface Expect {
  readonly type: Type;
  readonly mode: Mode;
  /** The tool whose arguments these are; absent for the program's return value. */
  readonly tool?: string;
  readonly path: string;
  /** Reached only on an exceptional path (a `catch`): a certain mismatch there is a warning. */
  readonly soft?: boolean;
}

/** Inference work per program; beyond it the checker says nothing more (never a false error). */
const STEP_LIMIT = 10_000;
const DEPTH_LIMIT = 400;
/** Argument-type variants inferred per function before its result is taken as `any`. */
const VARIANTS_PER_FN = 24;

class Env {
  constructor(
    readonly parent: Env | null,
    readonly vars: ReadonlyMap<string, Ty>,
  ) {}

  get(name: string): Ty | undefined {
    for (let env: Env | null = this; env !== null; env = env.parent) {
      const ty = env.vars.get(name);
      if (ty !== undefined) return ty;
    }
    return undefined;
  }

  has(name: string): boolean {
    return this.get(name) !== undefined;
  }

  child(vars: ReadonlyMap<string, Ty>): Env {
    return vars.size === 0 ? this : new Env(this, vars);
  }
}

interface Arity {
  readonly params: readonly Form[];
  readonly rest?: Form;
  readonly body: readonly Form[];
}

function isName(form: Form | undefined, name: string): boolean {
  return form?.kind === "symbol" && form.ns === null && form.name === name;
}

function literalName(form: Form): string | undefined {
  if (form.kind === "keyword") return form.ns ? `${form.ns}/${form.name}` : form.name;
  if (form.kind === "string") return form.value;
  return undefined;
}

/** True for a test form whose value is always truthy (`:else`, `true`, a literal string or number...). */
function alwaysTruthy(form: Form): boolean {
  switch (form.kind) {
    case "boolean":
      return form.value;
    case "keyword":
    case "string":
    case "number":
    case "char":
    case "vector":
    case "map":
    case "set":
      return true;
    default:
      return false;
  }
}

function alwaysFalsy(form: Form): boolean {
  return form.kind === "nil" || (form.kind === "boolean" && !form.value);
}

function collectForms(form: Form, into: Set<Form>): void {
  into.add(form);
  if (form.kind === "list" || form.kind === "vector" || form.kind === "map" || form.kind === "set") {
    for (const item of form.items) collectForms(item, into);
  } else if (form.kind === "fn-literal") {
    collectForms(form.body, into);
  }
}

function markSynthesized(expanded: Form, original: Set<Form>, into: WeakSet<Form>): void {
  if (!original.has(expanded) && expanded.kind === "nil") into.add(expanded);
  if (expanded.kind === "list" || expanded.kind === "vector" || expanded.kind === "map" || expanded.kind === "set") {
    for (const item of expanded.items) markSynthesized(item, original, into);
  }
}

const QUALIFIED_NUMBERS = new Set([
  "Double/POSITIVE_INFINITY",
  "Double/NEGATIVE_INFINITY",
  "Double/NaN",
  "Double/MAX_VALUE",
  "Double/MIN_VALUE",
  "Math/PI",
  "Math/E",
]);
const QUALIFIED_INTS = new Set([
  "Number/MAX_SAFE_INTEGER",
  "Number/MIN_SAFE_INTEGER",
  "Long/MAX_VALUE",
  "Long/MIN_VALUE",
  "Integer/MAX_VALUE",
  "Integer/MIN_VALUE",
]);

/** Shorter field names are never taken for a misspelling (`:x` beside `:y`). */
const MIN_MISSPELLED_FIELD = 3;

const NOWHERE: SourceSpan = { start: 0, end: 0, line: 1, column: 1 };

function nilAt(span: SourceSpan): Form {
  return { kind: "nil", span };
}

class Checker implements RuleContext {
  private readonly found = new Map<string, Diagnostic>();
  private readonly globals = new Map<string, Ty>();
  /** Globals defined by `defn`: the analyzer checks the arity of calls to them. */
  private readonly defnNames = new Set<string>();
  private readonly synthesized = new WeakSet<Form>();
  private readonly builtinFns = new Map<BuiltinFn, Ty>();
  private readonly params: ReadonlyMap<string, Type> | undefined;
  private readonly closedData: boolean;
  private readonly output: Expect | undefined;
  private readonly tools: ReadonlyMap<string, ToolContract>;
  private steps = 0;
  private depth = 0;
  private exhausted = false;

  constructor(options: CheckTypesOptions) {
    const signature = options.signature;
    if (signature?.params) {
      this.params = new Map(signature.params.map((param) => [param.name, param.type]));
      this.closedData = signature.open !== true;
    } else {
      this.params = undefined;
      this.closedData = false;
    }
    this.output = signature === undefined ? undefined : { type: signature.output, mode: "output", path: "" };
    this.tools = options.tools ?? new Map();
    for (const name of options.globals ?? []) this.globals.set(name, ANY_T);
  }

  /** Inference steps taken (for tests and measurements). */
  get stepsTaken(): number {
    return this.steps;
  }

  run(forms: readonly Form[]): Diagnostic[] {
    const env = new Env(null, new Map());
    forms.forEach((form, i) => {
      this.infer(form, env, i === forms.length - 1 ? this.output : undefined);
    });
    return [...this.found.values()];
  }

  // -------------------------------------------------------------------------------------------
  // Reporting

  private report(
    id: MessageId,
    params: Readonly<Record<string, string | number>>,
    span: SourceSpan,
    severity: "error" | "warning",
    hint?: string,
  ): void {
    const diagnostic = makeDiagnostic(id, params, span, hint);
    const full: Diagnostic = severity === "warning" ? { ...diagnostic, severity } : diagnostic;
    const key = `${full.code}@${span.start}:${span.end}:${full.message}`;
    const existing = this.found.get(key);
    if (existing === undefined || (existing.severity === "warning" && severity === "error")) this.found.set(key, full);
  }

  private reportVerdict(verdict: Verdict, expect: Expect, span: SourceSpan): void {
    for (const problem of verdict.problems) this.reportProblem(problem, expect, span);
  }

  private reportProblem(problem: Problem, expect: Expect, span: SourceSpan): void {
    const severity = problem.v === "no" && expect.soft !== true ? "error" : "warning";
    const at = problem.span ?? span;
    if (expect.tool === undefined) {
      if (problem.kind === "missing") {
        this.report("return_missing_field", { field: problem.path, expected: problem.expected }, at, severity);
      } else if (problem.kind === "extra") {
        this.report("return_extra_field", { field: problem.path, expected: problem.expected }, at, severity);
      } else {
        const where = problem.path === "" ? "" : ` at ${problem.path}`;
        this.report("return_mismatch", { where, expected: problem.expected, actual: problem.actual }, at, severity);
      }
      return;
    }
    const tool = expect.tool;
    const field = problem.path === "" ? "map" : problem.path;
    if (problem.kind === "missing") {
      this.report("tool_argument_missing", { tool, field, expected: problem.expected }, at, severity);
    } else if (problem.kind === "extra") {
      this.report("tool_argument_extra", { tool, field, expected: problem.expected }, at, severity);
    } else {
      // The whole argument is not a map (`(tool/search q)` with a string q): show the map form.
      const hint =
        problem.path === "" && expect.type.kind === "record"
          ? formatHint("tool_map_known", {
              tool,
              fields: expect.type.fields.map((entry) => `:${entry.name} ...`).join(", "),
            })
          : undefined;
      this.report(
        "tool_argument_mismatch",
        { tool, field, expected: problem.expected, actual: problem.actual },
        at,
        severity,
        hint,
      );
    }
  }

  private conformTo(ty: Ty, expect: Expect, span: SourceSpan, implicit = false): void {
    const verdict = conform(ty, expect.type, expect.mode, expect.path);
    this.reportVerdict(implicit ? demote(verdict) : verdict, expect, span);
  }

  // -------------------------------------------------------------------------------------------
  // Fields

  /**
   * Reads a field; reports a field the type says cannot exist: an error when the name is a near
   * spelling of one of the type's fields (the read would silently give nil), else a warning (the
   * data may hold fields its type does not list).
   */
  field(target: Ty, name: string, span: SourceSpan): Ty {
    const read = this.readField(target, name);
    if (read.missing !== undefined) {
      const candidates = read.candidates;
      const swapped = name.includes("-") ? name.replace(/-/g, "_") : name.replace(/_/g, "-");
      const suggestion = candidates.includes(swapped) ? swapped : closestName(name, candidates);
      const hint =
        suggestion !== undefined
          ? formatHint("did_you_mean", { name: `:${suggestion}` })
          : read.elementHas
            ? formatHint("list_of_maps_field", { name })
            : undefined;
      const severity = suggestion !== undefined && name.length >= MIN_MISSPELLED_FIELD ? "error" : "warning";
      this.report("unknown_field", { type: read.missing, field: `:${name}` }, span, severity, hint);
    }
    return read.ty;
  }

  private readField(
    target: Ty,
    name: string,
  ): { ty: Ty; missing?: string; candidates: string[]; elementHas?: boolean } {
    switch (target.k) {
      case "any":
      case "never":
      case "nil":
        return { ty: target, candidates: [] };
      case "rec": {
        const field = target.fields.get(name);
        if (field !== undefined) return { ty: field.optional ? union2(field.ty, NIL) : field.ty, candidates: [] };
        if (target.rest !== undefined) return { ty: target.rest.value, candidates: [] };
        return { ty: target.exact ? NIL : ANY_T, missing: describeTy(target), candidates: [...target.fields.keys()] };
      }
      case "dict":
        return { ty: target.value, candidates: [] };
      case "set":
        return { ty: union2(target.el, NIL), candidates: [] };
      case "union": {
        const reads = target.members
          .filter((member) => member.k !== "nil")
          .map((member) => this.readField(member, name));
        const ty = join(reads.map((read) => read.ty));
        if (reads.length > 0 && reads.every((read) => read.missing !== undefined)) {
          return { ty, missing: describeTy(target), candidates: reads.flatMap((read) => read.candidates) };
        }
        return { ty, candidates: [] };
      }
      case "seq":
      case "tuple": {
        const element = elementOf(target);
        const elementHas = element.k === "rec" && element.fields.has(name);
        return { ty: NIL, missing: describeTy(target), candidates: [], elementHas };
      }
      default:
        return { ty: NIL, missing: describeTy(target), candidates: [] };
    }
  }

  // -------------------------------------------------------------------------------------------
  // Calling values

  /** Calls a function argument of a builtin (`map`, `filter`...): its arity must accept `args`. */
  call(fn: Arg, args: readonly Ty[], caller: string): Ty {
    return this.apply(fn.ty, args, fn.form.span, { callback: caller });
  }

  private apply(
    callee: Ty,
    args: readonly Ty[],
    span: SourceSpan,
    how: { callback?: string; direct?: string; checkArity?: boolean },
  ): Ty {
    switch (callee.k) {
      case "fn": {
        if (!acceptsCount(callee.fn, args.length)) {
          if (how.callback !== undefined) {
            this.report(
              "callback_arity",
              { fn: how.callback, actual: args.length, expected: describeArity(callee.fn) },
              span,
              "error",
            );
          } else if (how.checkArity !== false) {
            this.report(
              "arity_mismatch",
              { name: how.direct ?? callee.fn.name, expected: describeArity(callee.fn), actual: args.length },
              span,
              "error",
            );
          }
          return ANY_T;
        }
        return callee.fn.apply(args, span);
      }
      case "kw":
        if (callee.lit === undefined || args.length === 0) return ANY_T;
        return args.length > 1
          ? join([nonNil(this.field(args[0] as Ty, callee.lit, span)), args[1] as Ty])
          : this.field(args[0] as Ty, callee.lit, span);
      case "rec":
      case "dict": {
        const key = args[0];
        if (key !== undefined && (key.k === "kw" || key.k === "str") && key.lit !== undefined) {
          const found = this.field(callee, key.lit, span);
          return args.length > 1 ? join([nonNil(found), args[1] as Ty]) : found;
        }
        return callee.k === "dict" ? callee.value : ANY_T;
      }
      case "set":
        return union2(callee.el, NIL);
      case "tuple":
      case "seq":
        return elementOf(callee);
      default:
        return ANY_T;
    }
  }

  private builtinTy(builtin: BuiltinFn): Ty {
    let ty = this.builtinFns.get(builtin);
    if (ty === undefined) {
      const [min, max] = builtin.spec.arity;
      const fixed: number[] = [];
      if (Number.isFinite(max)) for (let n = min; n <= max; n++) fixed.push(n);
      const info: FnInfo = {
        name: builtin.name,
        builtin: true,
        arity: { fixed, variadicMin: Number.isFinite(max) ? null : min },
        apply: (args, span) =>
          builtinResult(
            builtin,
            args.map((arg) => ({ ty: arg, form: nilAt(span) })),
            this,
          ),
      };
      ty = fnTy(info);
      this.builtinFns.set(builtin, ty);
    }
    return ty;
  }

  // -------------------------------------------------------------------------------------------
  // Inference

  infer(form: Form, env: Env, expect?: Expect): Ty {
    if (this.exhausted) return ANY_T;
    if (++this.steps > STEP_LIMIT || this.depth >= DEPTH_LIMIT) {
      this.exhausted = true;
      return ANY_T;
    }
    this.depth++;
    try {
      const [ty, handled] = this.inferForm(form, env, expect);
      if (expect !== undefined && !handled) this.conformTo(ty, expect, form.span, this.synthesized.has(form));
      return ty;
    } finally {
      this.depth--;
    }
  }

  /** The type of a form; `true` when the form checked `expect` itself (in its tail positions). */
  private inferForm(form: Form, env: Env, expect: Expect | undefined): [Ty, boolean] {
    switch (form.kind) {
      case "nil":
        return [NIL, false];
      case "boolean":
        return [BOOL, false];
      case "number":
        return [
          Number.isInteger(form.value)
            ? { k: "int", lit: form.value }
            : Number.isFinite(form.value)
              ? { k: "num", lit: form.value }
              : NUM,
          false,
        ];
      case "string":
        return [{ k: "str", lit: form.value }, false];
      case "char":
        return [STR, false];
      case "keyword":
        return [{ k: "kw", lit: literalName(form) as string }, false];
      case "regex":
        return [ANY_T, false];
      case "symbol":
        return [this.symbol(form, env), false];
      case "vector":
        return this.vector(form, env, expect);
      case "set":
        return [{ k: "set", el: join(form.items.map((item) => widen(this.infer(item, env)))) }, false];
      case "map":
        return this.map(form, env, expect);
      case "fn-literal":
        return [this.fnLiteral(form.body, env), false];
      case "list":
        return this.list(form, env, expect);
    }
  }

  private symbol(form: SymbolForm, env: Env): Ty {
    const { ns, name } = form;
    if (ns === "data") return env.get(`data/${name}`) ?? this.dataKey(form);
    if (ns === null) {
      const local = env.get(name) ?? (name === "%" ? env.get("%1") : undefined);
      if (local !== undefined) return local;
      const global = this.globals.get(name);
      if (global !== undefined) return global;
      const builtin = BUILTINS.get(name);
      return builtin === undefined ? ANY_T : this.builtinTy(builtin);
    }
    const full = `${ns}/${name}`;
    if (QUALIFIED_INTS.has(full)) return INT;
    if (QUALIFIED_NUMBERS.has(full)) return NUM;
    const builtin = lookupBuiltin(ns, name);
    return builtin === undefined ? ANY_T : this.builtinTy(builtin);
  }

  private dataKey(form: SymbolForm): Ty {
    if (this.params === undefined) return ANY_T;
    const type = this.params.get(form.name);
    if (type !== undefined) return fromType(type);
    if (this.closedData) {
      const names = [...this.params.keys()];
      const suggestion = closestName(form.name, names);
      this.report(
        "unknown_data_key",
        { name: form.name, inputs: names.length === 0 ? "none" : names.map((n) => `data/${n}`).join(", ") },
        form.span,
        "error",
        suggestion === undefined ? undefined : formatHint("did_you_mean", { name: `data/${suggestion}` }),
      );
    }
    return ANY_T;
  }

  private sub(expect: Expect, type: Type, path: string): Expect {
    return { ...expect, type, path };
  }

  /** The record or list type an expectation reduces to for a literal (which is never nil). */
  private literalTarget(expect: Expect | undefined, kind: "record" | "list"): Type | undefined {
    if (expect === undefined) return undefined;
    let type = expect.type;
    while (type.kind === "optional") type = type.type;
    if (type.kind === "union") {
      const matching = type.members.filter((member) =>
        kind === "record" ? member.kind === "record" : member.kind === "list" || member.kind === "set",
      );
      if (matching.length !== 1) return undefined;
      type = matching[0] as Type;
    }
    if (kind === "record" && type.kind === "record") return type;
    if (kind === "list" && (type.kind === "list" || type.kind === "set")) return type;
    return undefined;
  }

  private vector(form: VectorForm, env: Env, expect: Expect | undefined): [Ty, boolean] {
    const target = this.literalTarget(expect, "list");
    if (expect !== undefined && target !== undefined && (target.kind === "list" || target.kind === "set")) {
      const items = form.items.map((item, i) =>
        this.infer(item, env, this.sub(expect, target.element, `${expect.path}[${i}]`)),
      );
      return [{ k: "tuple", items, spans: form.items.map((item) => item.span) }, true];
    }
    const items = form.items.map((item) => this.infer(item, env));
    return [{ k: "tuple", items, spans: form.items.map((item) => item.span) }, false];
  }

  private map(form: MapForm, env: Env, expect: Expect | undefined): [Ty, boolean] {
    const target = this.literalTarget(expect, "record");
    const pairs: { key: Form; value: Form; name: string | undefined }[] = [];
    for (let i = 0; i + 1 < form.items.length; i += 2) {
      const key = form.items[i] as Form;
      pairs.push({ key, value: form.items[i + 1] as Form, name: literalName(key) });
    }
    const allLiteral = pairs.every((pair) => pair.name !== undefined);
    if (expect === undefined || target === undefined || target.kind !== "record" || !allLiteral) {
      if (!allLiteral) {
        const keys = pairs.map((pair) => widen(this.infer(pair.key, env)));
        const values = pairs.map((pair) => this.infer(pair.value, env));
        return [{ k: "dict", key: join(keys), value: join(values) }, false];
      }
      const fields = new Map<string, FieldTy>();
      for (const pair of pairs) {
        fields.set(pair.name as string, {
          ty: this.infer(pair.value, env),
          optional: false,
          span: pair.value.span,
          keySpan: pair.key.span,
        });
      }
      return [rec(fields, true), false];
    }
    const key = expect.mode === "input" ? snake : (name: string) => name;
    const declared = new Map(target.fields.map((field) => [key(field.name), field]));
    const fields = new Map<string, FieldTy>();
    const given = new Set<string>();
    for (const pair of pairs) {
      const name = pair.name as string;
      given.add(key(name));
      const field = declared.get(key(name));
      let ty: Ty;
      if (field !== undefined) {
        ty = this.infer(pair.value, env, this.sub(expect, field.type, fieldPath(expect.path, field.name)));
      } else if (target.rest !== undefined) {
        ty = this.infer(pair.value, env, this.sub(expect, target.rest.value, fieldPath(expect.path, name)));
      } else {
        ty = this.infer(pair.value, env);
        this.reportProblem(
          {
            kind: "extra",
            v: "no",
            path: fieldPath(expect.path, name),
            expected: describeType(target),
            actual: describeTy(ty),
            span: pair.key.span,
          },
          expect,
          form.span,
        );
      }
      fields.set(name, { ty, optional: false, span: pair.value.span, keySpan: pair.key.span });
    }
    for (const field of target.fields) {
      if (given.has(key(field.name)) || acceptsNil(field.type)) continue;
      this.reportProblem(
        {
          kind: "missing",
          v: "no",
          path: fieldPath(expect.path, field.name),
          expected: describeType(field.type),
          actual: "missing",
        },
        expect,
        form.span,
      );
    }
    return [rec(fields, true), true];
  }

  private list(form: ListForm, env: Env, expect: Expect | undefined): [Ty, boolean] {
    const head = form.items[0];
    if (head === undefined) return [seqOf(NEVER), false];
    if (head.kind === "symbol") {
      const { ns, name } = head;
      if (ns === null && !env.has(name)) {
        if (isSpecialForm(name)) return this.special(name, form, env, expect);
        const expander = macroFor(name);
        if (expander !== undefined && !this.globals.has(name)) {
          let expanded: Form;
          try {
            expanded = expander(form);
          } catch (error) {
            if (error instanceof MacroError) return [ANY_T, false];
            throw error;
          }
          const original = new Set<Form>();
          collectForms(form, original);
          markSynthesized(expanded, original, this.synthesized);
          return this.inferForm(expanded, env, expect);
        }
      }
      if (ns === "tool") return [this.toolCall(head, form, env), false];
      const builtin =
        ns === null
          ? env.has(name) || this.globals.has(name)
            ? undefined
            : BUILTINS.get(name)
          : lookupBuiltin(ns, name);
      if (builtin !== undefined) return this.builtinCall(builtin, form, env);
    }
    if (head.kind === "keyword") {
      const name = literalName(head) as string;
      const args = form.items.slice(1).map((item) => this.infer(item, env));
      if (args.length === 0) return [ANY_T, false];
      const found = this.field(args[0] as Ty, name, head.span);
      return [args.length > 1 ? join([nonNil(found), args[1] as Ty]) : found, false];
    }
    const callee = this.infer(head, env);
    const args = form.items.slice(1).map((item) => this.infer(item, env));
    const direct = head.kind === "symbol" && head.ns === null ? head.name : undefined;
    // The analyzer already checks calls to `defn` globals by name.
    const checkArity = !(direct !== undefined && !env.has(direct) && this.defnNames.has(direct));
    return [this.apply(callee, args, form.span, { ...(direct !== undefined ? { direct } : {}), checkArity }), false];
  }

  private builtinCall(builtin: BuiltinFn, form: ListForm, env: Env): [Ty, boolean] {
    const argForms = form.items.slice(1);
    const rule = builtin.spec.types;
    if (typeof rule === "object" && "exits" in rule) {
      // The program ends here: with the first argument as its result, or with a fault.
      const [value, ...rest] = argForms;
      if (value !== undefined) this.infer(value, env, rule.exits === "output" ? this.output : undefined);
      for (const arg of rest) this.infer(arg, env);
      return [NEVER, true];
    }
    const args: Arg[] = argForms.map((arg) => ({ ty: this.infer(arg, env), form: arg }));
    return [builtinResult(builtin, args, this), false];
  }

  private toolCall(head: SymbolForm, form: ListForm, env: Env): Ty {
    const name = head.name;
    const contract = this.tools.get(name) ?? this.tools.get(snake(name));
    const args = form.items.slice(1);
    const input = contract?.input;
    if (input === undefined) {
      for (const arg of args) this.infer(arg, env);
    } else {
      const expect: Expect = { type: input, mode: "input", tool: name, path: "" };
      if (args.length === 0 || (args.length === 1 && (args[0] as Form).kind === "nil")) {
        this.conformTo(rec(new Map(), true), expect, form.span);
      } else if (args.length === 1) {
        this.infer(args[0] as Form, env, expect);
      } else if (args.length % 2 === 0) {
        this.infer({ kind: "map", items: args, span: form.span }, env, expect);
      } else {
        for (const arg of args) this.infer(arg, env);
      }
    }
    return contract?.output === undefined ? ANY_T : fromType(contract.output);
  }

  // -------------------------------------------------------------------------------------------
  // Special forms

  /** Forms in sequence, `expect` on the last; an empty body is nil (checked at `span`). */
  private body(forms: readonly Form[], env: Env, expect: Expect | undefined, span: SourceSpan): Ty {
    if (forms.length === 0) {
      if (expect !== undefined) this.conformTo(NIL, expect, span, true);
      return NIL;
    }
    let ty: Ty = NIL;
    forms.forEach((form, i) => {
      ty = this.infer(form, env, i === forms.length - 1 ? expect : undefined);
    });
    return ty;
  }

  private bindings(vector: Form | undefined, env: Env, loop: boolean): Env {
    if (vector?.kind !== "vector") return env;
    let current = env;
    for (let i = 0; i + 1 < vector.items.length; i += 2) {
      const init = this.infer(vector.items[i + 1] as Form, current);
      const vars = new Map<string, Ty>();
      this.bind(vector.items[i] as Form, loop ? widen(init) : init, vars, current);
      current = current.child(vars);
    }
    return current;
  }

  private special(name: string, form: ListForm, env: Env, expect: Expect | undefined): [Ty, boolean] {
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
  private narrow(test: Form, env: Env): { truthy: Env; falsy: Env } {
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

  private dataType(name: string): Ty {
    const type = this.params?.get(name);
    return type === undefined ? ANY_T : fromType(type);
  }

  private quoted(form: Form | undefined): Ty {
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

  private tryForm(form: ListForm, env: Env, expect: Expect | undefined): Ty {
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

  private caseForm(form: ListForm, env: Env, expect: Expect | undefined): Ty {
    const expr = form.items[1];
    if (expr !== undefined) this.infer(expr, env);
    const clauses = form.items.slice(2);
    const results: Ty[] = [];
    for (let i = 0; i + 1 < clauses.length; i += 2) results.push(this.infer(clauses[i + 1] as Form, env, expect));
    if (clauses.length % 2 === 1) results.push(this.infer(clauses[clauses.length - 1] as Form, env, expect));
    return join(results);
  }

  /** The scope of a `for`/`doseq` binding vector (with `:let`, `:when`, `:while`). */
  private comprehension(vector: Form | undefined, env: Env): Env {
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

  private forForm(form: ListForm, env: Env): Ty {
    const inner = this.comprehension(form.items[1], env);
    const body = form.items[2];
    return seqOf(body === undefined ? NIL : this.infer(body, inner));
  }

  private letfn(form: ListForm, env: Env, expect: Expect | undefined): Ty {
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

  private fnForm(items: readonly Form[], start: number, env: Env, givenName: string | undefined): Ty {
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

  private arity(params: VectorForm, body: readonly Form[]): Arity {
    const amp = params.items.findIndex((item) => isName(item, "&"));
    if (amp < 0) return { params: params.items, body };
    const rest = params.items[amp + 1];
    return rest === undefined
      ? { params: params.items.slice(0, amp), body }
      : { params: params.items.slice(0, amp), rest, body };
  }

  private fnLiteral(body: ListForm, env: Env): Ty {
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
  private closure(name: string, arities: readonly Arity[], env: Env, selfName: string | undefined): Ty {
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

  private bind(pattern: Form, ty: Ty, vars: Map<string, Ty>, env: Env): void {
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

  private bindVector(pattern: VectorForm, ty: Ty, vars: Map<string, Ty>, env: Env): void {
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

  private bindMap(pattern: MapForm, ty: Ty, vars: Map<string, Ty>, env: Env): void {
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
