import { closestName } from "../../internal/suggest.js";
import { macroDocs } from "../analyze/macros.js";
import { specialFormDocs } from "../analyze/special-form-docs.js";
import { Regex, Sym, type Value } from "../values/value.js";
import { FAMILIES } from "./families.js";
import { NAMESPACE_ALIASES, SHORT_NAMESPACES } from "./namespaces.js";
import { emit } from "./output.js";
import { engineOf, regexCost } from "./regex.js";
import { seqResult, wrongType } from "./support.js";
import type { BuiltinFamily, BuiltinSpec, ReferenceGroup } from "./types.js";

/**
 * The documentation of every name a program can call: builtins, special forms and macros, as
 * `(doc name)` prints it and `(apropos "text")` searches it. The prompt's language reference
 * (runtime/language-reference.ts) is generated from the same entries.
 */

export type DocKind = "function" | "special-form" | "macro";

export interface DocEntry {
  /** The name as declared: `map`, `clojure.string/join`, `let`. */
  readonly name: string;
  readonly kind: DocKind;
  /** How a call is written, e.g. `(reduce f init? coll)`, `(let [bindings*] body*)`. */
  readonly usage: string;
  /** One line. */
  readonly doc: string;
  /** Builtins only: the type signature text, e.g. `(f :fn, colls [:any]...) -> [:any]`. */
  readonly signature?: string;
  /** The group of the language reference that lists the name, if it is listed. */
  readonly reference?: ReferenceGroup;
}

interface DocIndex {
  /** By declared name; a builtin wins over a macro of the same name (`where`, `doc`). */
  readonly entries: ReadonlyMap<string, DocEntry>;
  /** Unqualified aliases of namespaced builtins (`join` for `clojure.string/join`). */
  readonly aliases: ReadonlyMap<string, string>;
  /** Every declared name in Clojure's order of symbols (the order `apropos` returns). */
  readonly names: readonly string[];
}

let index: DocIndex | undefined;

function docIndex(): DocIndex {
  if (index !== undefined) return index;
  const entries = new Map<string, DocEntry>();
  const aliases = new Map<string, string>();
  for (const family of [...FAMILIES, DOC_BUILTINS]) {
    for (const spec of family) {
      const entry = functionEntry(spec);
      entries.set(entry.name, entry);
      for (const alias of spec.aliases ?? []) aliases.set(alias, entry.name);
    }
  }
  const forms: [DocKind, [string, { usage: string; doc: string; reference?: ReferenceGroup }][]][] = [
    ["special-form", specialFormDocs()],
    ["macro", macroDocs()],
  ];
  for (const [kind, docs] of forms) {
    for (const [name, declared] of docs) {
      if (!entries.has(name)) entries.set(name, { name, kind, ...declared });
    }
  }
  const names = [...entries.keys()].sort(compareNames);
  index = { entries, aliases, names };
  return index;
}

/** A name's namespace (null for core names and for `/`) and local part, as its symbol has them. */
function splitName(name: string): [string | null, string] {
  const slash = name.indexOf("/");
  return slash <= 0 ? [null, name] : [name.slice(0, slash), name.slice(slash + 1)];
}

/** Clojure's order of symbols: names without a namespace first, then by namespace, then by name. */
function compareNames(a: string, b: string): number {
  const [nsA, localA] = splitName(a);
  const [nsB, localB] = splitName(b);
  if (nsA !== nsB) {
    if (nsA === null) return -1;
    if (nsB === null) return 1;
    return nsA < nsB ? -1 : 1;
  }
  return localA < localB ? -1 : localA > localB ? 1 : 0;
}

function functionEntry(spec: BuiltinSpec): DocEntry {
  const name = spec.ns ? `${spec.ns}/${spec.name}` : spec.name;
  const entry = {
    name,
    kind: "function" as const,
    usage: usageOf(name, spec),
    doc: spec.doc,
    signature: spec.signature,
  };
  return spec.reference === undefined ? entry : { ...entry, reference: spec.reference };
}

/** Splits `a, b {c :int, d :int}, e` at the commas outside brackets. */
function splitParameters(text: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === "(" || c === "[" || c === "{") depth++;
    else if (c === ")" || c === "]" || c === "}") depth--;
    else if (c === "," && depth === 0) {
      parts.push(text.slice(start, i).trim());
      start = i + 1;
    }
  }
  const last = text.slice(start).trim();
  if (last !== "") parts.push(last);
  return parts;
}

/**
 * The call shape of a builtin from its signature's parameter names: `& name` for the rest
 * parameter, `name?` for an optional one (a `?` type in a builtin taking fewer arguments than
 * it names).
 */
