import { formatHint } from "../errors/codes.js";
import type { SourceSpan } from "../errors/span.js";
import { closestName } from "../internal/suggest.js";
import type {
  BuiltinCallNode,
  CallNode,
  CollectionNode,
  ConstNode,
  DataNode,
  KeywordCallNode,
  Node,
  ToolCallNode,
} from "../lisp/analyze/ir.js";
import type { Form } from "../lisp/ast/nodes.js";
import { Keyword } from "../lisp/values/value.js";
import { fieldPath } from "../signature/check-value.js";
import { acceptsNil, type Type } from "../signature/types.js";
import { builtinResult } from "./builtin-types.js";
import { CheckerCore, DEPTH_LIMIT, type Env, type Expect, STEP_LIMIT } from "./checker-core.js";
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

/** The nodes whose typing check-types.ts owns: control flow, bindings, functions and definitions. */
export type ControlNode = Extract<
  Node,
  {
    kind:
      | "if"
      | "do"
      | "and"
      | "or"
      | "let"
      | "loop"
      | "recur"
      | "fn"
      | "def"
      | "defn"
      | "letfn"
      | "throw"
      | "try"
      | "case"
      | "for"
      | "doseq";
  }
>;

/** The key a literal keyword or string names (`:a/b` → "a/b"); undefined for any other node. */
function mapKeyName(node: Node): string | undefined {
  if (node.kind !== "const" || node.quoted !== undefined) return undefined;
  if (node.value instanceof Keyword) return node.value.fqn;
  return node.form?.kind === "string" ? node.form.value : undefined;
}

/** A literal `nil` written in the program (or supplied by a macro). */
function isNilLiteral(node: Node): boolean {
  return node.kind === "const" && node.quoted === undefined && node.form?.kind === "nil";
}

/** Inference of constants, names, collection literals and calls of builtins, tools and functions. */
export abstract class NodeChecker extends CheckerCore {
  protected abstract control(node: ControlNode, env: Env, expect: Expect | undefined): [Ty, boolean];

  // -------------------------------------------------------------------------------------------
  // Inference

  infer(node: Node, env: Env, expect?: Expect): Ty {
    if (this.exhausted) return ANY_T;
    if (++this.steps > STEP_LIMIT || this.depth >= DEPTH_LIMIT) {
      this.exhausted = true;
      return ANY_T;
    }
    this.depth++;
    try {
      const [ty, handled] = this.inferNode(node, env, expect);
      // A nil a macro supplied (the missing else of `when`) makes a mismatch only possible.
      if (expect !== undefined && !handled)
        this.conformTo(ty, expect, node.expandedFrom ?? node.span, node.kind === "const" && node.synthetic === true);
      return ty;
    } finally {
      this.depth--;
    }
  }

  /** The type of a node; `true` when the node checked `expect` itself (in its tail positions). */
  protected inferNode(node: Node, env: Env, expect: Expect | undefined): [Ty, boolean] {
    switch (node.kind) {
      case "const":
        return [this.constant(node), false];
      case "regex":
      case "invalid":
        return [ANY_T, false];
      case "local":
        return [env.get(node.binding) ?? ANY_T, false];
      case "global":
        return [this.globals.get(node.name) ?? ANY_T, false];
      case "builtin":
        return [this.builtinTy(node.builtin), false];
      case "data":
        return [env.get(`data/${node.name}`) ?? this.dataKey(node), false];
      case "vector":
        return this.vector(node, env, expect);
      case "set":
        return [{ k: "set", el: join(node.items.map((item) => widen(this.infer(item, env)))) }, false];
      case "map":
        return this.map(node, env, expect);
      case "keyword-call":
        return [this.keywordCall(node, env), false];
      case "builtin-call":
        return this.builtinCall(node, env);
      case "tool":
        return [this.toolCall(node, env), false];
      case "call":
        return [this.valueCall(node, env), false];
      default:
        return this.control(node, env, expect);
    }
  }

  protected constant(node: ConstNode): Ty {
    if (node.quoted !== undefined) return this.quoted(node.quoted);
    const form = node.form;
    if (form === undefined) {
      // A constant a name denotes (`Math/PI`, `Long/MAX_VALUE`), `(var x)`, or the nil of `(declare f)`.
      const value = node.value;
      if (value === null) return NIL;
      if (typeof value === "number") return Number.isSafeInteger(value) ? INT : NUM;
      if (typeof value === "boolean") return BOOL;
      return ANY_T;
    }
    switch (form.kind) {
      case "nil":
        return NIL;
      case "boolean":
        return BOOL;
      case "number":
        return Number.isInteger(form.value)
          ? { k: "int", lit: form.value }
          : Number.isFinite(form.value)
            ? { k: "num", lit: form.value }
            : NUM;
      case "string":
        return { k: "str", lit: form.value };
      case "char":
        return STR;
      case "keyword":
        return { k: "kw", lit: form.ns ? `${form.ns}/${form.name}` : form.name };
      case "list":
        return seqOf(NEVER);
      default:
        return ANY_T;
    }
  }

