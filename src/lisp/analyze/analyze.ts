import { MAX_DIAGNOSTICS } from "../../errors/cap.js";
import { formatHint, type MessageId } from "../../errors/codes.js";
import type { Diagnostic } from "../../errors/diagnostic.js";
import { makeDiagnostic, makeError } from "../../errors/errors.js";
import type { SourceSpan } from "../../errors/span.js";
import { closestName } from "../../internal/suggest.js";
import type { Form, ListForm, SymbolForm } from "../ast/nodes.js";
import { BUILTINS, type BuiltinFn, lookupBuiltin, NAMESPACE_ALIASES } from "../builtins/registry.js";
import { describeValue } from "../builtins/support.js";
import { callValue, callValue0, callValue1, callValue2, callValue3 } from "../eval/call.js";
import type { Exec } from "../eval/closure.js";
import { anyResumable, callResumably, resumableAll, resumableOf, type Step, withGen } from "../eval/resumable.js";
import { CURRENT, type Frame, rt } from "../eval/runtime.js";
import { getValue } from "../values/access.js";
import { Keyword, LMap, PList, PMap, PSet, PVector, type Value } from "../values/value.js";
import type { AnalyzerApi, Ctx, GlobalFn } from "./context.js";
import { annotate, constant, constantValue } from "./exec-support.js";
import { MacroError, macroFor } from "./macros.js";
import {
  COMMON_NAME_FIXES,
  DATA_LIKE,
  didYouMean,
  fixHint,
  HOST_CLASS_NAMESPACES,
  interopHint,
  isHostClass,
  isInteropName,
} from "./name-fixes.js";
import { binaryOperatorNode, type Slow1, type Slow2, unaryOperatorNode } from "./number-operators.js";
import { FnScope, LexScope, readRef, slotOf } from "./scope.js";
import { analyzeSpecialForm, isSpecialForm, specialFormFor } from "./special-forms.js";

export type { Ctx, RecurTarget } from "./context.js";

export interface AnalyzeOptions {
  /** Globals defined before the program (REPL definitions, memory, `*1 *2 *3`), in slot order. */
  readonly globals?: readonly string[];
  /** The tools the program may call; when given, calling any other tool is a compile error. */
  readonly tools?: ReadonlySet<string>;
  /** The signature's parameter names (the `data/` inputs), for hints. */
  readonly inputs?: readonly string[];
  /** Each tool's declared argument names, for hints. */
  readonly toolArguments?: ReadonlyMap<string, readonly string[]>;
}

export interface Analysis {
  readonly exec: Exec;
  readonly rootSlots: number;
  /** Every global name, predefined first, in slot order. */
  readonly globals: readonly string[];
  readonly diagnostics: readonly Diagnostic[];
  /** Whether the program can reach a tool call: the driver then runs it resumably. */
  readonly resumable: boolean;
}

const QUALIFIED_CONSTANTS: ReadonlyMap<string, number> = new Map([
  ["Double/POSITIVE_INFINITY", Number.POSITIVE_INFINITY],
  ["Double/NEGATIVE_INFINITY", Number.NEGATIVE_INFINITY],
  ["Double/NaN", Number.NaN],
  ["Double/MAX_VALUE", Number.MAX_VALUE],
  ["Double/MIN_VALUE", Number.MIN_VALUE],
  ["Math/PI", Math.PI],
  ["Math/E", Math.E],
  ["Number/MAX_SAFE_INTEGER", Number.MAX_SAFE_INTEGER],
  ["Number/MIN_SAFE_INTEGER", Number.MIN_SAFE_INTEGER],
  ["Long/MAX_VALUE", Number.MAX_SAFE_INTEGER],
  ["Long/MIN_VALUE", Number.MIN_SAFE_INTEGER],
  ["Integer/MAX_VALUE", 2147483647],
  ["Integer/MIN_VALUE", -2147483648],
]);

/** The analyzer of one program: resolves names, checks shapes, compiles forms to closures. */
export class Analyzer implements AnalyzerApi {
  readonly diagnostics: Diagnostic[] = [];
  readonly globals = new Map<string, number>();
  readonly globalFns = new Map<string, GlobalFn>();
  readonly root = new FnScope(null, null);
  readonly tools: ReadonlySet<string> | undefined;
  private readonly inputs: readonly string[] | undefined;
  private readonly toolArguments: ReadonlyMap<string, readonly string[]> | undefined;
  /**
   * Whether nodes get resumable forms: the program calls a tool, or it is given globals (which
   * may hold functions that do). A program that cannot reach a tool is compiled exactly as
   * before, with no resumable form anywhere (docs/adr/0003-resumable-tool-calls.md).
   */
  resumable = false;

