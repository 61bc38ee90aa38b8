import { formatHint } from "../errors/codes.js";
import type { SourceSpan } from "../errors/span.js";
import { closestName } from "../internal/suggest.js";
import { MacroError, macroFor } from "../lisp/analyze/macros.js";
import { isSpecialForm } from "../lisp/analyze/special-forms.js";
import type { Form, ListForm, MapForm, SymbolForm, VectorForm } from "../lisp/ast/nodes.js";
import { BUILTINS, type BuiltinFn, lookupBuiltin } from "../lisp/builtins/registry.js";
import { fieldPath } from "../signature/check-value.js";
import { acceptsNil, type Type } from "../signature/types.js";
import { builtinResult } from "./builtin-types.js";
import {
  CheckerCore,
  collectForms,
  DEPTH_LIMIT,
  type Env,
  type Expect,
  literalName,
  markSynthesized,
  QUALIFIED_INTS,
  QUALIFIED_NUMBERS,
  STEP_LIMIT,
} from "./checker-core.js";
import { snake } from "./conform.js";
import {
  ANY_T,
  type Arg,
  BOOL,
  describeTy,
  describeType,
  type FieldTy,
  fromType,
  INT,
  join,
  NEVER,
  NIL,
  NUM,
  nonNil,
  rec,
  STR,
  seqOf,
  type Ty,
  widen,
} from "./static-types.js";

/** Inference of literals, symbols, calls of builtins, tools and functions. */
export abstract class FormChecker extends CheckerCore {
  protected abstract special(name: string, form: ListForm, env: Env, expect: Expect | undefined): [Ty, boolean];
  protected abstract fnLiteral(body: ListForm, env: Env): Ty;
  protected abstract bind(pattern: Form, ty: Ty, vars: Map<string, Ty>, env: Env): void;

  // -------------------------------------------------------------------------------------------
  // Inference

  infer(form: Form, env: Env, expect?: Expect): Ty {
    if (this.exhausted) return ANY_T;
    if (++this.steps > STEP_LIMIT || this.depth >= DEPTH_LIMIT) {
      this.exhausted = true;
      return ANY_T;
    }
    this.depth++;
    try {
      const [ty, handled] = this.inferForm(form, env, expect);
      if (expect !== undefined && !handled) this.conformTo(ty, expect, form.span, this.synthesized.has(form));
      return ty;
    } finally {
      this.depth--;
    }
  }

  /** The type of a form; `true` when the form checked `expect` itself (in its tail positions). */
  protected inferForm(form: Form, env: Env, expect: Expect | undefined): [Ty, boolean] {
    switch (form.kind) {
      case "nil":
        return [NIL, false];
      case "boolean":
        return [BOOL, false];
      case "number":
        return [
          Number.isInteger(form.value)
            ? { k: "int", lit: form.value }
            : Number.isFinite(form.value)
              ? { k: "num", lit: form.value }
              : NUM,
          false,
        ];
      case "string":
        return [{ k: "str", lit: form.value }, false];
      case "char":
        return [STR, false];
      case "keyword":
        return [{ k: "kw", lit: literalName(form) as string }, false];
      case "regex":
        return [ANY_T, false];
      case "symbol":
        return [this.symbol(form, env), false];
      case "vector":
        return this.vector(form, env, expect);
      case "set":
        return [{ k: "set", el: join(form.items.map((item) => widen(this.infer(item, env)))) }, false];
      case "map":
        return this.map(form, env, expect);
      case "fn-literal":
        return [this.fnLiteral(form.body, env), false];
      case "list":
        return this.list(form, env, expect);
    }
  }

  protected symbol(form: SymbolForm, env: Env): Ty {
    const { ns, name } = form;
    if (ns === "data") return env.get(`data/${name}`) ?? this.dataKey(form);
    if (ns === null) {
      const local = env.get(name) ?? (name === "%" ? env.get("%1") : undefined);
      if (local !== undefined) return local;
      const global = this.globals.get(name);
      if (global !== undefined) return global;
      const builtin = BUILTINS.get(name);
      return builtin === undefined ? ANY_T : this.builtinTy(builtin);
    }
    const full = `${ns}/${name}`;
    if (QUALIFIED_INTS.has(full)) return INT;
    if (QUALIFIED_NUMBERS.has(full)) return NUM;
    const builtin = lookupBuiltin(ns, name);
    return builtin === undefined ? ANY_T : this.builtinTy(builtin);
  }

