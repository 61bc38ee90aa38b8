/**
 * Facts a builtin declares for the static analyses above the language (the type checker in
 * types/, the cost estimator in cost/). They are plain data: this layer says what is true of
 * each builtin, the analyses interpret it, and no analysis names a builtin.
 */

/**
 * Where an argument sits: its index, or counted from the end (`-1`: the last argument).
 * An argument that is absent makes the term unknown (`any`).
 */
export type ArgIndex = number;

/** A scalar type the checker knows by name. */
export type ScalarTerm = "any" | "int" | "number" | "bool" | "keyword" | "nil";

/**
 * A type built from the types of a call's arguments: a polymorphic signature written as data.
 * `map`'s result, `(f (a -> b), coll [a]) -> [b]`, is
 * `{ seq: { call: 0, with: [{ spread: 1, element: true }] } }`.
 */
export type TypeTerm =
  | ScalarTerm
  /** The type of an argument. */
  | { readonly arg: ArgIndex }
  /** Inside a `fn` or `transducer` term: the type of the made function's own argument. */
  | { readonly given: number }
  /** The element type of a collection (`[key value]` pairs for a map, characters for a string). */
  | { readonly element: TypeTerm }
  | { readonly seq: TypeTerm }
  | { readonly set: TypeTerm }
  | { readonly dict: readonly [TypeTerm, TypeTerm] }
  | { readonly tuple: TypeList }
  /** The smallest type of all the listed ones. */
  | { readonly oneOf: TypeList }
  | { readonly nonNil: TypeTerm }
  /** Without literal values (a key or an accumulator). */
  | { readonly widen: TypeTerm }
  /** `int` when every listed type is an integer, else `number`. */
  | { readonly numeric: TypeList }
  /** The result of calling the function argument at `call` with arguments of these types. */
  | { readonly call: ArgIndex; readonly with: TypeList }
  /** Reads from `of` the field the argument at `field` names: a keyword, a string, a vector path, or a function. */
  | { readonly field: ArgIndex; readonly of: TypeTerm }
  /** The value under the key given by the argument at `key` (a field for a literal key; an element by index). */
  | { readonly lookup: TypeTerm; readonly key: ArgIndex }
  /** The element at a position (negative: from the end): a tuple's item, or any element. */
  | { readonly itemOf: TypeTerm; readonly at: number | { readonly arg: ArgIndex } }
  /** The elements of `of` that the predicate argument at `by` keeps when its result is `keeps` (its `truth` fact narrows them). */
  | { readonly kept: TypeTerm; readonly by: ArgIndex; readonly keeps: boolean }
  /** `term`, or, when the argument at `arg` is given, `term` joined with it (`nonNil` first when `nonNil`). */
  | { readonly orArg: TypeTerm; readonly arg: ArgIndex; readonly nonNil?: boolean }
  /** Checks the listed terms (calls in them report arity errors), then gives `result`. */
  | { readonly after: TypeList; readonly result: TypeTerm }
  /** `enough` when the call has at least `ifArgs` arguments, else `fewer` (a transducer arity). */
  | { readonly ifArgs: number; readonly enough: TypeTerm; readonly fewer: TypeTerm }
  /** A function value whose result, for the types it is called with (`given`), is `result`. */
  | { readonly fn: TypeTerm }
  /** A transducer: `element` is the type of what it emits for an element of type `{ given: 0 }`. */
  | { readonly transducer: TypeTerm }
  /** What no term can say; see `TypeRuleKind`. */
  | { readonly rule: TypeRuleKind };

/**
 * A list of types: terms, and spreads of the arguments from an index on (their element types
 * when `element`), of the made function's own arguments (`given`), or of the results of calling
 * each function argument from an index on with the listed types (`calls`).
 */
export type TypeList = readonly (
  | TypeTerm
  | { readonly spread: number; readonly element?: true }
  | { readonly spread: "given" }
  | { readonly calls: number; readonly with: TypeList }
)[];

/**
 * Named rules for results a term cannot say, each interpreted once in types/:
 * - `assoc-fields`: a record with the literal keys set to the value types; a map or a vector otherwise.
 * - `dissoc-fields`: a record without the literal keys.
 * - `update-field`: the field at the literal key replaced by the function's result for it.
 * - `reopen-record`: a record whose nested fields may have changed (`assoc-in`, `update-in`; calls the function with `any`).
 * - `merge-records`: the union of records' fields, later ones winning.
 * - `select-fields`: a record with the listed literal keys only.
 * - `map-keys`, `map-values`: the keys or values of a map or record.
 * - `update-values`: a map of the function's results for the values.
 * - `path-lookup`: the value at a literal vector path (`get-in`).
 * - `pour-into`: the target collection with the elements of the last argument (through a transducer when one is given).
 * - `conj-items`: the target collection with the further arguments added.
 * - `fold`: a reduction's result from the function, the optional initial value and the collection.
 * - `fold-entries`: a reduction over a map's keys and values.
 * - `spread-call`: a call of a builtin function argument with the last argument spread.
 * - `compose`: a function calling the function arguments right to left (a transducer when they all are).
 * - `nil-defaults`: a function calling the first argument with nil arguments replaced by the defaults.
 * - `transduce-seq`: the elements a transducer makes of a collection, as a sequence.
 * - `transduce`: a reduction (as `fold`) of the elements a transducer makes of a collection.
 */
