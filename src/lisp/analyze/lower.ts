import { MAX_DIAGNOSTICS } from "../../errors/cap.js";
import { formatHint, type MessageId } from "../../errors/codes.js";
import type { Diagnostic } from "../../errors/diagnostic.js";
import { makeDiagnostic } from "../../errors/errors.js";
import type { SourceSpan } from "../../errors/span.js";
import { closestName } from "../../internal/suggest.js";
import type { Form, ListForm, SymbolForm } from "../ast/nodes.js";
import { BUILTINS, type BuiltinFn, lookupBuiltin, NAMESPACE_ALIASES } from "../builtins/registry.js";
import { describeValue } from "../builtins/support.js";
import { Keyword, LMap, PList, type Value } from "../values/value.js";
import { Ctx, type GlobalFn, type LowererApi } from "./context.js";
import { COLLECTIONS } from "./exec-support.js";
import type { Lowered, Node } from "./ir.js";
import { type Expander, isMacroNil, MacroError, macroFor, macroNames } from "./macros.js";
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
import { type Binding, FnScope, LexScope } from "./scope.js";
import {
  isSpecialForm,
  lowerSpecialForm,
  type SpecialForm,
  specialFormFor,
  specialFormNames,
} from "./special-forms.js";

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

/** What an unqualified name means as a call head when no local or global has it. */
interface HeadMeaning {
  readonly special: SpecialForm | undefined;
  readonly expander: Expander | undefined;
  readonly builtin: BuiltinFn | undefined;
}

/** The special forms, macros and builtins in one table: a call head is looked up once, not three times. */
let headMeanings: ReadonlyMap<string, HeadMeaning> | undefined;

function headMeaning(name: string): HeadMeaning | undefined {
  if (headMeanings === undefined) {
    const table = new Map<string, HeadMeaning>();
    for (const each of [...specialFormNames(), ...macroNames(), ...BUILTINS.keys()]) {
      table.set(each, { special: specialFormFor(each), expander: macroFor(each), builtin: BUILTINS.get(each) });
    }
    headMeanings = table;
  }
  return headMeanings.get(name);
}

/**
 * Turns a program's forms into the IR (ir.ts), once: expands macros, resolves names, parses
 * the special forms and checks shapes and arities, reporting what is wrong. Nothing here runs
 * or compiles; `compile-node.ts` builds closures from the nodes.
 */
export class Lowerer implements LowererApi {
  readonly diagnostics: Diagnostic[] = [];
  readonly globals = new Map<string, number>();
  readonly globalFns = new Map<string, GlobalFn>();
  readonly root = new FnScope(null);
  readonly tools: ReadonlySet<string> | undefined;
  private readonly inputs: readonly string[] | undefined;
  private readonly toolArguments: ReadonlyMap<string, readonly string[]> | undefined;
  /** Diagnostics found past MAX_DIAGNOSTICS: counted, never built. */
  omittedDiagnostics = 0;
  /** Namespace aliases and referred names added by `ns` and `require` (lower-namespaces.ts). */
  private readonly aliases = new Map<string, string>();
  private readonly referred = new Map<string, BuiltinFn>();

