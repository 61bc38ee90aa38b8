import type { ErrorCode } from "../../src/errors/codes.js";
import type { Limits } from "../../src/lisp/eval/budget.js";
import type { Tools } from "../../src/tools/define-tool.js";
import { bareObject, errorWithThrowingMessage, nestedArray, throwingProxy } from "../helpers/odd-values.js";

/**
 * Hostile programs: what an attacker (or a confused model) might send. Each case runs under
 * its limits (the defaults unless given) and must end within them with the expected code, or
 * with the right value where the program is legitimate. hostile.test.ts runs them all and
 * checks time, heap, shared prototypes and the health of the next run.
 */
export interface HostileCase {
  readonly id: string;
  readonly category: string;
  readonly program: string;
  /** The input behind `data/...`. */
  readonly data?: unknown;
  readonly tools?: Tools;
  readonly limits?: Limits;
  /** A failure with this code (and budget, for limit_exceeded), or a success printing as this EDN. */
  readonly expect:
    | { readonly code: ErrorCode; readonly limit?: string | readonly string[] }
    | { readonly value: string };
}

const fuel = { code: "limit_exceeded", limit: "fuel" } as const;
const memory = { code: "limit_exceeded", limit: "memory" } as const;
const depth = { code: "limit_exceeded", limit: "depth" } as const;
const time = { code: "limit_exceeded", limit: "time" } as const;
const output = { code: "limit_exceeded", limit: "output" } as const;
const unbound = { code: "unbound_symbol" } as const;
const invalid = { code: "invalid_form" } as const;
const typeError = { code: "type_error" } as const;

/** Work that fuel and the clock race to stop (which wins depends on the machine). */
const spent = { code: "limit_exceeded", limit: ["fuel", "time"] } as const;

/** A vector nested `n` deep, built at run time (no deep source). */
const nested = (name: string, n: number) => `(def ${name} (loop [v [] i 0] (if (< i ${n}) (recur [v] (inc i)) v)))`;
/** A vector whose two halves are the same vector, `n` times over: 2^n leaves, n allocations. */
const shared = (n: number) => `(loop [v [1] i 0] (if (< i ${n}) (recur [v v] (inc i)) v))`;

/** JSON with an own `__proto__` key, as JSON.parse makes it (an object literal would set the prototype). */
const protoJSON = () =>
  JSON.parse('{"__proto__": {"polluted": true}, "constructor": {"prototype": {"polluted": true}}, "prototype": 1}');

const sixA = "a".repeat(6);

