import { formatHint, type HintId } from "../../errors/codes.js";
import { BUILTINS, lookupBuiltin } from "../builtins/registry.js";

/** A known mistake's fix: a hint from the catalog, and the name it tells the program to use. */
export interface Fix {
  readonly hint: HintId;
  /** For `use_instead`: the builtin, special form or macro to use instead. */
  readonly use?: string;
}

const use = (name: string): Fix => ({ hint: "use_instead", use: name });
const CLOCK: Fix = { hint: "no_clock" };
const RANDOM: Fix = { hint: "no_randomness" };
const NO_JSON: Fix = { hint: "no_json" };
const BIGNUMS: Fix = { hint: "no_bignums" };
const SLEEP: Fix = { hint: "no_sleep" };
const EXIT: Fix = { hint: "no_exit" };

function entries(fix: Fix, ...names: string[]): [string, Fix][] {
  return names.map((name) => [name, fix]);
}

/**
 * Names from other languages that models write for a PTC-Lisp function. Every `use` names a
 * builtin, special form or macro (test/unit/feedback checks it), and no key resolves.
 */
export const COMMON_NAME_FIXES: ReadonlyMap<string, Fix> = new Map<string, Fix>([
  ...entries({ hint: "sum" }, "sum", "total-of"),
  ...entries({ hint: "average" }, "avg", "mean", "average"),
  ...entries(use("count"), "len", "length", "size", "count-of"),
  ...entries(use("doseq"), "foreach", "for-each", "forEach", "each"),
  ...entries(use("nil"), "null", "None", "undefined", "nullptr", "NULL"),
  ...entries(use("true"), "True", "TRUE"),
  ...entries(use("false"), "False", "FALSE"),
  ...entries(use("println"), "print-ln", "print-line", "printline", "puts", "echo", "writeln", "console.log"),
  ...entries(use("fn"), "lambda", "func"),
  ...entries(use("defn"), "function", "defun", "define", "def-fn"),
  ...entries(use("conj"), "append", "push"),
  ...entries(use("clojure.string/upper-case"), "upper", "uppercase", "to-upper", "toUpperCase"),
  ...entries(use("clojure.string/lower-case"), "lower", "lowercase", "to-lower", "toLowerCase"),
  ...entries(use("clojure.string/trim"), "strip"),
  ...entries(use("clojure.string/join"), "str-join", "string-join"),
  ...entries(use("clojure.string/starts-with?"), "startswith", "starts-with", "startsWith"),
  ...entries(use("clojure.string/ends-with?"), "endswith", "ends-with", "endsWith"),
  ...entries(use("clojure.string/includes?"), "includes", "str-contains"),
  ...entries(use("subs"), "substring", "substr"),
  ...entries(use("parse-long"), "parse-int", "parseInt", "to-int", "str->int", "string->int", "parse-integer"),
  ...entries(use("parse-double"), "parse-float", "parseFloat", "to-float", "str->float", "parse-number"),
  ...entries(use("str"), "to-string", "toString", "to-str", "tostring"),
  ...entries(use("empty?"), "is-empty", "isEmpty", "is-empty?"),
  ...entries(use("contains?"), "has-key?", "has-key", "contains-key?", "has?"),
  ...entries(use("some?"), "not-nil?", "is-some?"),
  ...entries(use("nil?"), "is-nil?", "null?", "is-null?", "none?"),
  ...entries(use("distinct"), "uniq", "unique"),
  ...entries(use("mapcat"), "flat-map", "flatMap", "flatmap"),
  ...entries(use("reduce"), "fold", "foldl", "fold-left", "inject"),
  ...entries(use("first"), "head"),
  ...entries(use("rest"), "tail"),
  ...entries(use("map-indexed"), "enumerate"),
  ...entries(use("sort-by"), "sortBy", "sort_by", "order-by", "orderBy"),
  ...entries(use("group-by"), "groupBy", "group_by"),
  ...entries({ hint: "cond_else" }, "else"),
  ...entries(CLOCK, "now", "current-time", "timestamp", "current-time-millis", "time-now", "today"),
  ...entries(RANDOM, "rand", "random", "rand-int", "rand-nth", "random-sample", "shuffle", "random-uuid"),
  ...entries(use("parse-uuid"), "uuid"),
  ...entries(BIGNUMS, "bigint", "biginteger", "bigdec", "bigdecimal", "big-integer"),
  ...entries(SLEEP, "sleep", "wait", "setTimeout", "set-timeout"),
  ...entries(EXIT, "exit", "quit"),
  ...entries(
    NO_JSON,
    "json-parse",
    "parse-json",
    "from-json",
    "json-decode",
    "read-json",
    "parse-string",
    "to-json",
    "json-encode",
    "json-str",
    "generate-string",
  ),
]);

/**
 * Host interop models write, by the form it takes: `.method`, `Class.` (a constructor),
 * `Class/member`, `js/name`. `java.lang.`/`java.util.` prefixes are dropped before the lookup;
 * `Math/x` and `js/Math.x` are answered from the registry (interopHint).
 */