  constructor(options: AnalyzeOptions) {
    for (const name of options.globals ?? []) this.defineGlobal(name);
    this.tools = options.tools;
    this.inputs = options.inputs;
    this.toolArguments = options.toolArguments;
    this.resumable = this.globals.size > 0;
  }

  defineGlobal(name: string): number {
    let index = this.globals.get(name);
    if (index === undefined) {
      index = this.globals.size;
      this.globals.set(name, index);
    }
    return index;
  }

  noteGlobalFn(name: string, info: GlobalFn | undefined): void {
    if (info === undefined) this.globalFns.delete(name);
    else this.globalFns.set(name, info);
  }

  /** Diagnostics found past MAX_DIAGNOSTICS: counted, never built. */
  omittedDiagnostics = 0;

  report(id: MessageId, params: Readonly<Record<string, string | number>>, span: SourceSpan, hint?: string): Exec {
    if (this.diagnostics.length < MAX_DIAGNOSTICS) this.diagnostics.push(makeDiagnostic(id, params, span, hint));
    else this.omittedDiagnostics++;
    return constant(null);
  }

  invalid(form: string, reason: string, span: SourceSpan): Exec {
    return this.report("invalid_form", { form, reason }, span);
  }

  analyzeProgram(forms: readonly Form[]): Analysis {
    const scope = new LexScope(null, this.root);
    const ctx: Ctx = { scope, tail: false, recur: null, fnLiteral: false, parallel: false };
    this.resumable ||= callsTools(forms);
    const execs = forms.map((form) => this.analyze(form, ctx));
    const exec = this.sequence(execs);
    return {
      exec,
      rootSlots: this.root.slots,
      globals: [...this.globals.keys()],
      diagnostics: this.diagnostics,
      resumable: this.resumable,
    };
  }

  /** Runs execs in order, returning the last value (nil when empty). */
  sequence(execs: readonly Exec[]): Exec {
    if (execs.length === 0) return constant(null);
    if (execs.length === 1) return execs[0] as Exec;
    const exec = this.sequenceSync(execs);
    if (!anyResumable(execs)) return exec;
    const gens = resumableAll(execs);
    const last = gens.length - 1;
    return withGen(exec, function* (f) {
      for (let i = 0; i < last; i++) yield* (gens[i] as (f: Frame) => Step)(f);
      return yield* (gens[last] as (f: Frame) => Step)(f);
    });
  }

  private sequenceSync(execs: readonly Exec[]): Exec {
    if (execs.length === 2) {
      const [a, b] = execs as [Exec, Exec];
      return (f) => {
        a(f);
        return b(f);
      };
    }
    const last = execs.length - 1;
    return (f) => {
      for (let i = 0; i < last; i++) (execs[i] as Exec)(f);
      return (execs[last] as Exec)(f);
    };
  }

  /** A body: forms in sequence, only the last in tail position. */
  body(forms: readonly Form[], ctx: Ctx): Exec {
    const inner: Ctx = { ...ctx, tail: false };
    const execs = new Array<Exec>(forms.length);
    for (let i = 0; i < forms.length; i++)
      execs[i] = this.analyze(forms[i] as Form, i === forms.length - 1 ? ctx : inner);
    return this.sequence(execs);
  }

  /**
   * Analyzes each form in `ctx`. A loop rather than `map`: nested forms recurse through here,
   * and every host frame per level of nesting counts against the host stack (a 1000-deep
   * program must analyze on a cold process's stack).
   */
  analyzeAll(forms: readonly Form[], ctx: Ctx): Exec[] {
    const execs = new Array<Exec>(forms.length);
    for (let i = 0; i < forms.length; i++) execs[i] = this.analyze(forms[i] as Form, ctx);
    return execs;
  }