export const HOSTILE_CASES: readonly HostileCase[] = [
  // --- Loops that never end ---------------------------------------------------------------
  { id: "loop-recur-forever", category: "loops", program: "(loop [] (recur))", expect: spent },
  { id: "loop-counter-forever", category: "loops", program: "(loop [i 0] (recur (inc i)))", expect: spent },
  {
    id: "fn-recur-forever",
    category: "loops",
    program: "(defn spin [n] (recur (inc n))) (spin 0)",
    expect: spent,
  },
  {
    id: "while-true-via-atom",
    category: "loops",
    program: "(def a (atom 0)) (loop [] (swap! a inc) (recur))",
    expect: spent,
  },
  {
    id: "dotimes-huge",
    category: "loops",
    program: "(dotimes [i 1e12] i)",
    expect: spent,
  },
  {
    id: "doseq-infinite-range",
    category: "loops",
    program: "(doseq [i (range)] i)",
    expect: fuel,
  },
  {
    id: "mutual-recursion-forever",
    category: "loops",
    program: "(declare pong) (defn ping [n] (pong (inc n))) (defn pong [n] (ping (inc n))) (ping 0)",
    expect: depth,
  },
  {
    id: "letfn-mutual-recursion-forever",
    category: "loops",
    program: "(letfn [(even [n] (odd (inc n))) (odd [n] (even (inc n)))] (even 0))",
    expect: depth,
  },
  {
    id: "trampoline-forever",
    category: "loops",
    program: "(declare b) (defn a [n] #(b (inc n))) (defn b [n] #(a (inc n))) (trampoline a 0)",
    expect: spent,
  },
  {
    id: "iterate-unbounded-last",
    category: "loops",
    program: "(last (iterate inc 0))",
    expect: fuel,
  },
  {
    id: "time-limit-before-fuel",
    category: "loops",
    program: "(loop [i 0] (recur (inc i)))",
    limits: { timeMs: 100, fuel: 1e12 },
    expect: time,
  },

  // --- Recursion depth ---------------------------------------------------------------------
  {
    id: "deep-recursion-1e6",
    category: "depth",
    program: "(defn down [n] (if (zero? n) 0 (inc (down (dec n))))) (down 1000000)",
    expect: depth,
  },
  {
    id: "deep-recursion-1e6-raised-limit",
    category: "depth",
    program: "(defn down [n] (if (zero? n) 0 (inc (down (dec n))))) (down 1000000)",
    limits: { depth: 10_000_000 },
    expect: depth,
  },
  {
    id: "recursion-within-limit",
    category: "depth",
    program: "(defn down [n] (if (zero? n) 0 (inc (down (dec n))))) (down 900)",
    expect: { value: "900" },
  },
  {
    id: "deep-recursion-through-map",
    category: "depth",
    program: "(defn walk [n] (if (zero? n) [] (mapv (fn [_] (walk (dec n))) [1]))) (walk 100000)",
    expect: depth,
  },
  {
    id: "deep-recursion-in-try-finally",
    category: "depth",
    program: "(defn f [n] (try (f (inc n)) (finally (inc n)))) (f 0)",
    expect: depth,
  },
  {
    id: "deep-recursion-caught",
    category: "depth",
    program: "(defn f [n] (f (inc n))) (try (f 0) (catch :default e :caught))",
    expect: depth,
  },

  // --- Huge sequences ----------------------------------------------------------------------
  { id: "range-1e9-returned", category: "size", program: "(range 1e9)", expect: fuel },
  { id: "range-1e9-counted", category: "size", program: "(count (range 1e9))", expect: { value: "1000000000" } },
  { id: "vec-range-1e8", category: "size", program: "(vec (range 1e8))", expect: fuel },
  { id: "infinite-range-returned", category: "size", program: "(range)", expect: fuel },
  { id: "infinite-range-vec", category: "size", program: "(vec (range))", expect: fuel },
  { id: "repeat-1e9-into", category: "size", program: "(into [] (repeat 1e9 0))", expect: fuel },
  { id: "cycle-counted", category: "size", program: "(count (cycle [1 2 3]))", expect: fuel },
  {
    id: "range-float-step-stuck",
    category: "size",
    program: "(count (range 1e16 (+ 1e16 10) 1))",
    expect: { value: "10" },
  },
  {
    id: "conj-old-version-copies",
    category: "size",
    program: "(let [v (vec (range 100000))] (count (mapv (fn [i] (conj v i)) (range 100000))))",
    expect: { code: "limit_exceeded", limit: ["memory", "time"] },
  },
  {
    id: "repeatedly-atom-growth",
    category: "size",
    program: "(def a (atom [])) (dotimes [i 1e8] (swap! a conj i))",
    expect: spent,
  },
  {
    id: "assoc-in-path-huge",
    category: "size",
    program: "(assoc-in {} (vec (range 1e6)) 1)",
    expect: spent,
  },

  // --- Strings -----------------------------------------------------------------------------
  {
    id: "string-doubling",
    category: "strings",
    program: '(loop [s "x"] (recur (str s s)))',
    expect: memory,
  },
  {
    id: "string-doubling-to-a-gigabyte",
    category: "strings",
    program: '(loop [s "x" i 0] (if (< i 30) (recur (str s s) (inc i)) (count s)))',
    limits: { memoryBytes: 8 * 1024 ** 3 },
    expect: memory,
  },
  { id: "apply-str-repeat-1e8", category: "strings", program: '(apply str (repeat 1e8 "x"))', expect: fuel },
  {
    id: "join-repeat-huge-string",
    category: "strings",
    program: '(let [s (apply str (repeat 100000 "x"))] (clojure.string/join (repeat 10000 s)))',
    expect: memory,
  },
  {
    id: "replace-blow-up",
    category: "strings",
    program:
      '(let [s (apply str (repeat 20000 "a")) r (apply str (repeat 10000 "b"))] (count (clojure.string/replace s "a" r)))',
    expect: memory,
  },
  {
    id: "regex-replace-blow-up",
    category: "strings",
    program:
      '(let [s (apply str (repeat 20000 "a")) r (apply str (repeat 10000 "b"))] (count (clojure.string/replace s #"a" r)))',
    expect: memory,
  },
  {
    id: "format-huge-width",
    category: "strings",
    program: '(format "%1000000000s" "x")',
    expect: fuel,
  },
  {
    id: "format-huge-precision",
    category: "strings",
    program: '(format "%.900000000f" 1.5)',
    expect: fuel,
  },
  {
    id: "escape-blow-up",
    category: "strings",
    program:
      '(let [big (apply str (repeat 100000 "z"))] (count (clojure.string/escape (apply str (repeat 10000 "a")) {\\a big})))',
    expect: memory,
  },
  {
    id: "parse-double-long-digits",
    category: "strings",
    program: '(parse-double (str (apply str (repeat 100000 "1")) "x"))',
    expect: { value: "nil" },
  },
  {
    id: "format-long-zero-run",
    category: "strings",
    program: '(format (str "%" (apply str (repeat 100000 "0")) "!"))',
    expect: typeError,
  },
  {
    id: "format-many-specifiers",
    category: "strings",
    program: '(count (format (apply str (repeat 50000 "%%%n"))))',
    expect: { value: "100000" },
  },
  {
    id: "split-lines-huge",
    category: "strings",
    program: '(count (clojure.string/split-lines (apply str (repeat 100000 "ab\r\n"))))',
    expect: { value: "100000" },
  },
  {
    id: "where-in-huge-collection",
    category: "strings",
    program:
      "(let [big (vec (range 100000))] (count (filter (where :a :in big) (map (fn [i] {:a i}) (range 100000)))))",
    expect: spent,
  },
  {
    id: "set-project-rows-by-keys",
    category: "collections",
    program: "(count (clojure.set/project data/rows data/rows))",
    data: { rows: Array.from({ length: 50_000 }, (_, i) => ({ id: i })) },
    expect: spent,
  },
  {
    id: "set-index-rows-by-keys",
    category: "collections",
    program: "(count (clojure.set/index data/rows data/rows))",
    data: { rows: Array.from({ length: 50_000 }, (_, i) => ({ id: i })) },
    expect: spent,
  },
  {
    id: "str-of-large-value",
    category: "strings",
    program: "(count (str (vec (range 100000))))",
    expect: { value: "588891" },
  },

  // --- Deep values -------------------------------------------------------------------------
  {
    id: "deep-vector-printed",
    category: "deep-values",
    program: `${nested("v", 100000)} (count (pr-str v))`,
    expect: { value: "200002" },
  },
  {
    id: "deep-vector-equality",
    category: "deep-values",
    program: `${nested("v", 100000)} ${nested("w", 100000)} (= v w)`,
    expect: { value: "true" },
  },
  {
    id: "deep-vector-inequality",
    category: "deep-values",
    program: `${nested("v", 100000)} ${nested("w", 99999)} [(= v w) (= v [w]) (compare v [w])]`,
    expect: { value: "[false true 0]" },
  },
  {
    id: "deep-vector-map-key",
    category: "deep-values",
    program: `${nested("v", 100000)} ${nested("w", 100000)} (let [m {v 1}] [(count (assoc m w 2)) (get m w)])`,
    expect: { value: "[1 1]" },
  },
  {
    id: "deep-vector-set-and-frequencies",
    category: "deep-values",
    program: `${nested("v", 100000)} ${nested("w", 100000)} [(count (hash-set v w)) (vals (frequencies [v w]))]`,
    expect: { value: "[1 (2)]" },
  },
  {
    id: "deep-vector-returned-as-json",
    category: "deep-values",
    program: `${nested("v", 100000)} v`,
    expect: depth,
  },
  {
    id: "deep-vector-in-fail",
    category: "deep-values",
    program: `${nested("v", 100000)} (fail v)`,
    expect: depth,
  },
  {
    id: "deep-vector-thrown",
    category: "deep-values",
    program: `${nested("v", 100000)} (throw (ex-info "deep" {:v v}))`,
    expect: depth,
  },
  {
    id: "deep-vector-str-and-flatten",
    category: "deep-values",
    program: `${nested("v", 100000)} [(count (str v)) (flatten v)]`,
    expect: { value: "[200002 ()]" },
  },
  {
    id: "deep-vector-as-tool-argument",
    category: "deep-values",
    program: `${nested("v", 100000)} (tool/echo {:v v})`,
    tools: { echo: (args) => args },
    expect: depth,
  },
  {
    id: "deep-map-built-by-loop",
    category: "deep-values",
    program:
      "(def m (loop [m {} i 0] (if (< i 30000) (recur {:m m} (inc i)) m))) [(count (pr-str m)) (= m (assoc m :m (:m m)))]",
    expect: { value: "[150002 true]" },
  },
  {
    id: "shared-structure-printed",
    category: "deep-values",
    program: `(count (pr-str ${shared(60)}))`,
    expect: spent,
  },
  {
    id: "shared-structure-as-key",
    category: "deep-values",
    program: `(get {${shared(60)} 1} :x)`,
    // Fuel trips first on an idle machine; under load the 1 s clock can trip before it.
    expect: spent,
  },
  {
    id: "shared-structure-returned",
    category: "deep-values",
    program: shared(60),
    expect: spent,
  },
  {
    id: "shared-structure-flattened",
    category: "deep-values",
    program: `(count (flatten ${shared(60)}))`,
    expect: spent,
  },
  {
    id: "self-containing-atom",
    category: "deep-values",
    program: "(def a (atom nil)) (reset! a a) (pr-str a)",
    expect: { value: '"#object[Atom {:val #object[Atom ...]}]"' },
  },
  {
    id: "atom-cycle-returned",
    category: "deep-values",
    program: "(def a (atom nil)) (reset! a [a]) a",
    expect: depth,
  },
  {
    id: "infinite-seqs-compared",
    category: "deep-values",
    program: "(= (range) (range))",
    expect: fuel,
  },
  {
    id: "infinite-seq-in-fail",
    category: "deep-values",
    program: "(fail {:r (range)})",
    expect: fuel,
  },
  {
    id: "infinite-seq-as-key",
    category: "deep-values",
    program: "{(range) 1}",
    expect: fuel,
  },

  // --- Huge collections ----------------------------------------------------------------------
  { id: "sort-range-1e7", category: "collections", program: "(sort (range 1e7))", expect: fuel },
  {
    id: "sort-by-huge",
    category: "collections",
    program: "(sort-by - (vec (range 2000000)))",
    expect: fuel,
  },
  { id: "frequencies-range-1e7", category: "collections", program: "(frequencies (range 1e7))", expect: spent },
  { id: "group-by-range-1e7", category: "collections", program: "(group-by odd? (range 1e7))", expect: spent },
  { id: "distinct-range-1e7", category: "collections", program: "(count (distinct (range 1e7)))", expect: spent },
  { id: "set-range-1e7", category: "collections", program: "(count (set (range 1e7)))", expect: fuel },
  {
    id: "into-map-huge",
    category: "collections",
    program: "(count (into {} (map (fn [i] [i i]) (range 1e7))))",
    expect: spent,
  },
  {
    id: "sort-with-comparator",
    category: "collections",
    program: "(count (sort (fn [a b] (compare b a)) (vec (range 1000000))))",
    expect: fuel,
  },
  {
    id: "frequencies-composite-keys",
    category: "collections",
    program: "(count (frequencies (map (fn [i] [i (str i)]) (range 20000))))",
    expect: { value: "20000" },
  },
  {
    id: "memoize-growth",
    category: "collections",
    program: "(def f (memoize (fn [i] (vec (range 100))))) (dotimes [i 10000000] (f i))",
    expect: { code: "limit_exceeded", limit: ["fuel", "memory", "time"] },
  },

  // --- Printing and output -----------------------------------------------------------------
  {
    id: "println-infinite-seq",
    category: "printing",
    program: "(println (range))",
    expect: fuel,
  },
  {
    id: "println-huge-value",
    category: "printing",
    program: "(println (vec (range 2000000)))",
    expect: { code: "limit_exceeded", limit: ["output", "fuel", "time"] },
  },
  {
    id: "pr-str-in-a-loop",
    category: "printing",
    program: "(def v (vec (range 100000))) (dotimes [i 1000] (pr-str v))",
    expect: spent,
  },
  {
    id: "output-flood",
    category: "printing",
    program: '(dotimes [i 1e7] (println "xxxxxxxxxxxxxxxx"))',
    expect: output,
  },
  {
    id: "huge-value-returned",
    category: "printing",
    program: "(vec (range 20000000))",
    expect: fuel,
  },

  // --- Source --------------------------------------------------------------------------------
  {
    id: "five-megabyte-source",
    category: "source",
    program: "(+ 1 1) ".repeat(5 * 1024 * 128),
    expect: { code: "limit_exceeded", limit: "source" },
  },
  {
    id: "five-megabyte-string-literal",
    category: "source",
    program: `"${"x".repeat(5 * 1024 * 1024)}"`,
    expect: { code: "limit_exceeded", limit: "source" },
  },
  {
    id: "deep-vector-source",
    category: "source",
    program: `${"[".repeat(100000)}${"]".repeat(100000)}`,
    expect: depth,
  },
  {
    id: "deep-list-source-unclosed",
    category: "source",
    program: "(".repeat(100000),
    expect: depth,
  },
  {
    id: "deep-lets-source",
    category: "source",
    program: `${"(let [a 1] ".repeat(999)}a${")".repeat(999)}`,
    expect: { value: "1" },
  },
  {
    id: "deep-calls-source",
    category: "source",
    program: `${"(inc ".repeat(999)}0${")".repeat(999)}`,
    expect: { value: "999" },
  },
  {
    id: "deep-fn-source",
    category: "source",
    program: `${"(fn [] ".repeat(999)}1${")".repeat(999)}`,
    expect: depth,
  },
  {
    id: "many-small-forms",
    category: "source",
    program: "(def x 1) ".repeat(50000),
    expect: { value: "#'user/x" },
  },

  // --- Regexes -------------------------------------------------------------------------------
  {
    id: "regex-nested-plus",
    category: "regex",
    program: '(count (first (re-find #"(a+)+$" (apply str (repeat 5000 "a")))))',
    expect: { value: "5000" },
  },
  {
    id: "regex-nested-plus-no-match",
    category: "regex",
    program: '(re-find #"^(a+)+$" (str (apply str (repeat 20000 "a")) "!"))',
    expect: { value: "nil" },
  },
  {
    id: "regex-alternation-overlap",
    category: "regex",
    program: '(re-matches #"(a|aa)+b" (apply str (repeat 20000 "a")))',
    expect: { value: "nil" },
  },
  {
    id: "regex-backreference",
    category: "regex",
    program: '(re-find #"(a)\\1" "aa")',
    expect: typeError,
  },
  {
    id: "regex-lookahead",
    category: "regex",
    program: '(re-find #"a(?=b)" "ab")',
    expect: typeError,
  },
  {
    id: "regex-huge-program",
    category: "regex",
    program: '(re-pattern (apply str (repeat 100 "a{1000}")))',
    expect: typeError,
  },
  {
    id: "regex-pattern-too-long",
    category: "regex",
    program: '(re-pattern (apply str (repeat 20000 "a")))',
    expect: typeError,
  },
  {
    id: "regex-big-text-charged",
    category: "regex",
    program: '(count (re-seq #"(.*a){20}" (apply str (repeat 200000 "a"))))',
    expect: fuel,
  },
  {
    id: "regex-many-compiles",
    category: "regex",
    program: '(dotimes [i 100000] (re-pattern (str "a{1000}b" i)))',
    expect: spent,
  },

  // --- Prototype keys -----------------------------------------------------------------------
  {
    id: "proto-keys-in-map-literal",
    category: "prototype-keys",
    program: '{"__proto__" {"polluted" true} "constructor" {"prototype" 1} :prototype 2}',
    expect: { value: '{"__proto__" {"polluted" true}, "constructor" {"prototype" 1}, :prototype 2}' },
  },
  {
    id: "proto-keys-in-data",
    category: "prototype-keys",
    program: '[(keys data/x) (get-in data/x [:__proto__ :polluted]) (get data/x "toString") (:hasOwnProperty data/x)]',
    data: { x: protoJSON() },
    expect: { value: "[(:__proto__ :constructor :prototype) true nil nil]" },
  },
  {
    id: "proto-keys-in-tool-result",
    category: "prototype-keys",
    program: "(let [r (tool/evil {})] [(keys r) (:polluted (:__proto__ r)) (get r :toString)])",
    tools: { evil: () => protoJSON() },
    expect: { value: "[(:__proto__ :constructor :prototype) true nil]" },
  },
  {
    id: "proto-keys-through-assoc-merge",
    category: "prototype-keys",
    program:
      '(let [m (assoc {} "__proto__" 1 :constructor 2)] [(merge m {"prototype" 3}) (dissoc (merge data/x {"__proto__" 4}) "constructor")])',
    data: { x: protoJSON() },
    expect: {
      value: '[{"__proto__" 1, :constructor 2, "prototype" 3} {:__proto__ 4, :prototype 1}]',
    },
  },
  {
    id: "proto-keys-through-zipmap-frequencies-group-by",
    category: "prototype-keys",
    program:
      '[(zipmap ["__proto__" "constructor"] [1 2]) (frequencies ["__proto__" "__proto__" "constructor"]) (group-by identity ["prototype" "__proto__"])]',
    expect: {
      value:
        '[{"__proto__" 1, "constructor" 2} {"__proto__" 2, "constructor" 1} {"prototype" ["prototype"], "__proto__" ["__proto__"]}]',
    },
  },
  {
    id: "proto-keys-through-into-select-keys-update",
    category: "prototype-keys",
    program:
      '(let [m (into {} [["__proto__" 1] ["constructor" 2]])] [(select-keys m ["__proto__"]) (update m "__proto__" inc) (update-in {} ["constructor" "prototype"] (fnil inc 0))])',
    expect: {
      value: '[{"__proto__" 1} {"__proto__" 2, "constructor" 2} {"constructor" {"prototype" 1}}]',
    },
  },
  {
    id: "proto-keys-as-keywords-and-json",
    category: "prototype-keys",
    program: '(let [k (keyword "__proto__")] [k (get {k 1} "__proto__") (name k) {k {(keyword "constructor") 2}}])',
    expect: { value: '[:__proto__ 1 "__proto__" {:__proto__ {:constructor 2}}]' },
  },
  {
    id: "proto-keys-as-tool-arguments",
    category: "prototype-keys",
    program: '(tool/echo {"__proto__" {:polluted true} :constructor 1})',
    tools: { echo: (args) => ({ keys: Object.keys(args), proto: Object.getPrototypeOf(args) === Object.prototype }) },
    expect: { value: '{:keys ["__proto__" "constructor"], :proto true}' },
  },
  {
    id: "proto-names-as-locals-and-globals",
    category: "prototype-keys",
    program:
      "(def constructor 1) (def __proto__ 2) (let [prototype 3 hasOwnProperty 4] [constructor __proto__ prototype hasOwnProperty])",
    expect: { value: "[1 2 3 4]" },
  },
  {
    id: "proto-lookups-on-empty-map",
    category: "prototype-keys",
    program:
      '[(get {} "constructor") (:__proto__ {}) (contains? {} "toString") (find {} "valueOf") ({} "constructor")]',
    expect: { value: "[nil nil false nil nil]" },
  },

  // --- Interop and escape attempts -----------------------------------------------------------
  { id: "js-process", category: "escape", program: "js/process", expect: invalid },
  { id: "js-process-env", category: "escape", program: "(.-env js/process)", expect: unbound },
  { id: "field-constructor", category: "escape", program: '(.-constructor "x")', expect: unbound },
  { id: "method-constructor", category: "escape", program: '(.constructor "x")', expect: unbound },
  { id: "aget", category: "escape", program: '(aget (clj->js {}) "constructor")', expect: unbound },
  { id: "set-bang", category: "escape", program: "(set! (.-x js/globalThis) 1)", expect: invalid },
  { id: "eval", category: "escape", program: "(eval '(+ 1 2))", expect: unbound },
  { id: "read-string", category: "escape", program: '(read-string "(+ 1 2)")', expect: unbound },
  { id: "require", category: "escape", program: "(require '[clojure.java.io :as io])", expect: invalid },
  { id: "ns", category: "escape", program: "(ns evil (:require [clojure.java.shell :as sh]))", expect: invalid },
  { id: "slurp", category: "escape", program: '(slurp "/etc/passwd")', expect: unbound },
  { id: "dot-form", category: "escape", program: '(. "x" toUpperCase)', expect: invalid },
  { id: "new-object", category: "escape", program: "(new Object)", expect: invalid },
  { id: "js-star", category: "escape", program: '(js* "process.exit(1)")', expect: unbound },
  {
    id: "apply-constructor-of-fn",
    category: "escape",
    program: '(apply (.-constructor inc) ["return process"])',
    expect: unbound,
  },
  { id: "join-proto-of-map", category: "escape", program: "(clojure.string/join (.-__proto__ {}))", expect: unbound },
  { id: "js-eval", category: "escape", program: '(js/eval "1")', expect: invalid },
  { id: "unknown-namespace", category: "escape", program: '(java.lang.System/getenv "HOME")', expect: unbound },
  {
    id: "symbol-and-resolve",
    category: "escape",
    program: '((resolve (symbol "clojure.core" "eval")) \'(+ 1 2))',
    expect: unbound,
  },
  {
    id: "keyword-lookup-of-builtins",
    category: "escape",
    program: '[(:name inc) (get inc "constructor") (:constructor +)]',
    expect: { value: "[nil nil nil]" },
  },
  {
    id: "tool-name-injection",
    category: "escape",
    program: "(tool/__proto__ {}) (tool/constructor {})",
    tools: {},
    expect: { code: "unknown_tool" },
  },

  // --- Unicode -------------------------------------------------------------------------------
  {
    id: "lone-surrogates",
    category: "unicode",
    program: '(let [s (str (char 55357) "x" (char 56832))] [(count s) (clojure.string/upper-case s) {s 1}])',
    expect: { value: '[3 "\uD83DX\uDE00" {"\uD83Dx\uDE00" 1}]' },
  },
  {
    id: "combining-marks",
    category: "unicode",
    program: `(let [s (apply str "e" (repeat 100000 "\u0301"))] [(count s) (count (clojure.string/reverse s)) (count (frequencies s))])`,
    expect: { value: "[100001 100001 2]" },
  },
  {
    id: "rtl-and-bidi-overrides",
    category: "unicode",
    program: `(let [k "\u202Eevil\u202C" m {k 1 (keyword k) 2}] [(count m) (get m k) (clojure.string/reverse "\u05D0\u05D1")])`,
    // Flex keys: the string and the keyword of one name are one key.
    expect: { value: `[1 2 "\u05D1\u05D0"]` },
  },
  {
    id: "nul-in-strings-and-keys",
    category: "unicode",
    program:
      '(let [k (str (char 0) "s" "a")] [(get {k 1 "sa" 2} k) (get {k 1 "sa" 2} "sa") (count (keys {k 1 (keyword k) 2}))])',
    expect: { value: "[1 2 1]" },
  },
  {
    id: "unicode-in-data-keys",
    category: "unicode",
    program: '[(get data/m "\uD800") (get data/m "e\u0301") (keys data/m)]',
    data: { m: JSON.parse('{"\\ud800": 1, "e\\u0301": 2}') },
    expect: { value: "[1 2 (:\uD800 :e\u0301)]" },
  },
  {
    id: "astral-and-regex",
    category: "unicode",
    program: `(count (re-seq #"." (apply str (repeat 10000 "\u{1F600}"))))`,
    expect: { value: "10000" },
  },

  // --- Tools ---------------------------------------------------------------------------------
  {
    id: "tool-call-flood",
    category: "tools",
    program: "(dotimes [i 100000] (tool/ping {:i i}))",
    tools: { ping: () => 1 },
    limits: { toolCalls: 300 },
    expect: { code: "limit_exceeded", limit: "toolCalls" },
  },
  {
    id: "tool-returns-deep-array",
    category: "tools",
    program: "(count (flatten (tool/deep {})))",
    tools: { deep: () => JSON.parse(`${"[".repeat(100000)}1${"]".repeat(100000)}`) },
    expect: { code: "tool_error" },
  },
  {
    id: "data-deep-array",
    category: "tools",
    program: "[(count (flatten data/deep)) (count (pr-str data/deep))]",
    data: { deep: JSON.parse(`${"[".repeat(100000)}1${"]".repeat(100000)}`) },
    expect: { value: "[1 200001]" },
  },
  {
    id: "data-deep-array-returned",
    category: "tools",
    program: "data/deep",
    data: { deep: JSON.parse(`${"[".repeat(100000)}1${"]".repeat(100000)}`) },
    expect: depth,
  },
  {
    id: "tool-returns-huge-array",
    category: "tools",
    program: "(sort (tool/big {}))",
    tools: { big: () => Array.from({ length: 2_000_000 }, (_, i) => i) },
    expect: fuel,
  },
  {
    id: "tool-throws",
    category: "tools",
    program: "(tool/boom {})",
    tools: {
      boom: () => {
        throw new Error(sixA);
      },
    },
    expect: { code: "tool_error" },
  },
  // --- Tool orchestration: linear work, odd throws and results, colliding keys --------------
  {
    id: "thousand-sequential-tool-calls",
    category: "tool-calls",
    program:
      "(loop [i 0 kept 0] (if (< i 1000) (let [rows (tool/rows {:page i})] (recur (inc i) (+ kept (count (filter #(> (:score %) 50) rows))))) kept))",
    tools: { rows: () => Array.from({ length: 100 }, (_, i) => ({ id: i, score: i })) },
    expect: { value: "49000" },
  },
  {
    id: "mapv-tool-per-id",
    category: "tool-calls",
    program: "(count (mapv #(tool/get {:id %}) (range 600)))",
    tools: { get: ({ id }: Record<string, unknown>) => ({ id, rows: [1, 2, 3] }) },
    expect: { value: "600" },
  },
  {
    id: "tool-throws-null-prototype",
    category: "tool-calls",
    program: "(try (tool/boom {}) (catch :default e :caught))",
    tools: {
      boom: () => {
        throw bareObject();
      },
    },
    expect: { value: ":caught" },
  },
  {
    id: "tool-throws-proxy",
    category: "tool-calls",
    program: "(try (tool/boom {}) (catch :default e :caught))",
    tools: {
      boom: () => {
        throw throwingProxy();
      },
    },
    expect: { value: ":caught" },
  },
  {
    id: "tool-throws-error-with-throwing-message",
    category: "tool-calls",
    program: "(tool/boom {})",
    tools: {
      boom: () => {
        throw errorWithThrowingMessage();
      },
    },
    expect: { code: "tool_error" },
  },
  {
    id: "tool-result-5000-deep",
    category: "tool-calls",
    program: "(tool/deep {})",
    tools: { deep: () => nestedArray(5000) },
    expect: { code: "tool_error" },
  },
  {
    id: "tool-result-cyclic",
    category: "tool-calls",
    program: "(tool/cyclic {})",
    tools: {
      cyclic: () => {
        const value: Record<string, unknown> = {};
        value["self"] = value;
        return value;
      },
    },
    expect: { code: "tool_error" },
  },
  {
    id: "tool-result-past-memory",
    category: "tool-calls",
    program: "(count (tool/big {}))",
    tools: { big: () => Array.from({ length: 2000 }, () => "y".repeat(1000)) },
    limits: { memoryBytes: 1_000_000 },
    expect: { code: "tool_error" },
  },
  {
    id: "tool-argument-keys-collide",
    category: "tool-calls",
    program: "(tool/echo {:a-b 1 :a_b 2})",
    tools: { echo: (args: Record<string, unknown>) => args },
    expect: { code: "tool_error" },
  },
  {
    id: "lazy-tool-sequence-shared-by-pmap",
    category: "tool-calls",
    program: "(let [s (map #(tool/echo {:x %}) (range))] (count (pmap (fn [i] (nth s i)) (range 20))))",
    tools: { echo: (args: Record<string, unknown>) => args },
    expect: { value: "20" },
  },
];
