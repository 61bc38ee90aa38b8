import type { Diagnostic } from "../../errors/diagnostic.js";
import type { SourceSpan } from "../../errors/span.js";
import type { Form } from "../ast/nodes.js";
import type { BuiltinFn } from "../builtins/registry.js";
import type { Keyword, Value } from "../values/value.js";
import type { Binding, Ref } from "./scope.js";

/**
 * The analyzed program: what `lower` makes of the reader's forms, once. Macros are expanded,
 * every name is resolved (a local to its binding and the way the enclosing function reads it, a
 * global to its slot, a builtin to its registry entry), `fn` arities, destructuring patterns and
 * the clauses of `try`, `case`, `for` and `doseq` are parsed, and shapes and arities are checked
 * (a form that fails a check is reported and becomes an `invalid` node).
 *
 * Everything after the reader walks this: the closure compiler (`compile-node.ts`), the type
 * checker (`types/`), the cost estimator (`cost/`) and the verifiers. None of them expands a
 * macro or looks a name up again. A node's `span` is the source of the form it came from; for a
 * macro's expansion, the span of the form the macro produced (usually the macro call's).
 */
export type Node =
  | ConstNode
  | RegexNode
  | LocalNode
  | GlobalNode
  | BuiltinNode
  | DataNode
  | CollectionNode
  | IfNode
  | DoNode
  | ShortCircuitNode
  | LetNode
  | LoopNode
  | RecurNode
  | FnNode
  | DefNode
  | DefnNode
  | LetfnNode
  | ThrowNode
  | TryNode
  | CaseNode
  | ComprehensionNode
  | ToolCallNode
  | KeywordCallNode
  | BuiltinCallNode
  | CallNode
  | InvalidNode;

export type NodeKind = Node["kind"];

interface Base {
  readonly span: SourceSpan;
  /**
   * On the root node of a macro's expansion whose span is not the macro call's: the call's
   * span, where a fault of the form as written is reported (`(->> xs (map f))` runs as
   * `(map f xs)` and keeps that span for run-time errors).
   */
  readonly expandedFrom?: SourceSpan;
}

/**
 * A value known before the run: a literal, a quoted form (`quoted` holds the form), a known
 * constant (`Math/PI`), a `(var name)`, or nil where a form has no value (`(declare f)`).
 */
export interface ConstNode extends Base {
  readonly kind: "const";
  readonly value: Value;
  /** The literal form as written (`42`, `"s"`, `:k`, `'(a b)`); absent for constants a name denotes. */
  readonly form?: Form;
  /** The form under `quote`, for `(quote x)` and `'x`. */
  readonly quoted?: Form;
  /**
   * A nil a macro's expansion supplied rather than the program (the missing else of `when`):
   * a certain type mismatch there is only possible.
   */
  readonly synthetic?: true;
}

/** `#"..."`: compiled once, on first use. */
export interface RegexNode extends Base {
  readonly kind: "regex";
  readonly pattern: string;
}

/** A read of a local (a parameter, a `let`/`loop`/`for` name, a `catch` name, a `letfn` or named fn's own name). */
export interface LocalNode extends Base {
  readonly kind: "local";
  /** The binding the name resolved to: the same object at every read and at its pattern. */
  readonly binding: Binding;
  /** How the function the read is in reaches it: its own slot, a captured value, or itself. */
  readonly ref: Ref;
}

/** A read of a global (`def`, `defn`, `declare`, or one defined before the program: memory, `*1`). */
export interface GlobalNode extends Base {
  readonly kind: "global";
  readonly name: string;
  /** Its slot in the run's globals. */
  readonly index: number;
}

/** A builtin named as a value (`inc` in `(map inc xs)`, `str/join`). */
export interface BuiltinNode extends Base {
  readonly kind: "builtin";
  readonly builtin: BuiltinFn;
}

/** `data/name`: the program's input `name`. */
export interface DataNode extends Base {
  readonly kind: "data";
  readonly name: string;
  readonly key: Keyword;
}

/**
 * A vector, set or map literal, item by item (a map's keys and values alternate). The compiler
 * folds one whose items are all constant into its value; the checker types it item by item.
 */