  analyze(form: Form, ctx: Ctx): Exec {
    switch (form.kind) {
      case "nil":
        return constant(null);
      case "boolean":
      case "number":
      case "string":
      case "char":
        return constant(form.value);
      case "keyword":
        return constant(Keyword.of(form.name, form.ns));
      case "regex":
        return this.regex(form.pattern, form.span);
      case "symbol":
        return this.symbol(form, ctx);
      case "vector":
        return this.collection(form.items, ctx, (items) => PVector.from(items));
      case "set":
        return this.collection(form.items, ctx, (items) => PSet.from(items));
      case "map":
        return this.collection(form.items, ctx, (items) => {
          let map = PMap.EMPTY;
          for (let i = 0; i + 1 < items.length; i += 2) map = map.assoc(items[i] as Value, items[i + 1] as Value);
          return map;
        });
      case "fn-literal":
        return analyzeSpecialForm(this, "fn-literal", form.body, ctx, form);
      case "list":
        return this.list(form, ctx);
    }
  }

  private regex(pattern: string, span: SourceSpan): Exec {
    const rePattern = BUILTINS.get("re-pattern");
    if (rePattern === undefined) return this.report("unbound_symbol", { name: "re-pattern" }, span);
    let cached: Value | undefined;
    return (f) => {
      if (cached === undefined) {
        try {
          cached = rePattern.invoke(CURRENT, [pattern]);
        } catch (error) {
          throw annotate(error, span, "regex");
        }
      }
      void f;
      return cached;
    };
  }

  private collection(forms: readonly Form[], ctx: Ctx, build: (items: Value[]) => Value): Exec {
    const inner: Ctx = { ...ctx, tail: false };
    const execs = this.analyzeAll(forms, inner);
    const folded = execs.map((exec) => constantValue(exec));
    if (folded.every((value) => value !== undefined)) {
      const value = build(folded as Value[]);
      return constant(value);
    }
    const count = execs.length;
    const exec: Exec = (f) => {
      const items = new Array<Value>(count);
      for (let i = 0; i < count; i++) items[i] = (execs[i] as Exec)(f);
      rt.alloc(count * 8);
      return build(items);
    };
    if (!anyResumable(execs)) return exec;
    const gens = resumableAll(execs);
    return withGen(exec, function* (f) {
      const items = new Array<Value>(count);
      for (let i = 0; i < count; i++) items[i] = yield* (gens[i] as (f: Frame) => Step)(f);
      rt.alloc(count * 8);
      return build(items);
    });
  }

  private symbol(form: SymbolForm, ctx: Ctx): Exec {
    const { ns, name, span } = form;
    if (ns !== null) return this.qualifiedSymbol(form, ctx);
    const binding = ctx.scope.lookup(name) ?? (name === "%" && ctx.fnLiteral ? ctx.scope.lookup("%1") : undefined);
    if (binding !== undefined) return readRef(ctx.scope.fn.refFor(binding));
    if (/^%(\d|&)?$/.test(name)) return this.report("placeholder_outside_fn_literal", { name }, span);
    const global = this.globals.get(name);
    if (global !== undefined) return (_f) => rt.globals[global] as Value;
    const builtin = BUILTINS.get(name);
    if (builtin !== undefined) return constant(builtin);
    if (isSpecialForm(name) || macroFor(name) !== undefined) {
      return this.invalid(name, "is a special form or macro and cannot be used as a value", span);
    }
    return this.unbound(name, span, ctx);
  }

  unbound(name: string, span: SourceSpan, ctx: Ctx): Exec {
    // Past the cap the diagnostic is only counted: no suggestion to search for.
    if (this.diagnostics.length >= MAX_DIAGNOSTICS) return this.report("unbound_symbol", { name }, span);
    if (isInteropName(name)) return this.report("interop_unresolved", { name }, span, interopHint(name));
    const known = this.inputHint(name) ?? fixHint(COMMON_NAME_FIXES.get(name));
    if (known !== undefined) return this.report("unbound_symbol", { name }, span, known);
    const candidates = [...ctx.scope.visibleNames(), ...this.globals.keys(), ...BUILTINS.keys()];
    const suggestion = closestName(name, candidates);
    return this.report("unbound_symbol", { name }, span, didYouMean(suggestion));
  }

  /** The hint for a name that is an input read without `data/`: `data`, `orders`, `data.orders`. */
  private inputHint(name: string): string | undefined {
    if (DATA_LIKE.has(name)) {
      if (this.inputs === undefined || this.inputs.length === 0) return formatHint("data_namespace");
      return formatHint("data_inputs", { inputs: this.inputs.map((input) => `data/${input}`).join(", ") });
    }
    if (name.startsWith("data.") && name.length > 5) return formatHint("input_prefix", { name: name.slice(5) });
    if (this.inputs?.includes(name)) return formatHint("input_prefix", { name });
    return undefined;
  }

