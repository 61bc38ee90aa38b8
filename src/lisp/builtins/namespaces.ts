/** Namespace aliases programs may write; each maps to the namespace builtins declare. */
export const NAMESPACE_ALIASES: ReadonlyMap<string, string> = new Map([
  ["str", "clojure.string"],
  ["string", "clojure.string"],
  ["clojure.string", "clojure.string"],
  ["s", "clojure.string"],
  ["set", "clojure.set"],
  ["clojure.set", "clojure.set"],
  ["walk", "clojure.walk"],
  ["clojure.walk", "clojure.walk"],
  ["json", "clojure.data.json"],
  ["clojure.data.json", "clojure.data.json"],
  ["core", ""],
  ["clojure.core", ""],
  ["cljs.core", ""],
  ["Math", "Math"],
  ["math", "Math"],
  ["Double", "Double"],
  ["Integer", "Integer"],
  ["Long", "Long"],
  ["Number", "Double"],
]);

/** The prefix the language reference writes a namespace's builtins with (`str/join`). */
export const SHORT_NAMESPACES: ReadonlyMap<string, string> = new Map([
  ["clojure.string", "str"],
  ["clojure.set", "set"],
  ["clojure.walk", "walk"],
  ["clojure.data.json", "json"],
]);
