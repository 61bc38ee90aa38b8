import type { FormDoc } from "../builtins/types.js";

/**
 * The special forms' documentation (`(doc name)`, the language reference), in declaration
 * order. Their lowering is in `special-forms.ts`, keyed by the same names.
 */
export const SPECIAL_FORM_DOCS: ReadonlyMap<string, FormDoc> = new Map<string, FormDoc>([
  [
    "def",
    { usage: "(def name value)", doc: "Defines (or redefines) the global name; returns its var.", reference: "forms" },
  ],
  [
    "defn",
    {
      usage: "(defn name [params*] body*)",
      doc: "Defines a global function; (defn name ([params] body) ...) gives it several arities.",
      reference: "forms",
    },
  ],
  ["defn-", { usage: "(defn- name [params*] body*)", doc: "Same as defn." }],
  [
    "fn",
    {
      usage: "(fn name? [params*] body*)",
      doc: "A function; parameters may destructure, [a & more] takes the rest; #(+ % %2) is the short form.",
      reference: "forms",
    },
  ],
  ["fn*", { usage: "(fn* [params*] body*)", doc: "Same as fn." }],
  [
    "let",
    {
      usage: "(let [bindings*] body*)",
      doc: "Binds names (or destructuring patterns) one after another, then evaluates body.",
      reference: "forms",
    },
  ],
  ["let*", { usage: "(let* [bindings*] body*)", doc: "Same as let." }],
  [
    "loop",
    {
      usage: "(loop [bindings*] body*)",
      doc: "Like let; recur in tail position jumps back to the top with new values.",
      reference: "forms",
    },
  ],
  [
    "recur",
    {
      usage: "(recur exprs*)",
      doc: "In tail position of loop or fn: rebinds its names and runs it again, without growing the stack.",
      reference: "forms",
    },
  ],
  [
    "if",
    {
      usage: "(if test then else?)",
      doc: "then when test is truthy (neither nil nor false), else the else form (default nil).",
      reference: "forms",
    },
  ],
  [
    "do",
    {
      usage: "(do exprs*)",
      doc: "Evaluates the expressions in order; returns the last one's value.",
      reference: "forms",
    },
  ],
  [
    "and",
    { usage: "(and exprs*)", doc: "The first falsy value, or the last value; (and) is true.", reference: "forms" },
  ],
  ["or", { usage: "(or exprs*)", doc: "The first truthy value, or the last value; (or) is nil.", reference: "forms" }],
  ["quote", { usage: "(quote form)", doc: "form itself, unevaluated; 'form is the same." }],
  ["var", { usage: "(var name)", doc: "The var of a global name; #'name is the same." }],
  [
    "throw",
    {
      usage: "(throw value)",
      doc: "Throws value, usually (ex-info message data); try catches it.",
      reference: "forms",
    },
  ],
  [
    "try",
    {
      usage: "(try body* (catch :default e handler*) (finally cleanup*))",
      doc: "Evaluates body; a thrown value or a failed tool call runs the catch. Limits are never caught.",
      reference: "forms",
    },
  ],
  [
    "letfn",
    { usage: "(letfn [(name [params*] body*)*] body*)", doc: "Binds local functions that may call each other." },
  ],
  ["declare", { usage: "(declare names*)", doc: "Declares global names that a later def defines." }],
  [
    "case",
    {
      usage: "(case expr constant result* default?)",
      doc: "The result for the literal constant equal to expr ((c1 c2) matches either); else default, or an error.",
      reference: "forms",
    },
  ],
  [
    "for",
    {
      usage: "(for [name coll* :let [bindings*] :when test :while test] body)",
      doc: "A seq of body's values for every combination of the bound elements.",
      reference: "forms",
    },
  ],
  [
    "doseq",
    {
      usage: "(doseq [name coll*] body*)",
      doc: "Like for, but runs body for its effects and returns nil.",
      reference: "forms",
    },
  ],
  [".", { usage: "(. object member args*)", doc: "Host interop: not supported." }],
  ["new", { usage: "(new Class args*)", doc: "Host interop: not supported." }],
  ["set!", { usage: "(set! name value)", doc: "Not supported: there are no mutable variables; use an atom." }],
  [
    "ns",
    {
      usage: "(ns name (:require [clojure.string :as s] [clojure.set :refer [union]]))",
      doc: "Names the program; its :require gives the language's namespaces aliases or refers their functions.",
    },
  ],
  [
    "require",
    {
      usage: "(require '[clojure.string :as s :refer [join]])",
      doc: "From here on, s/f means clojure.string/f and join is clojure.string/join. Namespaces: clojure.string, clojure.set, clojure.walk, clojure.data.json.",
      reference: "forms",
    },
  ],
]);

export function isSpecialForm(name: string): boolean {
  return SPECIAL_FORM_DOCS.has(name);
}

/** Every special form's name and documentation, in declaration order. */
export function specialFormDocs(): [string, FormDoc][] {
  return [...SPECIAL_FORM_DOCS];
}
