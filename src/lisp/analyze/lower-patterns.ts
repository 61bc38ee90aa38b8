import type { Form, MapForm, VectorForm } from "../ast/nodes.js";
import { Keyword, type Value } from "../values/value.js";
import type { MapEntryPattern, Node, Pattern } from "./ir.js";
import type { Binding, LexScope } from "./scope.js";

/** Reports a malformed pattern. */
export type PatternFault = (form: Form, reason: string) => void;

/** Lowers a default expression of `:or` in the scope being built. */
export type LowerExpr = (form: Form, scope: LexScope) => Node;

/**
 * Lowers a binding pattern (symbol, vector, or map, nested), defining its names in `scope`.
 * Vector patterns take `& rest` and `:as`; map patterns take `:keys`, `:strs`, `:syms`, `:or`,
 * `:as` and `pattern key` pairs.
 */
export function lowerPattern(pattern: Form, scope: LexScope, fault: PatternFault, lower: LowerExpr): Pattern {
  const span = pattern.span;
  switch (pattern.kind) {
    case "symbol":
      if (pattern.ns !== null) {
        fault(pattern, "a binding name cannot be namespace-qualified");
        return { kind: "invalid", span };
      }
      return { kind: "name", binding: scope.define(pattern.name), span };
    case "vector":
      return lowerVector(pattern, scope, fault, lower);
    case "map":
      return lowerMap(pattern, scope, fault, lower);
    default:
      fault(pattern, "expected a symbol, vector or map as a binding pattern");
      return { kind: "invalid", span };
  }
}

function lowerVector(pattern: VectorForm, scope: LexScope, fault: PatternFault, lower: LowerExpr): Pattern {
  const invalid: Pattern = { kind: "invalid", span: pattern.span };
  const positional: Pattern[] = [];
  let rest: Pattern | null = null;
  let as: Binding | null = null;
  const items = pattern.items;
  for (let i = 0; i < items.length; i++) {
    const item = items[i] as Form;
    if (item.kind === "symbol" && item.ns === null && item.name === "&") {
      const next = items[i + 1];
      if (next === undefined || rest !== null) {
        fault(item, "& must be followed by exactly one pattern");
        return invalid;
      }
      rest = lowerPattern(next, scope, fault, lower);
      i++;
    } else if (item.kind === "keyword" && item.name === "as" && item.ns === null) {
      const next = items[i + 1];
      if (next?.kind !== "symbol") {
        fault(item, ":as must be followed by a symbol");
        return invalid;
      }
      as = scope.define(next.name);
      i++;
    } else {
      if (rest !== null) {
        fault(item, "only :as may follow the & pattern");
        return invalid;
      }
      positional.push(lowerPattern(item, scope, fault, lower));
    }
  }
  return { kind: "seq", items: positional, rest, as, span: pattern.span };
}

function lowerMap(pattern: MapForm, scope: LexScope, fault: PatternFault, lower: LowerExpr): Pattern {
  const entries: { entry: Omit<MapEntryPattern, "fallback">; name: string | null }[] = [];
  let as: Binding | null = null;
  let defaults: MapForm | undefined;
  const items = pattern.items;
  for (let i = 0; i + 1 < items.length; i += 2) {
    const left = items[i] as Form;
    const right = items[i + 1] as Form;
    if (
      left.kind === "keyword" &&
      left.ns === null &&
      (left.name === "keys" || left.name === "strs" || left.name === "syms")
    ) {
      const from = left.name;
      if (right.kind !== "vector") {
        fault(right, `:${from} expects a vector of names`);
        continue;
      }
      for (const name of right.items) {
        if (name.kind !== "symbol" && name.kind !== "keyword") {
          fault(name, `:${from} names must be symbols`);
          continue;
        }
        const key: Value = from === "strs" ? name.name : Keyword.of(name.name, name.ns);
        const binding = scope.define(name.name);
        entries.push({
          entry: { key, keySpan: name.span, from, pattern: { kind: "name", binding, span: name.span } },
          name: name.name,
        });
      }
    } else if (left.kind === "keyword" && left.ns === null && left.name === "as") {
      if (right.kind !== "symbol") {
        fault(right, ":as must be followed by a symbol");
        continue;
      }
      as = scope.define(right.name);
    } else if (left.kind === "keyword" && left.ns === null && left.name === "or") {
      if (right.kind !== "map") {
        fault(right, ":or expects a map of defaults");
        continue;
      }
      defaults = right;
    } else {
      const key = literalKey(right);
      if (key === undefined) {
        fault(right, "map pattern keys must be literals");
        continue;
      }
      entries.push({
        entry: { key, keySpan: right.span, from: "pair", pattern: lowerPattern(left, scope, fault, lower) },
        name: left.kind === "symbol" ? left.name : null,
      });
    }
  }
  // Defaults are lowered after every name is bound: they see the pattern's other names.
  const fallbacks = new Map<string, Node>();
  if (defaults !== undefined) {
    for (let i = 0; i + 1 < defaults.items.length; i += 2) {
      const name = defaults.items[i] as Form;
      if (name.kind === "symbol") fallbacks.set(name.name, lower(defaults.items[i + 1] as Form, scope));
    }
  }
  return {
    kind: "map",
    entries: entries.map(({ entry, name }) => ({
      ...entry,
      fallback: name === null ? null : (fallbacks.get(name) ?? null),
    })),
    as,
    span: pattern.span,
  };
}

function literalKey(form: Form): Value | undefined {
  switch (form.kind) {
    case "keyword":
      return Keyword.of(form.name, form.ns);
    case "string":
    case "number":
    case "boolean":
    case "char":
      return form.value;
    case "nil":
      return null;
    default:
      return undefined;
  }
}