  constructor(options: AnalyzeOptions) {
    for (const name of options.globals ?? []) this.defineGlobal(name);
    this.tools = options.tools;
    this.inputs = options.inputs;
    this.toolArguments = options.toolArguments;
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

  aliasNamespace(alias: string, namespace: string): void {
    this.aliases.set(alias, namespace);
  }

  refer(name: string, namespace: string): boolean {
    const builtin = lookupBuiltin(namespace === "clojure.core" ? null : namespace, name);
    if (builtin === undefined) return false;
    this.referred.set(name, builtin);
    return true;
  }

  /** The builtin `ns/name` names, through the program's aliases first; `ns` null for an unqualified name. */
  private builtinNamed(ns: string | null, name: string): BuiltinFn | undefined {
    if (ns === null) return this.referred.get(name) ?? BUILTINS.get(name);
    const namespace = this.aliases.get(ns);
    if (namespace === undefined) return lookupBuiltin(ns, name);
    return lookupBuiltin(namespace === "clojure.core" ? null : namespace, name);
  }

  report(id: MessageId, params: Readonly<Record<string, string | number>>, span: SourceSpan, hint?: string): Node {
    if (this.diagnostics.length < MAX_DIAGNOSTICS) this.diagnostics.push(makeDiagnostic(id, params, span, hint));
    else this.omittedDiagnostics++;
    return { kind: "invalid", span };
  }

  invalid(form: string, reason: string, span: SourceSpan): Node {
    return this.report("invalid_form", { form, reason }, span);
  }

  lowerProgram(forms: readonly Form[]): Lowered {
    const predefined = this.globals.size > 0;
    const scope = new LexScope(null, this.root);
    const nodes = this.lowerAll(forms, Ctx.top(scope));
    return {
      nodes,
      rootSlots: this.root.slots,
      globals: [...this.globals.keys()],
      diagnostics: this.diagnostics,
      omittedDiagnostics: this.omittedDiagnostics,
      // Given globals may hold functions that call tools.
      resumable: predefined || callsTools(forms),
    };
  }

  body(forms: readonly Form[], ctx: Ctx): Node[] {
    const inner = ctx.nonTail;
    const nodes = new Array<Node>(forms.length);
    for (let i = 0; i < forms.length; i++)
      nodes[i] = this.lower(forms[i] as Form, i === forms.length - 1 ? ctx : inner);
    return nodes;
  }

  /**
   * Lowers each form in `ctx`. A loop rather than `map`: nested forms recurse through here,
   * and every host frame per level of nesting counts against the host stack (a 1000-deep
   * program must analyze on a cold process's stack).
   */
  lowerAll(forms: readonly Form[], ctx: Ctx): Node[] {
    const nodes = new Array<Node>(forms.length);
    for (let i = 0; i < forms.length; i++) nodes[i] = this.lower(forms[i] as Form, ctx);
    return nodes;
  }

  lower(form: Form, ctx: Ctx): Node {
    const span = form.span;
    // Commonest kinds first: a switch on strings tests its cases in order.
    switch (form.kind) {
      case "list":
        return this.list(form, ctx);
      case "symbol":
        return this.symbol(form, ctx);
      case "keyword":
        return { kind: "const", value: Keyword.of(form.name, form.ns), form, span };
      case "number":
      case "string":
      case "boolean":
      case "char":
        return { kind: "const", value: form.value, form, span };
      case "vector":
      case "map":
      case "set":
        return { kind: form.kind, items: this.lowerAll(form.items, ctx.nonTail), span };
      case "nil":
        return isMacroNil(form)
          ? { kind: "const", value: null, form, span, synthetic: true }
          : { kind: "const", value: null, form, span };
      case "fn-literal":
        return lowerSpecialForm(this, "fn-literal", form.body, ctx, form);
      case "regex":
        return { kind: "regex", pattern: form.pattern, span };
    }
  }

  private symbol(form: SymbolForm, ctx: Ctx): Node {
    if (form.ns !== null) return this.qualifiedSymbol(form, ctx);
    return this.unqualifiedSymbol(form, ctx, ctx.scope.lookup(form.name));
  }

  /** An unqualified symbol whose local, if any, `local` is (looked up once by the caller). */
  private unqualifiedSymbol(form: SymbolForm, ctx: Ctx, local: Binding | undefined): Node {
    const { name, span } = form;
    const binding = local ?? (name === "%" && ctx.fnLiteral ? ctx.scope.lookup("%1") : undefined);
    if (binding !== undefined) return { kind: "local", binding, ref: ctx.scope.fn.refFor(binding), span };
    if (/^%(\d|&)?$/.test(name)) return this.report("placeholder_outside_fn_literal", { name }, span);
    const global = this.globals.get(name);
    if (global !== undefined) return { kind: "global", name, index: global, span };
    const builtin = this.builtinNamed(null, name);
    if (builtin !== undefined) return { kind: "builtin", builtin, span };
    if (isSpecialForm(name) || macroFor(name) !== undefined) {
      return this.invalid(name, "is a special form or macro and cannot be used as a value", span);
    }
    return this.unbound(name, span, ctx);
  }

  unbound(name: string, span: SourceSpan, ctx: Ctx): Node {
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
  private interopForm(form: ListForm, head: SymbolForm): Node {
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

  private qualifiedSymbol(form: SymbolForm, ctx: Ctx): Node {
    const { ns, name, span } = form;
    if (ns === null) return this.unbound(name, span, ctx);
    const full = `${ns}/${name}`;
    if (ns === "data") return { kind: "data", name, key: Keyword.of(name), span };
    if (ns === "tool") return this.report("tool_as_value", { name: full }, span);
    if (ns === "js") return this.report("interop_not_supported", { name: full }, span, interopHint(full));
    const value = QUALIFIED_CONSTANTS.get(full);
    if (value !== undefined) return { kind: "const", value, span };
    const builtin = this.builtinNamed(ns, name);
    if (builtin !== undefined) return { kind: "builtin", builtin, span };
    if (this.aliases.has(ns)) return this.unbound(full, span, ctx);
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

  private list(form: ListForm, ctx: Ctx): Node {
    const head = form.items[0];
    if (head === undefined) return { kind: "const", value: PList.EMPTY, form, span: form.span };
    // The head's local and meaning, looked up once for every check below.
    let local: Binding | undefined;
    let meaning: HeadMeaning | undefined;
    if (head.kind === "symbol") {
      const { ns, name } = head;
      if (ns === null) local = ctx.scope.lookup(name);
      if (ns === null && local === undefined) {
        if (name === "." || name === "new") return this.interopForm(form, head);
        meaning = headMeaning(name);
        const special = meaning?.special;
        if (special !== undefined) return special(this, form, ctx);
        const expander = meaning?.expander;
        if (expander !== undefined && !this.globals.has(name)) {
          let expanded: Form;
          try {
            expanded = expander(form);
          } catch (error) {
            if (error instanceof MacroError) return this.invalid(error.form, error.reason, error.span);
            throw error;
          }
          const node = this.lower(expanded, ctx);
          // The node is new and nothing else holds it: marked in place, not copied.
          if (node.span !== form.span) (node as { expandedFrom?: SourceSpan }).expandedFrom = form.span;
          return node;
        }
        if (name.startsWith(".") && name.length > 1) return this.unbound(name, head.span, ctx);
      }
      if (ns === "tool") return this.toolCall(head, form, ctx);
    }
    return this.call(form, ctx, local, meaning?.builtin);
  }

  private toolCall(head: SymbolForm, form: ListForm, ctx: Ctx): Node {
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
    const args = this.lowerAll(form.items.slice(1), ctx.nonTail);
    if (args.length === 1) {
      // A literal that is not a map (`(tool/search "q")`) can only fail when the call runs.
      const literal = literalValue(args[0] as Node);
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
    return { kind: "tool", name, args, hint: this.toolMapHint(name), span: form.span };
  }

  /**
   * A call. For an unqualified symbol head, `local` is its local and `named` the builtin its
   * name denotes when no local has it.
   */
  private call(form: ListForm, ctx: Ctx, local: Binding | undefined, named: BuiltinFn | undefined): Node {
    const items = form.items;
    const head = items[0] as Form;
    const count = items.length - 1;
    const span = form.span;
    const builtin = this.builtinAt(head, local, named);
    if (builtin !== undefined) {
      const arity = builtin.spec.arity;
      const min = arity[0];
      const max = arity[1];
      if (count < min || count > max) {
        return this.report(
          "arity_mismatch",
          {
            name: builtin.name,
            expected:
              min === max ? String(min) : max === Number.POSITIVE_INFINITY ? `${min} or more` : `${min} to ${max}`,
            actual: count,
          },
          span,
        );
      }
      if (builtin.spec.effects === "control" && ctx.parallel) {
        return this.report("return_in_parallel", { name: builtin.name }, span);
      }
      const argCtx = builtin.spec.parallel === true ? ctx.parallelBranch() : ctx.nonTail;
      return { kind: "builtin-call", builtin, args: this.lowerArguments(items, argCtx), span };
    }
    const argCtx = ctx.nonTail;
    if (head.kind === "symbol" && head.ns === null && local === undefined) {
      const info = this.globalFns.get(head.name);
      if (info !== undefined && !info.fixed.has(count) && !(info.variadicMin !== null && count >= info.variadicMin)) {
        const expected = [...info.fixed].sort((a, b) => a - b).map(String);
        if (info.variadicMin !== null) expected.push(`${info.variadicMin} or more`);
        return this.report("arity_mismatch", { name: head.name, expected: expected.join(" or "), actual: count }, span);
      }
    }
    if (head.kind === "keyword" && (count === 1 || count === 2)) {
      // `(:k m)` and `(:k m default)`: the commonest call in data programs.
      const target = this.lower(items[1] as Form, argCtx);
      const fallback = count === 2 ? this.lower(items[2] as Form, argCtx) : null;
      return { kind: "keyword-call", key: Keyword.of(head.name, head.ns), keySpan: head.span, target, fallback, span };
    }
    const callee =
      head.kind === "symbol" && head.ns === null
        ? this.unqualifiedSymbol(head, argCtx, local)
        : this.lower(head, argCtx);
    const args = this.lowerArguments(items, argCtx);
    const name = head.kind === "symbol" ? (head.ns ? `${head.ns}/${head.name}` : head.name) : "fn";
    return { kind: "call", callee, args, name, span };
  }

  /** A call's arguments: its items after the head (a loop, not a slice and a map; see `lowerAll`). */
  private lowerArguments(items: readonly Form[], ctx: Ctx): Node[] {
    const nodes = new Array<Node>(items.length - 1);
    for (let i = 1; i < items.length; i++) nodes[i - 1] = this.lower(items[i] as Form, ctx);
    return nodes;
  }

  /** The builtin a call head names, unless a local (`local`) or a global shadows it; `named` as in `call`. */
  private builtinAt(head: Form, local: Binding | undefined, named: BuiltinFn | undefined): BuiltinFn | undefined {
    if (head.kind !== "symbol") return undefined;
    if (head.ns !== null) return this.builtinNamed(head.ns, head.name);
    if (local !== undefined || this.globals.has(head.name)) return undefined;
    return this.referred.size === 0 ? named : (this.referred.get(head.name) ?? named);
  }
}

/**
 * The value of a node known before the run: a constant, or a collection literal of them.
 * Undefined when some part is computed.
 */
export function literalValue(node: Node): Value | undefined {
  if (node.kind === "const") return node.value;
  if (node.kind !== "vector" && node.kind !== "set" && node.kind !== "map") return undefined;
  const items = new Array<Value>(node.items.length);
  for (let i = 0; i < items.length; i++) {
    const value = literalValue(node.items[i] as Node);
    if (value === undefined) return undefined;
    items[i] = value;
  }
  return COLLECTIONS[node.kind](items);
}

/**
 * True when any form calls a tool (`tool/...` anywhere, quoted data included: a harmless
 * over-approximation). It walks the whole program, so it keeps a stack of item lists rather
 * than of forms and allocates nothing per leaf.
 */
function callsTools(forms: readonly Form[]): boolean {
  const lists: (readonly Form[])[] = [forms];
  while (lists.length > 0) {
    const items = lists.pop() as readonly Form[];
    for (let i = 0; i < items.length; i++) {
      const form = items[i] as Form;
      switch (form.kind) {
        case "symbol":
          if (form.ns === "tool") return true;
          break;
        case "list":
        case "vector":
        case "map":
        case "set":
          lists.push(form.items);
          break;
        case "fn-literal":
          lists.push(form.body.items);
          break;
        case "nil":
        case "boolean":
        case "number":
        case "string":
        case "char":
        case "keyword":
        case "regex":
          break;
        default:
          // A form kind added to the reader must be walked here too: the typecheck fails until it is.
          return form satisfies never;
      }
    }
  }
  return false;
}

/** Lowers a program's forms (see `Lowerer`). */
export function lowerProgram(forms: readonly Form[], options: AnalyzeOptions = {}): Lowered {
  return new Lowerer(options).lowerProgram(forms);
}