  protected dataKey(form: SymbolForm): Ty {
    if (this.params === undefined) return ANY_T;
    const type = this.params.get(form.name);
    if (type !== undefined) return fromType(type);
    if (this.closedData) {
      const names = [...this.params.keys()];
      const suggestion = closestName(form.name, names);
      this.report(
        "unknown_data_key",
        { name: form.name, inputs: names.length === 0 ? "none" : names.map((n) => `data/${n}`).join(", ") },
        form.span,
        "error",
        suggestion === undefined ? undefined : formatHint("did_you_mean", { name: `data/${suggestion}` }),
      );
    }
    return ANY_T;
  }

  protected sub(expect: Expect, type: Type, path: string): Expect {
    return { ...expect, type, path };
  }

  /** The record or list type an expectation reduces to for a literal (which is never nil). */
  protected literalTarget(expect: Expect | undefined, kind: "record" | "list"): Type | undefined {
    if (expect === undefined) return undefined;
    let type = expect.type;
    while (type.kind === "optional") type = type.type;
    if (type.kind === "union") {
      const matching = type.members.filter((member) =>
        kind === "record" ? member.kind === "record" : member.kind === "list" || member.kind === "set",
      );
      if (matching.length !== 1) return undefined;
      type = matching[0] as Type;
    }
    if (kind === "record" && type.kind === "record") return type;
    if (kind === "list" && (type.kind === "list" || type.kind === "set")) return type;
    return undefined;
  }

  protected vector(form: VectorForm, env: Env, expect: Expect | undefined): [Ty, boolean] {
    const target = this.literalTarget(expect, "list");
    if (expect !== undefined && target !== undefined && (target.kind === "list" || target.kind === "set")) {
      const items = form.items.map((item, i) =>
        this.infer(item, env, this.sub(expect, target.element, `${expect.path}[${i}]`)),
      );
      return [{ k: "tuple", items, spans: form.items.map((item) => item.span) }, true];
    }
    const items = form.items.map((item) => this.infer(item, env));
    return [{ k: "tuple", items, spans: form.items.map((item) => item.span) }, false];
  }

  protected map(form: MapForm, env: Env, expect: Expect | undefined): [Ty, boolean] {
    const target = this.literalTarget(expect, "record");
    const pairs: { key: Form; value: Form; name: string | undefined }[] = [];
    for (let i = 0; i + 1 < form.items.length; i += 2) {
      const key = form.items[i] as Form;
      pairs.push({ key, value: form.items[i + 1] as Form, name: literalName(key) });
    }
    const allLiteral = pairs.every((pair) => pair.name !== undefined);
    if (expect === undefined || target === undefined || target.kind !== "record" || !allLiteral) {
      if (!allLiteral) {
        const keys = pairs.map((pair) => widen(this.infer(pair.key, env)));
        const values = pairs.map((pair) => this.infer(pair.value, env));
        return [{ k: "dict", key: join(keys), value: join(values) }, false];
      }
      const fields = new Map<string, FieldTy>();
      for (const pair of pairs) {
        fields.set(pair.name as string, {
          ty: this.infer(pair.value, env),
          optional: false,
          span: pair.value.span,
          keySpan: pair.key.span,
        });
      }
      return [rec(fields, true), false];
    }
    const key = expect.mode === "input" ? snake : (name: string) => name;
    const declared = new Map(target.fields.map((field) => [key(field.name), field]));
    const fields = new Map<string, FieldTy>();
    const given = new Set<string>();
    for (const pair of pairs) {
      const name = pair.name as string;
      given.add(key(name));
      const field = declared.get(key(name));
      let ty: Ty;
      if (field !== undefined) {
        ty = this.infer(pair.value, env, this.sub(expect, field.type, fieldPath(expect.path, field.name)));
      } else if (target.rest !== undefined) {
        ty = this.infer(pair.value, env, this.sub(expect, target.rest.value, fieldPath(expect.path, name)));
      } else {
        ty = this.infer(pair.value, env);
        this.reportProblem(
          {
            kind: "extra",
            v: "no",
            path: fieldPath(expect.path, name),
            expected: describeType(target),
            actual: describeTy(ty),
            span: pair.key.span,
          },
          expect,
          form.span,
        );
      }
      fields.set(name, { ty, optional: false, span: pair.value.span, keySpan: pair.key.span });
    }
    for (const field of target.fields) {
      if (given.has(key(field.name)) || acceptsNil(field.type)) continue;
      this.reportProblem(
        {
          kind: "missing",
          v: "no",
          path: fieldPath(expect.path, field.name),
          expected: describeType(field.type),
          actual: "missing",
        },
        expect,
        form.span,
      );
    }
    return [rec(fields, true), true];
  }

