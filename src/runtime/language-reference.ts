import {
  documentedNames,
  docOf as lookupDoc,
  searchNames as searchDocumentedNames,
  shortName,
} from "../lisp/builtins/docs.js";
import { REFERENCE_GROUPS } from "../lisp/builtins/types.js";

/**
 * The PTC-Lisp language reference of the system prompt (DESIGN §9.2), generated from the
 * builtin registry and the special-form and macro declarations: the names each one declares
 * under a reference group, one line per group, after a fixed list of rules. It is a pure
 * function of those declarations, so the prompt is byte-stable and providers can cache it.
 */

/**
 * The version of the reference's format; bumped whenever the layout or the rules change, so a
 * cached prompt built from an older reference is not mistaken for the current one. (Changes to
 * the declarations themselves change the text, and with it any content hash.)
 */
export const REFERENCE_VERSION = 1;

/** The most characters the reference may take (DESIGN §9.2); a test holds it to this. */
export const MAX_REFERENCE_CHARS = 3_500;

/** One rule of the preamble, with the language names it mentions (a test checks they exist). */
interface Rule {
  readonly text: string;
  readonly names: readonly string[];
}

/** The rules models most often get wrong, in the order the reference states them. */
const RULES: readonly Rule[] = [
  {
    text: "Inputs are data/<name>: (count data/orders). JSON objects are maps with keyword keys: (:total order).",
    names: ["count"],
  },
  { text: "Tools: (tool/<name> {:arg value}), ONE map argument; the result is data.", names: [] },
  { text: "(return v) ends the program with the answer; (fail v) gives up with a reason.", names: ["return", "fail"] },
  { text: "println output is shown back to you; print samples to learn the data's shape.", names: ["println"] },
  { text: "def persists across turns; let bindings do not.", names: ["def", "let"] },
  { text: "No host interop (Java/JS classes, methods, js/), eval, I/O, clock or randomness.", names: [] },
  {
    text: "Use loop/recur or reduce, not deep recursion. Sequences are eager: bound infinite ones with take.",
    names: ["loop", "recur", "reduce", "take"],
  },
  {
    text: 'PTC helpers: (sum-by :amount xs) (pluck :id xs) (filter (where :status = "paid") xs) (pmap #(tool/get {:id %}) ids).',
    names: ["sum-by", "pluck", "filter", "where", "pmap"],
  },
  {
    text: '(doc f) prints the usage and doc of f; (apropos "text") lists matching names. Many more functions exist than listed.',
    names: ["doc", "apropos"],
  },
];

function renderReference(): string {
  const lines = [`PTC-Lisp: a sandboxed Clojure (ClojureScript semantics). Reference v${REFERENCE_VERSION}.`, "Rules:"];
  for (const rule of RULES) lines.push(`- ${rule.text}`);
  lines.push("Names by group:");
  const entries = documentedNames().flatMap((name) => {
    const entry = lookupDoc(name);
    return entry?.reference === undefined ? [] : [{ group: entry.reference, name: shortName(entry.name) }];
  });
  for (const group of REFERENCE_GROUPS) {
    const names = entries
      .filter((entry) => entry.group === group)
      .map((entry) => entry.name)
      .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    if (names.length > 0) lines.push(`${group}: ${names.join(" ")}`);
  }
  return `${lines.join("\n")}\n`;
}

let reference: string | undefined;

/**
 * The language reference for the system prompt: rules, then the listed names by group. The
 * same string on every call (at most {@link MAX_REFERENCE_CHARS} characters); the rest of the
 * language is found with `(doc name)` and `(apropos "text")`.
 */
export function languageReference(): string {
  reference ??= renderReference();
  return reference;
}

/** The names the reference's rules mention, for checking that each one exists. */
export function referenceRuleNames(): string[] {
  return RULES.flatMap((rule) => rule.names);
}

/** The documentation of one name, as `(doc name)` prints it. */
export interface LanguageDoc {
  /** The declared name: `map`, `clojure.string/join`, `let`. */
  readonly name: string;
  readonly kind: "function" | "special-form" | "macro";
  /** How a call is written, e.g. `(reduce f init? coll)`, `(let [bindings*] body*)`. */
  readonly usage: string;
  /** One line. */
  readonly doc: string;
  /** Functions only: the type signature, e.g. `(f :fn, colls [:any]...) -> [:any]`. */
  readonly signature?: string;
}

/**
 * The documentation of a name as a program writes it (`map`, `str/join`, `join`,
 * `clojure.string/join`, `let`, `->`), or undefined when nothing by that name exists.
 */
export function docOf(name: string): LanguageDoc | undefined {
  const entry = lookupDoc(name);
  if (entry === undefined) return undefined;
  const { name: declared, kind, usage, doc, signature } = entry;
  return signature === undefined
    ? { name: declared, kind, usage, doc }
    : { name: declared, kind, usage, doc, signature };
}

/**
 * The documented names containing `text` (ignoring case), sorted, namespaced ones qualified
 * (`clojure.string/join`): what `(apropos "text")` returns.
 */
export function searchNames(text: string): string[] {
  return searchDocumentedNames(text);
}

let revision: string | undefined;

/**
 * A short, stable fingerprint of the language (16 hex digits): every documented builtin's name,
 * kind, usage (its arities) and type signature, and every special form's and macro's name and
 * usage. Docstrings are left out, so rewording a doc does not change it. A compiled agent
 * records it, so a load after a library upgrade can tell that the language may have changed.
 */
export function languageRevision(): string {
  if (revision !== undefined) return revision;
  const lines = documentedNames().map((name) => {
    const entry = lookupDoc(name);
    return [name, entry?.kind ?? "", entry?.usage ?? "", entry?.signature ?? ""].join("\u0001");
  });
  revision = fnv1a64([...lines].sort().join("\u0000"));
  return revision;
}

/** FNV-1a, 64 bits, over the UTF-16 code units of `text`: synchronous and the same everywhere. */
function fnv1a64(text: string): string {
  const prime = 0x100000001b3n;
  const mask = 0xffffffffffffffffn;
  let hash = 0xcbf29ce484222325n;
  for (let i = 0; i < text.length; i++) {
    hash ^= BigInt(text.charCodeAt(i));
    hash = (hash * prime) & mask;
  }
  return hash.toString(16).padStart(16, "0");
}