  /** The type of a quoted form's value. */
  protected quoted(form: Form): Ty {
    switch (form.kind) {
      case "nil":
        return NIL;
      case "boolean":
        return BOOL;
      case "number":
        return Number.isInteger(form.value) ? INT : NUM;
      case "string":
        return STR;
      case "keyword":
        return { k: "kw", lit: form.ns ? `${form.ns}/${form.name}` : form.name };
      case "list":
      case "vector":
        return seqOf(ANY_T);
      default:
        return ANY_T;
    }
  }

  protected dataKey(node: DataNode): Ty {
    if (this.params === undefined) return ANY_T;
    const type = this.params.get(node.name);
    if (type !== undefined) return fromType(type);
    if (this.closedData) {
      const names = [...this.params.keys()];
      const suggestion = closestName(node.name, names);
      this.report(
        "unknown_data_key",
        { name: node.name, inputs: names.length === 0 ? "none" : names.map((n) => `data/${n}`).join(", ") },
        node.span,
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

  protected vector(node: CollectionNode, env: Env, expect: Expect | undefined): [Ty, boolean] {
    const target = this.literalTarget(expect, "list");
    const spans = node.items.map((item) => item.span);
    if (expect !== undefined && target !== undefined && (target.kind === "list" || target.kind === "set")) {
      const items = node.items.map((item, i) =>
        this.infer(item, env, this.sub(expect, target.element, `${expect.path}[${i}]`)),
      );
      return [{ k: "tuple", items, spans }, true];
    }
    const items = node.items.map((item) => this.infer(item, env));
    return [{ k: "tuple", items, spans }, false];
  }

  protected map(node: CollectionNode, env: Env, expect: Expect | undefined): [Ty, boolean] {
    const target = this.literalTarget(expect, "record");
    const pairs: { key: Node; value: Node; name: string | undefined }[] = [];
    for (let i = 0; i + 1 < node.items.length; i += 2) {
      const key = node.items[i] as Node;
      pairs.push({ key, value: node.items[i + 1] as Node, name: mapKeyName(key) });
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
          node.span,
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
        node.span,
      );
    }
    return [rec(fields, true), true];
  }

  // -------------------------------------------------------------------------------------------
  // Calls

  protected keywordCall(node: KeywordCallNode, env: Env): Ty {
    const target = this.infer(node.target, env);
    const fallback = node.fallback === null ? undefined : this.infer(node.fallback, env);
    const found = this.field(target, node.key.fqn, node.keySpan);
    return fallback === undefined ? found : join([nonNil(found), fallback]);
  }

  protected valueCall(node: CallNode, env: Env): Ty {
    const callee = this.infer(node.callee, env);
    const args = node.args.map((arg) => this.infer(arg, env));
    const named = node.callee.kind === "local" || node.callee.kind === "global";
    // The analyzer already checks calls to `defn` globals by name.
    const checkArity = !(node.callee.kind === "global" && this.defnNames.has(node.callee.name));
    return this.apply(callee, args, node.span, { ...(named ? { direct: node.name } : {}), checkArity });
  }

  protected builtinCall(node: BuiltinCallNode, env: Env): [Ty, boolean] {
    const builtin = node.builtin;
    const rule = builtin.spec.types;
    if (typeof rule === "object" && "exits" in rule) {
      // The program ends here: with the first argument as its result, or with a fault.
      const [value, ...rest] = node.args;
      if (value !== undefined) this.infer(value, env, rule.exits === "output" ? this.output : undefined);
      for (const arg of rest) this.infer(arg, env);
      return [NEVER, true];
    }
    const args: Arg[] = node.args.map((arg) => ({ ty: this.infer(arg, env), node: arg }));
    return [builtinResult(builtin, args, this), false];
  }

  protected toolCall(node: ToolCallNode, env: Env): Ty {
    const name = node.name;
    const contract = this.tools.get(name) ?? this.tools.get(snake(name));
    const args = node.args;
    const input = contract?.input;
    if (input === undefined) {
      for (const arg of args) this.infer(arg, env);
    } else {
      const expect: Expect = { type: input, mode: "input", tool: name, path: "" };
      if (args.length === 0 || (args.length === 1 && isNilLiteral(args[0] as Node))) {
        this.conformTo(rec(new Map(), true), expect, node.span);
      } else if (args.length === 1) {
        this.infer(args[0] as Node, env, expect);
      } else if (args.length % 2 === 0) {
        // `(tool/f :k v ...)` is checked as the map `{:k v ...}`.
        this.infer({ kind: "map", items: args, span: node.span }, env, expect);
      } else {
        for (const arg of args) this.infer(arg, env);
      }
    }
    return contract?.output === undefined ? ANY_T : fromType(contract.output);
  }

  // -------------------------------------------------------------------------------------------
  // Bodies

  /** Nodes in sequence, `expect` on the last; an empty body is nil (checked at `span`). */
  protected body(nodes: readonly Node[], env: Env, expect: Expect | undefined, span: SourceSpan): Ty {
    if (nodes.length === 0) {
      if (expect !== undefined) this.conformTo(NIL, expect, span, true);
      return NIL;
    }
    let ty: Ty = NIL;
    nodes.forEach((node, i) => {
      ty = this.infer(node, env, i === nodes.length - 1 ? expect : undefined);
    });
    return ty;
  }
}