function usageOf(name: string, spec: BuiltinSpec): string {
  const signature = spec.signature;
  const close = signature.indexOf(") ->");
  if (!signature.startsWith("(") || close < 0) return `(${name} ...)`;
  const parameters = splitParameters(signature.slice(1, close)).map((text) => {
    const rest = text.startsWith("& ") || text.endsWith("...");
    const [parameter = "", type = ""] = text.replace(/^& /, "").split(/\s+/, 2);
    return { parameter, type, rest };
  });
  const fixed = parameters.filter((p) => !p.rest).length;
  const marksOptional = spec.arity[0] < fixed;
  const words = parameters.map(({ parameter, type, rest }) => {
    if (rest) return `& ${parameter}`;
    return marksOptional && type.endsWith("?") && !parameter.endsWith("?") ? `${parameter}?` : parameter;
  });
  return `(${[name, ...words].join(" ")})`;
}

/**
 * The documentation of a name as a program writes it: `map`, `clojure.string/join`,
 * `str/join`, `join`, `clojure.core/let`, `->`. Undefined for names that are not builtins,
 * special forms or macros.
 */
export function docOf(name: string): DocEntry | undefined {
  const { entries, aliases } = docIndex();
  const direct = entries.get(name) ?? entries.get(aliases.get(name) ?? "");
  if (direct !== undefined) return direct;
  const slash = name.indexOf("/");
  if (slash <= 0 || slash === name.length - 1) return undefined;
  const ns = NAMESPACE_ALIASES.get(name.slice(0, slash));
  if (ns === undefined) return undefined;
  const local = name.slice(slash + 1);
  return entries.get(ns === "" ? local : `${ns}/${local}`);
}

/**
 * Every documented name (builtins, namespaced ones qualified; special forms; macros), in
 * Clojure's order of symbols: core names first, then namespaced ones by namespace.
 */
export function documentedNames(): readonly string[] {
  return docIndex().names;
}

/** The documented names containing `text`, ignoring case, in the order of `documentedNames`. */
export function searchNames(text: string): string[] {
  const needle = text.toLowerCase();
  return docIndex().names.filter((name) => name.toLowerCase().includes(needle));
}

/** `clojure.string/join` as the reference writes it, `str/join`; other names unchanged. */
export function shortName(name: string): string {
  const slash = name.indexOf("/");
  if (slash <= 0) return name;
  const short = SHORT_NAMESPACES.get(name.slice(0, slash));
  return short === undefined ? name : `${short}/${name.slice(slash + 1)}`;
}

/**
 * What `(doc name)` prints, in the layout of Clojure's REPL: the name, the usage, the type
 * signature (of a builtin) or the kind (of a special form or macro), the indented doc.
 */
export function describeDoc(entry: DocEntry): string {
  const lines = [entry.name, entry.usage];
  if (entry.signature !== undefined) lines.push(entry.signature);
  else if (entry.kind === "special-form") lines.push("Special Form");
  else if (entry.kind === "macro") lines.push("Macro");
  lines.push(`  ${entry.doc}`);
  return lines.join("\n");
}

/** What `(doc name)` prints for an undocumented name: the closest documented name, if any. */
function describeMissing(name: string): string {
  const { names, aliases } = docIndex();
  const suggestion = closestName(name, [...names, ...aliases.keys()]);
  return suggestion === undefined
    ? `no doc for ${name}; (apropos "text") searches the names`
    : `no doc for ${name}; did you mean ${suggestion}?`;
}

function nameOf(fn: string, value: Value): string {
  if (value instanceof Sym) return value.fqn;
  if (typeof value === "string") return value;
  return wrongType(fn, "a symbol or a string", value);
}

/** Fuel for one look-up or search: every documented name may be visited. */
const searchCost = (): number => docIndex().names.length;

export const DOC_BUILTINS: BuiltinFamily = [
  {
    name: "doc",
    arity: [1, 1],
    signature: "(name :any) -> :nil",
    effects: "output",
    cost: searchCost,
    alloc: "constant",
    doc: "Prints the signature or usage and the doc of a function, special form or macro named by a symbol or string; returns nil. (doc map) needs no quote.",
    impl: (context, [target]) => {
      const name = nameOf("doc", target as Value);
      const entry = docOf(name);
      emit(context, entry === undefined ? describeMissing(name) : describeDoc(entry), true);
      return null;
    },
  },
  {
    name: "apropos",
    types: "signature",
    size: "unknown",
    arity: [1, 1],
    signature: "(text :any) -> [:any]",
    cost: searchCost,
    alloc: "constant",
    doc: "The sorted seq of documented names (symbols) containing a string (ignoring case) or matching a regex; namespaced ones qualified, e.g. clojure.string/join.",
    impl: (context, [pattern]) => {
      let names: readonly string[];
      if (typeof pattern === "string") names = searchNames(pattern);
      else if (pattern instanceof Regex) {
        const engine = engineOf(pattern);
        names = docIndex().names.filter((name) => {
          context.charge(regexCost(pattern, name));
          return engine.matcher(name).find();
        });
      } else return wrongType("apropos", "a string or a regex", pattern as Value);
      context.alloc(names.length * 8);
      return seqResult(names.map((name) => symbolOf(name)));
    },
  },
];

function symbolOf(name: string): Sym {
  const [ns, local] = splitName(name);
  return Sym.of(local, ns);
}