export interface CollectionNode extends Base {
  readonly kind: "vector" | "set" | "map";
  readonly items: readonly Node[];
}

export interface IfNode extends Base {
  readonly kind: "if";
  readonly test: Node;
  readonly then: Node;
  /** Absent in `(if test then)`: the value is nil when the test is falsy. */
  readonly else: Node | null;
}

/** `(do ...)`, and every body (`let`, `fn`, `when`...) is a list of nodes run in order. */
export interface DoNode extends Base {
  readonly kind: "do";
  readonly body: readonly Node[];
}

/** `(and ...)`, `(or ...)`. */
export interface ShortCircuitNode extends Base {
  readonly kind: "and" | "or";
  readonly items: readonly Node[];
}

/** One `pattern init` pair of a binding vector. */
export interface BindingStep {
  readonly pattern: Pattern;
  readonly init: Node;
}

export interface LetNode extends Base {
  readonly kind: "let";
  readonly bindings: readonly BindingStep[];
  readonly body: readonly Node[];
}

export interface LoopNode extends Base {
  readonly kind: "loop";
  readonly bindings: readonly BindingStep[];
  readonly body: readonly Node[];
  /**
   * The slots of its bindings when every pattern is a plain name: `recur` writes them itself.
   * Otherwise `recur` passes its values and the loop rebinds its patterns.
   */
  readonly inPlace: readonly number[] | undefined;
}

/** A `recur` in tail position of a loop or fn, with as many values as its target binds. */
export interface RecurNode extends Base {
  readonly kind: "recur";
  readonly args: readonly Node[];
  /** The target's slots when it rebinds in place (see `LoopNode.inPlace`). */
  readonly slots: readonly number[] | undefined;
}

/** One arity of a function: `[params] body...`. */
export interface FnArity {
  /** The span of the parameter vector. */
  readonly span: SourceSpan;
  /** Positional parameters, before `&`. */
  readonly params: readonly Pattern[];
  /** The pattern after `&`, bound to the remaining arguments as a seq (nil when none). */
  readonly rest: Pattern | null;
  readonly body: readonly Node[];
  /** Slots of its frame: parameters and every local of the body. */
  readonly slots: number;
  /** Every parameter is a plain name in slots `0..n-1`: arguments are copied without binders. */
  readonly simple: boolean;
}

/** `(fn name? ...)`, `#(...)`, and the function of a `defn` or a `letfn` spec. */
export interface FnNode extends Base {
  readonly kind: "fn";
  /** The name its errors and `(doc)` show: the fn's own name, the `defn`/`letfn` name, or "". */
  readonly name: string;
  /** The binding of `(fn self [...] ...)`'s own name, read as the running closure. */
  readonly self: Binding | null;
  /** Its arities in written order; the analyzer has checked there is at most one per count and one variadic. */
  readonly arities: readonly FnArity[];
  /** How the enclosing function reads each value the closure captures, in capture order. */
  readonly captures: readonly Ref[];
  /** `#(...)`: the parameters are `%1`..`%n` (with `%` the same binding as `%1`) and `%&`. */
  readonly literal: boolean;
}

export interface DefNode extends Base {
  readonly kind: "def";
  readonly name: string;
  readonly index: number;
  /** Absent in `(def name)`: the global is set to nil. */
  readonly value: Node | null;
}

export interface DefnNode extends Base {
  readonly kind: "defn";
  readonly name: string;
  readonly index: number;
  readonly fn: FnNode;
}

export interface LetfnNode extends Base {
  readonly kind: "letfn";
  /** Each function's (boxed) binding and its definition; every definition sees every name. */
  readonly fns: readonly { readonly binding: Binding; readonly fn: FnNode }[];
  readonly body: readonly Node[];
}

export interface ThrowNode extends Base {
  readonly kind: "throw";
  readonly value: Node;
}

export interface CatchClause {
  readonly span: SourceSpan;
  /** `ExceptionInfo` (and its spellings): the clause takes only `ex-info` values; otherwise it takes every error. */
  readonly onlyExInfo: boolean;
  readonly binding: Binding;
  readonly body: readonly Node[];
}