  protected list(form: ListForm, env: Env, expect: Expect | undefined): [Ty, boolean] {
    const head = form.items[0];
    if (head === undefined) return [seqOf(NEVER), false];
    if (head.kind === "symbol") {
      const { ns, name } = head;
      if (ns === null && !env.has(name)) {
        if (isSpecialForm(name)) return this.special(name, form, env, expect);
        const expander = macroFor(name);
        if (expander !== undefined && !this.globals.has(name)) {
          let expanded: Form;
          try {
            expanded = expander(form);
          } catch (error) {
            if (error instanceof MacroError) return [ANY_T, false];
            throw error;
          }
          const original = new Set<Form>();
          collectForms(form, original);
          markSynthesized(expanded, original, this.synthesized);
          return this.inferForm(expanded, env, expect);
        }
      }
      if (ns === "tool") return [this.toolCall(head, form, env), false];
      const builtin =
        ns === null
          ? env.has(name) || this.globals.has(name)
            ? undefined
            : BUILTINS.get(name)
          : lookupBuiltin(ns, name);
      if (builtin !== undefined) return this.builtinCall(builtin, form, env);
    }
    if (head.kind === "keyword") {
      const name = literalName(head) as string;
      const args = form.items.slice(1).map((item) => this.infer(item, env));
      if (args.length === 0) return [ANY_T, false];
      const found = this.field(args[0] as Ty, name, head.span);
      return [args.length > 1 ? join([nonNil(found), args[1] as Ty]) : found, false];
    }
    const callee = this.infer(head, env);
    const args = form.items.slice(1).map((item) => this.infer(item, env));
    const direct = head.kind === "symbol" && head.ns === null ? head.name : undefined;
    // The analyzer already checks calls to `defn` globals by name.
    const checkArity = !(direct !== undefined && !env.has(direct) && this.defnNames.has(direct));
    return [this.apply(callee, args, form.span, { ...(direct !== undefined ? { direct } : {}), checkArity }), false];
  }

  protected builtinCall(builtin: BuiltinFn, form: ListForm, env: Env): [Ty, boolean] {
    const argForms = form.items.slice(1);
    const rule = builtin.spec.types;
    if (typeof rule === "object" && "exits" in rule) {
      // The program ends here: with the first argument as its result, or with a fault.
      const [value, ...rest] = argForms;
      if (value !== undefined) this.infer(value, env, rule.exits === "output" ? this.output : undefined);
      for (const arg of rest) this.infer(arg, env);
      return [NEVER, true];
    }
    const args: Arg[] = argForms.map((arg) => ({ ty: this.infer(arg, env), form: arg }));
    return [builtinResult(builtin, args, this), false];
  }

  protected toolCall(head: SymbolForm, form: ListForm, env: Env): Ty {
    const name = head.name;
    const contract = this.tools.get(name) ?? this.tools.get(snake(name));
    const args = form.items.slice(1);
    const input = contract?.input;
    if (input === undefined) {
      for (const arg of args) this.infer(arg, env);
    } else {
      const expect: Expect = { type: input, mode: "input", tool: name, path: "" };
      if (args.length === 0 || (args.length === 1 && (args[0] as Form).kind === "nil")) {
        this.conformTo(rec(new Map(), true), expect, form.span);
      } else if (args.length === 1) {
        this.infer(args[0] as Form, env, expect);
      } else if (args.length % 2 === 0) {
        this.infer({ kind: "map", items: args, span: form.span }, env, expect);
      } else {
        for (const arg of args) this.infer(arg, env);
      }
    }
    return contract?.output === undefined ? ANY_T : fromType(contract.output);
  }

  // -------------------------------------------------------------------------------------------
  // Special forms

  /** Forms in sequence, `expect` on the last; an empty body is nil (checked at `span`). */
  protected body(forms: readonly Form[], env: Env, expect: Expect | undefined, span: SourceSpan): Ty {
    if (forms.length === 0) {
      if (expect !== undefined) this.conformTo(NIL, expect, span, true);
      return NIL;
    }
    let ty: Ty = NIL;
    forms.forEach((form, i) => {
      ty = this.infer(form, env, i === forms.length - 1 ? expect : undefined);
    });
    return ty;
  }

  protected bindings(vector: Form | undefined, env: Env, loop: boolean): Env {
    if (vector?.kind !== "vector") return env;
    let current = env;
    for (let i = 0; i + 1 < vector.items.length; i += 2) {
      const init = this.infer(vector.items[i + 1] as Form, current);
      const vars = new Map<string, Ty>();
      this.bind(vector.items[i] as Form, loop ? widen(init) : init, vars, current);
      current = current.child(vars);
    }
    return current;
  }
}