  /** The hint for a tool called with something other than its argument map. */
  private toolMapHint(name: string): string {
    const fields = this.toolArguments?.get(name);
    if (fields === undefined || fields.length === 0) return formatHint("tool_map", { tool: name });
    return formatHint("tool_map_known", { tool: name, fields: fields.map((field) => `:${field} ...`).join(", ") });
  }

  /** `(. x method ...)` and `(new Class ...)`: reported with the Clojure alternative when one is known. */
  private interopForm(form: ListForm, head: SymbolForm): Exec {
    const target = head.name === "." ? form.items[2] : form.items[1];
    const member = target?.kind === "list" ? target.items[0] : target;
    let key: string | undefined;
    if (member?.kind === "symbol" && member.ns === null) {
      key = head.name === "." ? `.${member.name.replace(/^-/, "")}` : `${member.name}.`;
    }
    return this.report(
      "interop_not_supported",
      { name: head.name },
      form.span,
      key === undefined ? undefined : interopHint(key),
    );
  }

  private qualifiedSymbol(form: SymbolForm, ctx: Ctx): Exec {
    const { ns, name, span } = form;
    if (ns === null) return this.unbound(name, span, ctx);
    const full = `${ns}/${name}`;
    if (ns === "data") {
      const key = Keyword.of(name);
      return (_f) => getValue(rt.data, key);
    }
    if (ns === "tool") return this.report("tool_as_value", { name: full }, span);
    if (ns === "js") return this.report("interop_not_supported", { name: full }, span, interopHint(full));
    const value = QUALIFIED_CONSTANTS.get(full);
    if (value !== undefined) return constant(value);
    const builtin = lookupBuiltin(ns, name);
    if (builtin !== undefined) return constant(builtin);
    const resolved = NAMESPACE_ALIASES.get(ns);
    if (resolved === undefined) {
      if (isHostClass(ns)) return this.report("interop_unresolved", { name: full }, span, interopHint(full));
      const hint = DATA_LIKE.has(ns) ? formatHint("input_prefix", { name }) : undefined;
      return this.report("unknown_namespace", { ns, name: full }, span, hint);
    }
    if (HOST_CLASS_NAMESPACES.has(resolved) && this.diagnostics.length < MAX_DIAGNOSTICS) {
      const hint =
        interopHint(`${resolved}/${name}`) ?? didYouMean(closestName(`${resolved}/${name}`, BUILTINS.keys()));
      return this.report("interop_unresolved", { name: full }, span, hint);
    }
    return this.unbound(full, span, ctx);
  }

  private list(form: ListForm, ctx: Ctx): Exec {
    const head = form.items[0];
    if (head === undefined) return constant(PList.EMPTY);
    if (head.kind === "symbol") {
      const { ns, name } = head;
      if (ns === null && ctx.scope.lookup(name) === undefined) {
        if (name === "." || name === "new") return this.interopForm(form, head);
        const special = specialFormFor(name);
        if (special !== undefined) return special(this, form, ctx);
        const expander = macroFor(name);
        if (expander !== undefined && !this.globals.has(name)) {
          let expanded: Form;
          try {
            expanded = expander(form);
          } catch (error) {
            if (error instanceof MacroError) return this.invalid(error.form, error.reason, error.span);
            throw error;
          }
          return this.analyze(expanded, ctx);
        }
      }
      if (ns === "tool") return this.toolCall(head, form, ctx);
      if (ns === null && name.startsWith(".") && name.length > 1 && ctx.scope.lookup(name) === undefined) {
        return this.unbound(name, head.span, ctx);
      }
    }
    return this.call(form, ctx);
  }