export interface TryNode extends Base {
  readonly kind: "try";
  readonly body: readonly Node[];
  readonly catches: readonly CatchClause[];
  /** `(finally ...)`'s body, when there is one. */
  readonly finally: readonly Node[] | null;
}

export interface CaseNode extends Base {
  readonly kind: "case";
  readonly expr: Node;
  /** Each clause's constants (`(a b)` lists several) and its result. */
  readonly clauses: readonly { readonly tests: readonly Value[]; readonly body: Node }[];
  /** The trailing default; absent, an unmatched value is an error. */
  readonly default: Node | null;
}

/** A modifier of a comprehension level: `:when test`, `:while test`, `:let [bindings]`. */
export type Modifier =
  | { readonly kind: "when" | "while"; readonly test: Node }
  | { readonly kind: "let"; readonly bindings: readonly BindingStep[] };

/** One `pattern coll` pair of `for`/`doseq`, with the modifiers that follow it. */
export interface Level {
  readonly pattern: Pattern;
  readonly coll: Node;
  readonly modifiers: readonly Modifier[];
}

/** `(for [...] body)` (exactly one body node) and `(doseq [...] body...)`. */
export interface ComprehensionNode extends Base {
  readonly kind: "for" | "doseq";
  readonly levels: readonly Level[];
  readonly body: readonly Node[];
}

/** `(tool/name args...)`: `args` as written, one map (or nil) or alternating keys and values. */
export interface ToolCallNode extends Base {
  readonly kind: "tool";
  readonly name: string;
  readonly args: readonly Node[];
  /** The hint of the error when the argument turns out not to be a map (it names the tool's fields). */
  readonly hint: string;
}

/** `(:k m)` and `(:k m default)`. */
export interface KeywordCallNode extends Base {
  readonly kind: "keyword-call";
  readonly key: Keyword;
  /** The span of the keyword itself. */
  readonly keySpan: SourceSpan;
  readonly target: Node;
  readonly fallback: Node | null;
}

/** A call of a builtin by name, its argument count already checked against the builtin's arity. */
export interface BuiltinCallNode extends Base {
  readonly kind: "builtin-call";
  readonly builtin: BuiltinFn;
  readonly args: readonly Node[];
}

/** A call of a computed callee: a local, a global, a keyword with 0 or 3+ arguments, any expression. */
export interface CallNode extends Base {
  readonly kind: "call";
  readonly callee: Node;
  readonly args: readonly Node[];
  /** The callee as written, for error frames: `f`, `ns/f`, or "fn" for an expression. */
  readonly name: string;
}

/** A form the analyzer reported as an error; it evaluates to nil and types as `any`. */
export interface InvalidNode extends Base {
  readonly kind: "invalid";
}

/** A binding pattern: a name, a sequential pattern `[a b & more :as all]`, or a map pattern. */
export type Pattern = NamePattern | SeqPattern | MapPattern | InvalidPattern;

export interface NamePattern extends Base {
  readonly kind: "name";
  readonly binding: Binding;
}

export interface SeqPattern extends Base {
  readonly kind: "seq";
  readonly items: readonly Pattern[];
  readonly rest: Pattern | null;
  readonly as: Binding | null;
}

/** One key a map pattern reads. */
export interface MapEntryPattern {
  /** The key looked up (a keyword for `:keys` and `:syms`, a string for `:strs`, the literal otherwise). */
  readonly key: Value;
  readonly keySpan: SourceSpan;
  /** How the key was written: in `:keys`, `:strs` or `:syms`, or as `pattern key`. */
  readonly from: "keys" | "strs" | "syms" | "pair";
  readonly pattern: Pattern;
  /** The `:or` default of a plain name, evaluated when the key is missing. */
  readonly fallback: Node | null;
}

export interface MapPattern extends Base {
  readonly kind: "map";
  readonly entries: readonly MapEntryPattern[];
  readonly as: Binding | null;
}

/** A malformed pattern (reported): binds nothing. */
export interface InvalidPattern extends Base {
  readonly kind: "invalid";
}

