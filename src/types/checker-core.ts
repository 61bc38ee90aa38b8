import { formatHint, type MessageId } from "../errors/codes.js";
import type { Diagnostic } from "../errors/diagnostic.js";
import { makeDiagnostic } from "../errors/errors.js";
import type { SourceSpan } from "../errors/span.js";
import { closestName } from "../internal/suggest.js";
import type { Node } from "../lisp/analyze/ir.js";
import type { Binding } from "../lisp/analyze/scope.js";
import type { BuiltinFn } from "../lisp/builtins/registry.js";
import type { RecordType, Signature, Type } from "../signature/types.js";
import { builtinResult, type RuleContext, transducerOf } from "./builtin-types.js";
import { conform, demote, type Mode, type Problem, type Verdict } from "./conform.js";
import {
  ANY_T,
  type Arg,
  acceptsCount,
  describeArity,
  describeTy,
  elementOf,
  type FnInfo,
  fnTy,
  join,
  NIL,
  nonNil,
  type Ty,
  union2,
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
export interface Expect {
  readonly type: Type;
  readonly mode: Mode;
  /** The tool whose arguments these are; absent for the program's return value. */
  readonly tool?: string;
  readonly path: string;
  /** Reached only on an exceptional path (a `catch`): a certain mismatch there is a warning. */
  readonly soft?: boolean;
}

/** Inference work per program; beyond it the checker says nothing more (never a false error). */
export const STEP_LIMIT = 10_000;
export const DEPTH_LIMIT = 400;
/** Argument-type variants inferred per function before its result is taken as `any`. */
export const VARIANTS_PER_FN = 24;

/** What the environment types: a local by its binding, or `data/<name>` for an input a nil test narrowed. */
export type EnvKey = Binding | string;

export class Env {
  constructor(
    readonly parent: Env | null,
    readonly vars: ReadonlyMap<EnvKey, Ty>,
  ) {}

  get(key: EnvKey): Ty | undefined {
    for (let env: Env | null = this; env !== null; env = env.parent) {
      const ty = env.vars.get(key);
      if (ty !== undefined) return ty;
    }
    return undefined;
  }

  child(vars: ReadonlyMap<EnvKey, Ty>): Env {
    return vars.size === 0 ? this : new Env(this, vars);
  }
}

/** Shorter field names are never taken for a misspelling (`:x` beside `:y`). */
export const MIN_MISSPELLED_FIELD = 3;

export const NOWHERE: SourceSpan = { start: 0, end: 0, line: 1, column: 1 };

export function nilAt(span: SourceSpan): Node {
  return { kind: "const", value: null, span };
}

/**
 * The checker's state and the services every part of it uses: diagnostics, conformance to
 * expected types, field reads and calls of function values. check-nodes.ts infers the types
 * of values and calls, check-types.ts the control nodes, functions and destructuring.
 */
export abstract class CheckerCore implements RuleContext {
  protected readonly found = new Map<string, Diagnostic>();
  protected readonly globals = new Map<string, Ty>();
  /** Globals defined by `defn`: the analyzer checks the arity of calls to them. */
  protected readonly defnNames = new Set<string>();
  protected readonly builtinFns = new Map<BuiltinFn, Ty>();
  protected readonly params: ReadonlyMap<string, Type> | undefined;
  protected readonly closedData: boolean;
  protected readonly output: Expect | undefined;
  protected readonly tools: ReadonlyMap<string, ToolContract>;
  protected steps = 0;
  protected depth = 0;
  protected exhausted = false;

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

  run(nodes: readonly Node[]): Diagnostic[] {
    const env = new Env(null, new Map());
    nodes.forEach((node, i) => {
      this.infer(node, env, i === nodes.length - 1 ? this.output : undefined);
    });
    return [...this.found.values()];
  }

  // -------------------------------------------------------------------------------------------
  // Reporting

  protected report(
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

  protected reportVerdict(verdict: Verdict, expect: Expect, span: SourceSpan): void {
    for (const problem of verdict.problems) this.reportProblem(problem, expect, span);
  }

  protected reportProblem(problem: Problem, expect: Expect, span: SourceSpan): void {
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

  protected conformTo(ty: Ty, expect: Expect, span: SourceSpan, implicit = false): void {
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

  protected readField(
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
    return this.apply(fn.ty, args, fn.node.span, { callback: caller });
  }

  protected apply(
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

  protected builtinTy(builtin: BuiltinFn): Ty {
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
            args.map((arg) => ({ ty: arg, node: nilAt(span) })),
            this,
          ),
      };
      const xform = transducerOf(builtin, this);
      ty = fnTy(xform === undefined ? info : { ...info, xform });
      this.builtinFns.set(builtin, ty);
    }
    return ty;
  }

  abstract infer(node: Node, env: Env, expect?: Expect): Ty;
}