  private toolCall(head: SymbolForm, form: ListForm, ctx: Ctx): Exec {
    const name = head.name;
    if (this.tools !== undefined && !this.tools.has(name)) {
      const suggestion = closestName(name, this.tools);
      return this.report(
        "unknown_tool",
        { name: `tool/${name}` },
        head.span,
        didYouMean(suggestion === undefined ? undefined : `tool/${suggestion}`),
      );
    }
    const inner: Ctx = { ...ctx, tail: false };
    const args = this.analyzeAll(form.items.slice(1), inner);
    const span = form.span;
    if (args.length === 1) {
      // A literal that is not a map (`(tool/search "q")`) can only fail when the call runs.
      const literal = constantValue(args[0] as Exec);
      if (literal !== undefined && literal !== null && !(literal instanceof LMap)) {
        const at = (form.items[1] as Form).span;
        return this.report(
          "tool_positional_argument",
          { name, actual: describeValue(literal) },
          at,
          this.toolMapHint(name),
        );
      }
    }
    if (args.length > 1 && args.length % 2 !== 0) {
      return this.report("tool_odd_arguments", { name, count: args.length }, form.span, this.toolMapHint(name));
    }
    const mapHint = this.toolMapHint(name);
    const toArgument = (values: readonly Value[]): Value => {
      if (values.length === 0) return PMap.EMPTY;
      if (values.length === 1) {
        const value = values[0] as Value;
        if (value === null) return PMap.EMPTY;
        if (!(value instanceof LMap))
          throw annotate(
            makeError(
              "wrong_argument_type",
              { fn: `tool/${name}`, expected: "a map of arguments", actual: describeValue(value) },
              { hint: mapHint },
            ),
            span,
            `tool/${name}`,
          );
        return value;
      }
      let map = PMap.EMPTY;
      for (let i = 0; i < values.length; i += 2) map = map.assoc(values[i] as Value, values[i + 1] as Value);
      return map;
    };
    const argument = (f: Frame): Value => {
      const values = new Array<Value>(args.length);
      for (let i = 0; i < args.length; i++) values[i] = (args[i] as Exec)(f);
      return toArgument(values);
    };
    const exec: Exec = (f) => {
      const value = argument(f);
      try {
        return rt.callTool(name, value);
      } catch (error) {
        throw annotate(error, span, `tool/${name}`);
      }
    };
    if (!this.resumable) return exec;
    // The argument map is built synchronously unless an argument itself calls a tool.
    const gens = anyResumable(args) ? resumableAll(args) : undefined;
    const resumableArgument = function* (f: Frame): Step {
      if (gens === undefined) return argument(f);
      const values = new Array<Value>(gens.length);
      for (let i = 0; i < gens.length; i++) values[i] = yield* (gens[i] as (f: Frame) => Step)(f);
      return toArgument(values);
    };
    return withGen(exec, function* (f) {
      const value = yield* resumableArgument(f);
      try {
        const call = rt.prepareToolCall(name, value);
        let outcome = rt.outcomeOf(call);
        if (outcome === undefined) {
          yield [call];
          outcome = rt.outcomeOf(call);
          if (outcome === undefined) throw new Error(`the outcome of tool/${name} was not recorded`);
        }
        return rt.resolveToolCall(call, outcome);
      } catch (error) {
        throw annotate(error, span, `tool/${name}`);
      }
    });
  }

