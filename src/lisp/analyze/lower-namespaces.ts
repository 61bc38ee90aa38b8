import type { SourceSpan } from "../../errors/span.js";
import type { Form, ListForm } from "../ast/nodes.js";
import { NAMESPACE_ALIASES, SHORT_NAMESPACES } from "../builtins/namespaces.js";
import type { Ctx, LowererApi } from "./context.js";
import type { Node } from "./ir.js";

/**
 * `ns` and `require`: a program may name the namespaces the language has (`clojure.string`,
 * `clojure.set`, `clojure.walk`, `clojure.data.json`, `clojure.core`) with an alias
 * (`(require '[clojure.string :as s])`, then `s/join`) or refer some of their functions by name
 * (`:refer [join split]`). Nothing is loaded: the builtins are there already; this only adds
 * names, from the form on. Anything else (`:refer :all`, `:import`, `:use`, another namespace)
 * is an `invalid_form` that says what is available.
 */

type Lowerer = LowererApi;

/** The namespaces a program may require: those the registry's builtins are declared in. */
function requirable(): string[] {
  const out = new Set<string>(["clojure.core"]);
  for (const [name, target] of NAMESPACE_ALIASES) if (name === target && name.startsWith("clojure.")) out.add(name);
  return [...out];
}

function available(): string {
  return requirable()
    .map((namespace) => {
      const short = SHORT_NAMESPACES.get(namespace);
      return short === undefined ? namespace : `${namespace} (${short}/)`;
    })
    .join(", ");
}

const RESERVED = new Set(["data", "tool", "js"]);

/** One `[namespace :as alias :refer [names]]` spec (or a bare namespace symbol). */
function requireSpec(lowerer: Lowerer, spec: Form, form: string): void {
  const fail = (reason: string, span: SourceSpan) => {
    lowerer.invalid(form, reason, span);
  };
  const unquoted = spec.kind === "list" && spec.sugar === "quote" ? spec.items[1] : spec;
  if (unquoted === undefined) return;
  if (unquoted.kind === "symbol" && unquoted.ns === null) {
    checkNamespace(unquoted.name, unquoted.span, fail);
    return;
  }
  if (unquoted.kind !== "vector" || unquoted.items[0]?.kind !== "symbol") {
    fail("expects [namespace :as alias] or [namespace :refer [names]]", unquoted.span);
    return;
  }
  const head = unquoted.items[0];
  const namespace = head.ns === null ? head.name : `${head.ns}/${head.name}`;
  if (!checkNamespace(namespace, head.span, fail)) return;
  const items = unquoted.items;
  for (let i = 1; i < items.length; i += 2) {
    const option = items[i] as Form;
    const value = items[i + 1];
    if (option.kind !== "keyword" || value === undefined) {
      fail("expects :as alias or :refer [names] after the namespace", option.span);
      return;
    }
    if (option.name === "as") {
      if (value.kind !== "symbol" || value.ns !== null || RESERVED.has(value.name)) {
        fail(":as expects a plain name (not data, tool or js)", value.span);
        return;
      }
      lowerer.aliasNamespace(value.name, namespace);
    } else if (option.name === "refer") {
      if (value.kind !== "vector") {
        fail(
          `:refer ${value.kind === "keyword" ? `:${value.name}` : "needs a vector"} is not supported: name the functions (:refer [f g]) or use an alias`,
          value.span,
        );
        return;
      }
      for (const name of value.items) {
        if (name.kind !== "symbol" || name.ns !== null) fail(":refer expects names", name.span);
        else if (!lowerer.refer(name.name, namespace)) fail(`${namespace} has no function ${name.name}`, name.span);
      }
    } else {
      fail(`:${option.name} is not supported; use :as alias or :refer [names]`, option.span);
      return;
    }
  }
}

function checkNamespace(
  namespace: string,
  span: SourceSpan,
  fail: (reason: string, span: SourceSpan) => void,
): boolean {
  if (requirable().includes(namespace)) return true;
  fail(`${namespace} is not available; the namespaces are ${available()}`, span);
  return false;
}

/** `(require 'clojure.string)`, `(require '[clojure.string :as s] ...)`. */
export function lowerRequire(lowerer: Lowerer, form: ListForm, _ctx: Ctx): Node {
  for (const spec of form.items.slice(1)) requireSpec(lowerer, spec, "require");
  return { kind: "const", value: null, span: form.span };
}

/** `(ns name docstring? (:require specs...))`: other clauses are refused with what is available. */
export function lowerNs(lowerer: Lowerer, form: ListForm, _ctx: Ctx): Node {
  const name = form.items[1];
  if (name?.kind !== "symbol") return lowerer.invalid("ns", "expects a namespace name", name?.span ?? form.span);
  for (const clause of form.items.slice(2)) {
    if (clause.kind === "string" || clause.kind === "map") continue;
    const head = clause.kind === "list" ? clause.items[0] : undefined;
    if (clause.kind !== "list" || head?.kind !== "keyword") {
      lowerer.invalid("ns", "expects clauses like (:require [clojure.string :as s])", clause.span);
      continue;
    }
    if (head.name !== "require") {
      lowerer.invalid("ns", `(:${head.name} ...) is not supported; only (:require ...) of ${available()}`, clause.span);
      continue;
    }
    for (const spec of clause.items.slice(1)) requireSpec(lowerer, spec, "ns");
  }
  return { kind: "const", value: null, span: form.span };
}
