import type { RunContext } from "../eval/context.js";
import type { Value } from "../values/value.js";
import type { InlineOperator, Ordering, ResultSize, Truth, TypeRule, TypeTerm } from "./facts.js";

/**
 * The fuel (or allocation) a builtin call costs, charged before it runs.
 * - `constant`: 1.
 * - `linear`: 1 + the total size of the collection and string arguments.
 * - `nlogn`: like `linear`, times log2 of it (sorting).
 * - a function of the arguments, for costs that depend on numbers (`range`, `repeat`).
 */
export type CostRule = "constant" | "linear" | "nlogn" | ((args: readonly Value[]) => number);

/** What a builtin may do besides computing its result. */
export type Effect = "pure" | "output" | "state" | "tool" | "control";

/**
 * The groups of the language reference given to models, in the order it lists them
 * (`languageReference` in runtime/language-reference.ts renders one line per group).
 */
export const REFERENCE_GROUPS = [
  "forms",
  "collections",
  "sequences",
  "maps",
  "sets",
  "strings",
  "math",
  "predicates",
  "functions",
  "control",
  "ptc",
] as const;

export type ReferenceGroup = (typeof REFERENCE_GROUPS)[number];

/** The documentation of a special form or macro, declared next to its analysis or expansion. */
export interface FormDoc {
  /** How it is written, e.g. `(let [bindings*] body*)`. */
  readonly usage: string;
  /** One line, as `(doc name)` prints it. */
  readonly doc: string;
  /** The reference group that lists it; absent when only `doc` and `apropos` find it. */
  readonly reference?: ReferenceGroup;
}

/** One builtin function, declared once in the registry. */
export interface BuiltinSpec {
  /** The name without namespace, e.g. `map`, `join`. */
  readonly name: string;
  /** `clojure.string`, `clojure.set`, `Math`; absent for core. Aliases (`str/`, `string/`, `set/`) resolve to these. */
  readonly ns?: string;
  /** Further unqualified names for the same function (PTC's unprefixed string helpers). */
  readonly aliases?: readonly string[];
  /** Minimum and maximum argument count (`Infinity` for variadic). */
  readonly arity: readonly [number, number];
  /** Type signature text, e.g. `(f :fn, coll [:any]) -> [:any]`; read by the type checker. */
  readonly signature: string;
  /** Fuel charged before the call; defaults to `constant`. */
  readonly cost?: CostRule;
  /** Allocation charged before the call, in elements (×8 bytes); defaults to the cost rule when that is not constant. */
  readonly alloc?: CostRule;
  /** Defaults to `pure`. */
  readonly effects?: Effect;
  /**
   * True for builtins whose function arguments run as parallel branches (`pmap`, `pcalls`):
   * the analyzer rejects control builtins (`return`, `fail`) inside them.
   */
  readonly parallel?: boolean;
  /**
   * How the builtin calls its function arguments, for the cost estimator: the function
   * argument at `fn` is called once per element of the collection argument at `coll`
   * (negative: counted from the end, `-1` the last), or `once`; `parallel` when the calls run as parallel
   * branches. Absent for builtins that call no function argument.
   */
  readonly calls?: {
    readonly fn: number;
    readonly coll?: number;
    /** `each`: every argument from `fn` on is a function called once (`pcalls`). */
    readonly per: "element" | "once" | "each";
    /** The function takes an accumulator before the element (`reduce`). */
    readonly accumulator?: true;
  };
  /**
   * For builtins that return a function built from function arguments (for the cost
   * estimator): `chain` calls them one after another (`comp`, right to left), `each` calls
   * each once (`juxt`, `every-pred`), `leading-args` calls the first with the other arguments first.
   */
  readonly combines?: "chain" | "each" | "leading-args";
  /** How the type checker types a call; absent: `"signature"` (see `TypeRule`). */
  readonly types?: TypeRule;
  /**
   * For a builtin that is itself a transducer, used as a value (`cat` in `(into [] cat xss)`):
   * the type of what it emits for an element of type `{ given: 0 }`.
   */
  readonly transducer?: TypeTerm;
  /** For a one-argument predicate: what its truth says about the argument (narrowing, loop bounds). */
  readonly truth?: Truth;
  /** For a comparison: the loop bound its test gives (`(< i n)`). */
  readonly ordering?: Ordering;
  /**
   * The analyzer's call node with the all-numbers case inline (lisp/analyze/number-operators.ts),
   * for one- and two-argument calls; anything else goes through `impl`, charged the same.
   */
  readonly inline?: InlineOperator;
  /** What the cost estimator knows of the result's size and elements; absent: `"unknown"`. */
  readonly size?: ResultSize;
  /** One-line description, printed by `(doc name)`. */
  readonly doc: string;
  /**
   * The group of the prompt's language reference that lists this builtin; absent for builtins
   * models find through `(doc name)` and `(apropos "text")` only. The reference has a size
   * budget (3,500 characters), so only the names models reach for most belong in it.
   */
  readonly reference?: ReferenceGroup;
  readonly impl: (context: RunContext, args: Value[]) => Value;
}

/** A family of builtins is a list of specs (one file per family). */
export type BuiltinFamily = readonly BuiltinSpec[];