  private call(form: ListForm, ctx: Ctx): Exec {
    const head = form.items[0] as Form;
    const argForms = form.items.slice(1);
    const span = form.span;
    const builtin = this.builtinAt(head, ctx);
    const argCtx: Ctx = { ...ctx, tail: false, parallel: ctx.parallel || builtin?.spec.parallel === true };
    if (builtin !== undefined) {
      const [min, max] = builtin.spec.arity;
      if (argForms.length < min || argForms.length > max) {
        return this.report(
          "arity_mismatch",
          {
            name: builtin.name,
            expected:
              min === max ? String(min) : max === Number.POSITIVE_INFINITY ? `${min} or more` : `${min} to ${max}`,
            actual: argForms.length,
          },
          span,
        );
      }
      if (builtin.spec.effects === "control" && ctx.parallel) {
        return this.report("return_in_parallel", { name: builtin.name }, span);
      }
      const args = this.analyzeAll(argForms, argCtx);
      return this.builtinCall(builtin, args, span);
    }
    if (head.kind === "symbol" && head.ns === null && ctx.scope.lookup(head.name) === undefined) {
      const info = this.globalFns.get(head.name);
      const count = argForms.length;
      if (info !== undefined && !info.fixed.has(count) && !(info.variadicMin !== null && count >= info.variadicMin)) {
        const expected = [...info.fixed].sort((a, b) => a - b).map(String);
        if (info.variadicMin !== null) expected.push(`${info.variadicMin} or more`);
        return this.report("arity_mismatch", { name: head.name, expected: expected.join(" or "), actual: count }, span);
      }
    }
    if (head.kind === "keyword" && (argForms.length === 1 || argForms.length === 2)) {
      // `(:k m)` and `(:k m default)`: the commonest call in data programs.
      const key = Keyword.of(head.name, head.ns);
      const target = this.analyze(argForms[0] as Form, argCtx);
      const fallback = argForms.length === 2 ? this.analyze(argForms[1] as Form, argCtx) : undefined;
      const exec: Exec =
        fallback === undefined ? (f) => getValue(target(f), key) : (f) => getValue(target(f), key, fallback(f));
      if (!anyResumable([target, fallback])) return exec;
      const [targetGen, fallbackGen] = resumableAll(fallback === undefined ? [target] : [target, fallback]);
      return withGen(exec, function* (f) {
        const value = yield* (targetGen as (f: Frame) => Step)(f);
        return fallbackGen === undefined ? getValue(value, key) : getValue(value, key, yield* fallbackGen(f));
      });
    }
    const callee = this.analyze(head, { ...ctx, tail: false });
    const args = this.analyzeAll(argForms, argCtx);
    const name = head.kind === "symbol" ? (head.ns ? `${head.ns}/${head.name}` : head.name) : "fn";
    const count = args.length;
    const exec = callNode(callee, args, span, name);
    if (!this.resumable) return exec;
    // The callee may be a closure that calls tools: the call is resumable.
    const calleeGen = resumableOf(callee);
    const gens = resumableAll(args);
    return withGen(exec, function* (f) {
      const fn = yield* calleeGen(f);
      const values = new Array<Value>(count);
      for (let i = 0; i < count; i++) values[i] = yield* (gens[i] as (f: Frame) => Step)(f);
      try {
        return yield* callResumably(fn, values);
      } catch (error) {
        throw annotate(error, span, name);
      }
    });
  }

  /** The builtin a call head names, unless a local or global shadows it. */
  private builtinAt(head: Form, ctx: Ctx): BuiltinFn | undefined {
    if (head.kind !== "symbol") return undefined;
    if (head.ns === null) {
      if (ctx.scope.lookup(head.name) !== undefined || this.globals.has(head.name)) return undefined;
      return BUILTINS.get(head.name);
    }
    return lookupBuiltin(head.ns, head.name);
  }

  private builtinCall(builtin: BuiltinFn, args: readonly Exec[], span: SourceSpan): Exec {
    const exec = this.builtinCallSync(builtin, args, span);
    if (!this.resumable || (!anyResumable(args) && builtin.resume === undefined)) return exec;
    const gens = resumableAll(args);
    const count = args.length;
    const name = builtin.name;
    return withGen(exec, function* (f) {
      const values = new Array<Value>(count);
      for (let i = 0; i < count; i++) values[i] = yield* (gens[i] as (f: Frame) => Step)(f);
      try {
        return yield* builtin.callResumably(values);
      } catch (error) {
        throw annotate(error, span, name);
      }
    });
  }