export type TypeRuleKind =
  | "assoc-fields"
  | "dissoc-fields"
  | "update-field"
  | "reopen-record"
  | "merge-records"
  | "select-fields"
  | "map-keys"
  | "map-values"
  | "update-values"
  | "path-lookup"
  | "pour-into"
  | "conj-items"
  | "fold"
  | "fold-entries"
  | "spread-call"
  | "compose"
  | "nil-defaults"
  | "transduce-seq"
  | "transduce";

/**
 * How a builtin's call is typed:
 * - a `TypeTerm` for its result;
 * - `{ exits: "output" }` for builtins that end the program with their argument as its result
 *   (checked against the output signature), `{ exits: "fault" }` for those that end it with a fault;
 * - `"signature"`: its signature text says all the checker uses (scalar results are taken
 *   from it; a collection result such as `[:any]` there may stand for a map or a set in practice).
 */
export type TypeRule = TypeTerm | { readonly exits: "output" | "fault" } | "signature";

/**
 * What the truth of a one-argument predicate's result says about its argument, for narrowing
 * (`(if (some? x) ...)`, `(filter some? xs)`) and for loop bounds (`(if (seq xs) ... (recur (rest xs)))`).
 */
export type Truth = "nil" | "not-nil" | "truthy" | "falsy" | "no-elements" | "some-elements";

/** For comparison builtins: the counting loop test `(< i n)` runs n - i times, `(<= i n)` once more. */
export type Ordering = "less" | "less-or-equal";

/** The operators the analyzer calls inline on numbers (see `BuiltinSpec.inline`). */
export type InlineOperator =
  | "add"
  | "subtract"
  | "multiply"
  | "less"
  | "greater"
  | "less-or-equal"
  | "greater-or-equal"
  | "increment"
  | "decrement"
  | "equals";

/**
 * A size or a number the cost estimator derives for a builtin's result, from what it knows of
 * the arguments (their sizes, their element shapes, their numeric values). Where an argument's
 * size or value is not known, the estimator's unknown size stands for it.
 */
export type SizeTerm =
  /** The size of the argument (zero when unknown and `orZero`). */
  | { readonly sizeOf: ArgIndex; readonly orZero?: true }
  /** The size of the argument when it is known; otherwise nothing is known of the result. */
  | { readonly knownSizeOf: ArgIndex }
  /** The numeric value of the argument. */
  | { readonly numberOf: ArgIndex }
  | { readonly constant: number }
  | { readonly plus: readonly SizeTerm[] }
  /** `of` minus `by`, not below zero. */
  | { readonly minus: SizeTerm; readonly by: SizeTerm }
  | { readonly min: readonly [SizeTerm, SizeTerm] }
  | { readonly times: readonly [SizeTerm, SizeTerm] }
  /** `of` divided by the constant value of the argument at `by`, rounded up (`of` when not constant). */
  | { readonly chunks: SizeTerm; readonly by: ArgIndex }
  /** The sizes of all the arguments added. */
  | "sum-of-sizes"
  /** The size of what the function argument returns for one element. */
  | "mapped-size"
  /** `end - start` of the first two arguments' values when both are constants, else `end`; the only one's value. */
  | "span-of-values";

/** The shape of the elements of a result, for the cost estimator. */
export type ElementShape =
  /** The elements of the argument. */
  | { readonly elementsOf: ArgIndex }
  /** What the function argument returns for one element. */
  | "mapped"
  /** The elements of what the function argument returns. */
  | "mapped-elements"
  /** The shape of the argument itself (`repeat`'s value). */
  | { readonly shapeOf: ArgIndex }
  /** Groups or pairs of `size`, whose elements are `of`. */
  | { readonly group: SizeTerm; readonly of: ElementShape };

/**
 * What the cost estimator knows of a builtin's result (its size bounds the work of what
 * consumes it):
 * - `{ same: i }`: the argument at `i`, its size and elements (`vec`, `sort`; `filter`: at most
 *   that), with another `size` when given (`rest`: one less);
 * - `{ elementOf: i }`: an element of the argument at `i` (`first`, `nth`);
 * - `{ fieldOf: i, key: j }`: the field of the argument at `i` that the keyword at `j` names;
 * - `{ size, element }`: a collection of that size (and those elements);
 * - `{ number }`: a number with that value (`count`);
 * - `{ withArgs: n, result }`: `result` for calls with exactly `n` arguments, else nothing known;
 * - `"unknown"`: nothing (scalars, or sizes no argument bounds).
 */
export type ResultSize =
  | { readonly same: ArgIndex; readonly size?: SizeTerm }
  | { readonly elementOf: ArgIndex }
  | { readonly fieldOf: ArgIndex; readonly key: ArgIndex }
  | { readonly size: SizeTerm; readonly element?: ElementShape }
  | { readonly number: SizeTerm }
  | { readonly withArgs: number; readonly result: ResultSize }
  | "unknown";

/** The elements of the last argument (the collection of `map`, `filter`, `reduce`...). */
export const LAST_ELEMENT: TypeTerm = { element: { arg: -1 } };

/** A sequence of the last argument's elements (`seq`, `sort`, `take`...). */
export const SAME_ELEMENTS: TypeTerm = { seq: LAST_ELEMENT };

/** Arithmetic that keeps integers integral (`+`, `inc`, `max`...). */
export const INTEGRAL: TypeTerm = { numeric: [{ spread: 0 }] };

/** A predicate made of predicates (`every-pred`, `all-of`): each is called with what it is given. */
export const ALL_CALLED_BOOL: TypeTerm = { fn: { after: [{ calls: 0, with: [{ spread: "given" }] }], result: "bool" } };