/** The analyzed program. */
export interface Lowered {
  readonly nodes: readonly Node[];
  /** Slots of the top-level frame. */
  readonly rootSlots: number;
  /** Every global name, predefined first, in slot order. */
  readonly globals: readonly string[];
  readonly diagnostics: readonly Diagnostic[];
  /** Diagnostics found past the cap: counted, never built. */
  readonly omittedDiagnostics: number;
  /** Whether the program can reach a tool call (the driver then runs it resumably). */
  readonly resumable: boolean;
}

/** The children of a node, in evaluation order (patterns' `:or` defaults included), for generic walks. */
export function childrenOf(node: Node): Node[] {
  switch (node.kind) {
    case "const":
    case "regex":
    case "local":
    case "global":
    case "builtin":
    case "data":
    case "invalid":
      return [];
    case "vector":
    case "set":
    case "map":
    case "and":
    case "or":
      return [...node.items];
    case "if":
      return node.else === null ? [node.test, node.then] : [node.test, node.then, node.else];
    case "do":
      return [...node.body];
    case "let":
    case "loop":
      return [...node.bindings.flatMap(stepChildren), ...node.body];
    case "recur":
      return [...node.args];
    case "fn":
      return node.arities.flatMap((arity) => [
        ...arity.params.flatMap(patternChildren),
        ...(arity.rest === null ? [] : patternChildren(arity.rest)),
        ...arity.body,
      ]);
    case "def":
      return node.value === null ? [] : [node.value];
    case "defn":
      return [node.fn];
    case "letfn":
      return [...node.fns.map((entry) => entry.fn), ...node.body];
    case "throw":
      return [node.value];
    case "try":
      return [...node.body, ...node.catches.flatMap((clause) => clause.body), ...(node.finally ?? [])];
    case "case":
      return [
        node.expr,
        ...node.clauses.map((clause) => clause.body),
        ...(node.default === null ? [] : [node.default]),
      ];
    case "for":
    case "doseq":
      return [
        ...node.levels.flatMap((level) => [
          level.coll,
          ...patternChildren(level.pattern),
          ...level.modifiers.flatMap((modifier) =>
            modifier.kind === "let" ? modifier.bindings.flatMap(stepChildren) : [modifier.test],
          ),
        ]),
        ...node.body,
      ];
    case "tool":
      return [...node.args];
    case "keyword-call":
      return node.fallback === null ? [node.target] : [node.target, node.fallback];
    case "builtin-call":
      return [...node.args];
    case "call":
      return [node.callee, ...node.args];
  }
}

/** Every node under `nodes`, themselves included, depth first: each before its children, later siblings first. */
export function* descendants(nodes: readonly Node[]): Generator<Node> {
  const stack: Node[] = [...nodes];
  while (stack.length > 0) {
    const node = stack.pop() as Node;
    yield node;
    stack.push(...childrenOf(node));
  }
}

function stepChildren(step: BindingStep): Node[] {
  return [step.init, ...patternChildren(step.pattern)];
}

/** The `:or` defaults inside a pattern. */
export function patternChildren(pattern: Pattern): Node[] {
  switch (pattern.kind) {
    case "name":
    case "invalid":
      return [];
    case "seq":
      return [
        ...pattern.items.flatMap(patternChildren),
        ...(pattern.rest === null ? [] : patternChildren(pattern.rest)),
      ];
    case "map":
      return pattern.entries.flatMap((entry) => [
        ...patternChildren(entry.pattern),
        ...(entry.fallback === null ? [] : [entry.fallback]),
      ]);
  }
}

/** The binding of a plain-name pattern, or null for the other patterns. */
export function nameBinding(pattern: Pattern): Binding | null {
  return pattern.kind === "name" ? pattern.binding : null;
}

/** The bindings a pattern introduces, in order. */
export function patternBindings(pattern: Pattern): Binding[] {
  switch (pattern.kind) {
    case "name":
      return [pattern.binding];
    case "invalid":
      return [];
    case "seq":
      return [
        ...pattern.items.flatMap(patternBindings),
        ...(pattern.rest === null ? [] : patternBindings(pattern.rest)),
        ...(pattern.as === null ? [] : [pattern.as]),
      ];
    case "map":
      return [
        ...pattern.entries.flatMap((entry) => patternBindings(entry.pattern)),
        ...(pattern.as === null ? [] : [pattern.as]),
      ];
  }
}