  private builtinCallSync(builtin: BuiltinFn, args: readonly Exec[], span: SourceSpan): Exec {
    const name = builtin.name;
    if (builtin.fuelRule !== "constant" || builtin.allocRule !== undefined) {
      const count = args.length;
      return (f) => {
        const values = new Array<Value>(count);
        for (let i = 0; i < count; i++) values[i] = (args[i] as Exec)(f);
        try {
          return builtin.call(CURRENT, values);
        } catch (error) {
          throw annotate(error, span, name);
        }
      };
    }
    // Constant-cost builtins (arithmetic, comparisons, predicates, lookups) are the hot path:
    // charge inline, call the implementation directly, and read local or constant arguments
    // without an extra closure call. Measured by the (a)-(c) benchmarks.
    const impl = builtin.spec.impl;
    const fail = (error: unknown): unknown => annotate(error, span, name);
    const [a, b] = args as [Exec, Exec];
    if (args.length === 1) {
      const slow: Slow1 = (x) => {
        rt.budget.charge(1);
        try {
          return impl(CURRENT, [x]);
        } catch (error) {
          throw fail(error);
        }
      };
      const inline = builtin.spec.inline;
      const operator = inline === undefined ? undefined : unaryOperatorNode(inline, a, slow);
      if (operator !== undefined) return operator;
      const sa = slotOf(a);
      if (sa !== undefined) {
        return (f) => {
          rt.budget.charge(1);
          try {
            return impl(CURRENT, [f.slots[sa] as Value]);
          } catch (error) {
            throw fail(error);
          }
        };
      }
      return (f) => {
        const x = a(f);
        rt.budget.charge(1);
        try {
          return impl(CURRENT, [x]);
        } catch (error) {
          throw fail(error);
        }
      };
    }
    if (args.length === 2) {
      const slow: Slow2 = (x, y) => {
        rt.budget.charge(1);
        try {
          return impl(CURRENT, [x, y]);
        } catch (error) {
          throw fail(error);
        }
      };
      const inline = builtin.spec.inline;
      const operator = inline === undefined ? undefined : binaryOperatorNode(inline, a, b, slow);
      if (operator !== undefined) return operator;
      const sa = slotOf(a);
      const sb = slotOf(b);
      const cb = constantValue(b);
      if (sa !== undefined && sb !== undefined) {
        return (f) => {
          rt.budget.charge(1);
          try {
            return impl(CURRENT, [f.slots[sa] as Value, f.slots[sb] as Value]);
          } catch (error) {
            throw fail(error);
          }
        };
      }
      if (sa !== undefined && cb !== undefined) {
        return (f) => {
          rt.budget.charge(1);
          try {
            return impl(CURRENT, [f.slots[sa] as Value, cb]);
          } catch (error) {
            throw fail(error);
          }
        };
      }
      if (cb !== undefined) {
        return (f) => {
          const x = a(f);
          rt.budget.charge(1);
          try {
            return impl(CURRENT, [x, cb]);
          } catch (error) {
            throw fail(error);
          }
        };
      }
      return (f) => {
        const x = a(f);
        const y = b(f);
        rt.budget.charge(1);
        try {
          return impl(CURRENT, [x, y]);
        } catch (error) {
          throw fail(error);
        }
      };
    }
    const count = args.length;
    return (f) => {
      const values = new Array<Value>(count);
      for (let i = 0; i < count; i++) values[i] = (args[i] as Exec)(f);
      rt.budget.charge(1);
      try {
        return impl(CURRENT, values);
      } catch (error) {
        throw fail(error);
      }
    };
  }
}

export { COMMON_NAME_FIXES, type Fix, INTEROP_FIXES, interopHint } from "./name-fixes.js";
export type { Frame };

/**
 * A call of a computed callee: the callee, then the arguments, left to right; calls of up to
 * three arguments pass them without an array (`callValue0`..`callValue3`).
 */
function callNode(callee: Exec, args: readonly Exec[], span: SourceSpan, name: string): Exec {
  const [a, b, c] = args as [Exec, Exec, Exec];
  switch (args.length) {
    case 0:
      return (f) => {
        const fn = callee(f);
        try {
          return callValue0(CURRENT, fn);
        } catch (error) {
          throw annotate(error, span, name);
        }
      };
    case 1:
      return (f) => {
        const fn = callee(f);
        const x = a(f);
        try {
          return callValue1(CURRENT, fn, x);
        } catch (error) {
          throw annotate(error, span, name);
        }
      };
    case 2:
      return (f) => {
        const fn = callee(f);
        const x = a(f);
        const y = b(f);
        try {
          return callValue2(CURRENT, fn, x, y);
        } catch (error) {
          throw annotate(error, span, name);
        }
      };
    case 3:
      return (f) => {
        const fn = callee(f);
        const x = a(f);
        const y = b(f);
        const z = c(f);
        try {
          return callValue3(CURRENT, fn, x, y, z);
        } catch (error) {
          throw annotate(error, span, name);
        }
      };
  }
  const count = args.length;
  return (f) => {
    const fn = callee(f);
    const values = new Array<Value>(count);
    for (let i = 0; i < count; i++) values[i] = (args[i] as Exec)(f);
    try {
      return callValue(CURRENT, fn, values);
    } catch (error) {
      throw annotate(error, span, name);
    }
  };
}

/** True when any form calls a tool (`tool/...` anywhere, quoted data included: a harmless over-approximation). */
function callsTools(forms: readonly Form[]): boolean {
  const stack: Form[] = [...forms];
  while (stack.length > 0) {
    const form = stack.pop() as Form;
    if (form.kind === "symbol") {
      if (form.ns === "tool") return true;
    } else if (form.kind === "list" || form.kind === "vector" || form.kind === "map" || form.kind === "set") {
      for (const item of form.items) stack.push(item);
    } else if (form.kind === "fn-literal") {
      stack.push(form.body);
    }
  }
  return false;
}