export const INTEROP_FIXES: ReadonlyMap<string, Fix> = new Map<string, Fix>([
  [".toUpperCase", use("clojure.string/upper-case")],
  [".toLowerCase", use("clojure.string/lower-case")],
  [".length", use("count")],
  [".size", use("count")],
  [".count", use("count")],
  [".trim", use("clojure.string/trim")],
  [".split", use("clojure.string/split")],
  [".indexOf", use("clojure.string/index-of")],
  [".lastIndexOf", use("clojure.string/last-index-of")],
  [".startsWith", use("clojure.string/starts-with?")],
  [".endsWith", use("clojure.string/ends-with?")],
  [".includes", use("clojure.string/includes?")],
  [".contains", use("clojure.string/includes?")],
  [".substring", use("subs")],
  [".substr", use("subs")],
  [".replace", use("clojure.string/replace")],
  [".replaceAll", use("clojure.string/replace")],
  [".charAt", use("nth")],
  [".equals", use("=")],
  [".toString", use("str")],
  [".isEmpty", use("empty?")],
  [".join", use("clojure.string/join")],
  [".get", use("get")],
  [".push", use("conj")],
  [".add", use("conj")],
  [".keys", use("keys")],
  [".values", use("vals")],
  [".map", use("map")],
  [".filter", use("filter")],
  [".reduce", use("reduce")],
  [".forEach", use("doseq")],
  [".sort", use("sort")],
  [".toFixed", use("format")],
  [".getTime", CLOCK],
  ["Integer.", use("parse-long")],
  ["Long.", use("parse-long")],
  ["Double.", use("parse-double")],
  ["Float.", use("parse-double")],
  ["BigDecimal.", use("parse-double")],
  ["String.", use("str")],
  ["StringBuilder.", use("str")],
  ["Date.", CLOCK],
  ["Random.", RANDOM],
  ["Integer/valueOf", use("parse-long")],
  ["Long/valueOf", use("parse-long")],
  ["Double/valueOf", use("parse-double")],
  ["Boolean/parseBoolean", use("parse-boolean")],
  ["String/join", use("clojure.string/join")],
  ["String/valueOf", use("str")],
  ["String/format", use("format")],
  ["System/currentTimeMillis", CLOCK],
  ["System/nanoTime", CLOCK],
  ["Instant/now", CLOCK],
  ["LocalDate/now", CLOCK],
  ["LocalDateTime/now", CLOCK],
  ["Date/now", CLOCK],
  ["UUID/randomUUID", RANDOM],
  ["UUID/fromString", use("parse-uuid")],
  ["BigInteger.", BIGNUMS],
  ["BigInteger/valueOf", BIGNUMS],
  ["Thread/sleep", SLEEP],
  [".sleep", SLEEP],
  ["System/exit", EXIT],
  ["js/setTimeout", SLEEP],
  ["js/process.exit", EXIT],
  ["JSON/stringify", NO_JSON],
  ["js/JSON.stringify", NO_JSON],
  ["JSON/parse", NO_JSON],
  ["js/parseInt", use("parse-long")],
  ["js/parseFloat", use("parse-double")],
  ["js/Number", use("parse-double")],
  ["js/String", use("str")],
  ["js/JSON.parse", NO_JSON],
  ["js/Date", CLOCK],
  ["js/Date.now", CLOCK],
  ["js/console.log", use("println")],
  ["js/Object.keys", use("keys")],
  ["js/Object.values", use("vals")],
  ["js/Array.isArray", use("vector?")],
]);

/** Namespaces the registry maps onto a host class's static members (`Math/abs`, `Integer/parseInt`). */
export const HOST_CLASS_NAMESPACES: ReadonlySet<string> = new Set(["Math", "Double", "Integer", "Long"]);

const HOST_CLASSES: ReadonlySet<string> = new Set([
  "String",
  "System",
  "Character",
  "Boolean",
  "Float",
  "Short",
  "Byte",
  "BigDecimal",
  "BigInteger",
  "Date",
  "Instant",
  "LocalDate",
  "LocalDateTime",
  "Duration",
  "UUID",
  "JSON",
  "Object",
  "Array",
  "Thread",
  "Collections",
  "Arrays",
  "Objects",
  "Random",
  "StringBuilder",
  "Pattern",
]);

/** Names a model uses for the input map itself. */
export const DATA_LIKE: ReadonlySet<string> = new Set(["data", "input", "inputs", "ctx", "context", "params"]);

export function isHostClass(ns: string): boolean {
  return HOST_CLASSES.has(ns) || /^(java|javax|js|goog)\./.test(ns);
}

/** `.method` (a method call) or `Class.` (a constructor): host interop written as a plain symbol. */
export function isInteropName(name: string): boolean {
  if (name.length < 2 || name === "..") return false;
  return (name.startsWith(".") && /^\.-?[A-Za-z_]/.test(name)) || /^[A-Za-z][\w.$]*\.$/.test(name);
}

/** The hint for a piece of host interop: the Clojure alternative, when one is known. */
export function interopHint(name: string): string | undefined {
  const key = name.replace(/^(java\.(lang|util|time)\.)/, "").replace(/^\.-/, ".");
  const known = INTEROP_FIXES.get(key);
  if (known !== undefined) return fixHint(known);
  const math = /^(?:Math\/|js\/Math\.)([\w-]+)$/.exec(key)?.[1];
  if (math !== undefined) {
    if (math === "random") return fixHint(RANDOM);
    if (BUILTINS.has(math)) return fixHint(use(math));
    if (lookupBuiltin("Math", math) !== undefined) return fixHint(use(`Math/${math}`));
  }
  return undefined;
}

export function fixHint(fix: Fix | undefined): string | undefined {
  if (fix === undefined) return undefined;
  return formatHint(fix.hint, fix.use === undefined ? {} : { use: fix.use });
}

export function didYouMean(name: string | undefined): string | undefined {
  return name === undefined ? undefined : formatHint("did_you_mean", { name });
}
