import { makeError } from "../../errors/errors.js";
import type { SourceSpan } from "../../errors/span.js";
import { BUILTINS, type BuiltinFn } from "../builtins/registry.js";
import { describeValue } from "../builtins/support.js";
import { callValue, callValue0, callValue1, callValue2, callValue3 } from "../eval/call.js";
import type { Exec } from "../eval/closure.js";
import { anyResumable, callResumably, resumableAll, resumableOf, type Step, withGen } from "../eval/resumable.js";
import { CURRENT, type Frame, rt } from "../eval/runtime.js";
import { getValue } from "../values/access.js";
import { LMap, PMap, type Value } from "../values/value.js";
import { compileDoseq, compileFor } from "./compile-comprehension.js";
import {
  type CompilerApi,
  compileCase,
  compileDef,
  compileDefn,
  compileFn,
  compileIf,
  compileLet,
  compileLetfn,
  compileLoop,
  compileRecur,
  compileShortCircuit,
  compileThrow,
  compileTry,
} from "./compile-forms.js";
import { annotate, COLLECTIONS, constant, constantValue } from "./exec-support.js";
import type { BuiltinCallNode, CallNode, CollectionNode, KeywordCallNode, Node, ToolCallNode } from "./ir.js";
import { binaryOperatorNode, type Slow1, type Slow2, unaryOperatorNode } from "./number-operators.js";
import { readRef, slotOf } from "./scope.js";

/**
 * Builds the closures that run a lowered program (SCI style: a tree of closures over a frame
 * of slots). Each node becomes one closure, specialised where it measures (calls of up to three
 * arguments without an array, inline number operators, local and constant operands read
 * directly); a node that can reach a tool call also gets a resumable form
 * (docs/adr/0003-resumable-tool-calls.md). Nothing here reports: `lower.ts` checked everything.
 */
export class Compiler implements CompilerApi {
  constructor(
    /** Whether the program can reach a tool call: calls then get resumable forms. */
    private readonly resumable: boolean,
  ) {}

  compileAll(nodes: readonly Node[]): Exec[] {
    const execs = new Array<Exec>(nodes.length);
    for (let i = 0; i < nodes.length; i++) execs[i] = this.compile(nodes[i] as Node);
    return execs;
  }

  body(nodes: readonly Node[]): Exec {
    return this.sequence(this.compileAll(nodes));
  }

  compile(node: Node): Exec {
    switch (node.kind) {
      case "const":
        return constant(node.value);
      case "invalid":
        return constant(null);
      case "regex":
        return this.regex(node.pattern, node.span);
      case "local":
        return readRef(node.ref);
      case "global": {
        const index = node.index;
        return (_f) => rt.globals[index] as Value;
      }
      case "builtin":
        return constant(node.builtin);
      case "data": {
        const key = node.key;
        return (_f) => getValue(rt.data, key);
      }
      case "vector":
      case "set":
      case "map":
        return this.collection(node, COLLECTIONS[node.kind]);
      case "if":
        return compileIf(this, node);
      case "do":
        return this.body(node.body);
      case "and":
      case "or":
        return compileShortCircuit(this, node);
      case "let":
        return compileLet(this, node);
      case "loop":
        return compileLoop(this, node);
      case "recur":
        return compileRecur(this, node);
      case "fn":
        return compileFn(this, node);
      case "def":
        return compileDef(this, node);
      case "defn":
        return compileDefn(this, node);
      case "letfn":
        return compileLetfn(this, node);
      case "throw":
        return compileThrow(this, node);
      case "try":
        return compileTry(this, node);
      case "case":
        return compileCase(this, node);
      case "for":
        return compileFor(this, node);
      case "doseq":
        return compileDoseq(this, node);
      case "tool":
        return this.toolCall(node);
      case "keyword-call":
        return this.keywordCall(node);
      case "builtin-call":
        return this.builtinCall(node);
      case "call":
        return this.call(node);
    }
  }

  /** Runs execs in order, returning the last value (nil when empty). */
  sequence(execs: readonly Exec[]): Exec {
    if (execs.length === 0) return constant(null);
    if (execs.length === 1) return execs[0] as Exec;
    const exec = this.sequenceSync(execs);
    if (!anyResumable(execs)) return exec;
    const gens = resumableAll(execs);
    const last = gens.length - 1;
    return withGen(exec, function* (f) {
      for (let i = 0; i < last; i++) yield* (gens[i] as (f: Frame) => Step)(f);
      return yield* (gens[last] as (f: Frame) => Step)(f);
    });
  }

  private sequenceSync(execs: readonly Exec[]): Exec {
    if (execs.length === 2) {
      const [a, b] = execs as [Exec, Exec];
      return (f) => {
        a(f);
        return b(f);
      };
    }
    const last = execs.length - 1;
    return (f) => {
      for (let i = 0; i < last; i++) (execs[i] as Exec)(f);
      return (execs[last] as Exec)(f);
    };
  }

  private regex(pattern: string, span: SourceSpan): Exec {
    const rePattern = BUILTINS.get("re-pattern");
    if (rePattern === undefined) throw new Error("the registry has no re-pattern");
    let cached: Value | undefined;
    return (f) => {
      if (cached === undefined) {
        try {
          cached = rePattern.invoke(CURRENT, [pattern]);
        } catch (error) {
          throw annotate(error, span, "regex");
        }
      }
      void f;
      return cached;
    };
  }

  private collection(node: CollectionNode, build: (items: Value[]) => Value): Exec {
    const execs = this.compileAll(node.items);
    const folded = execs.map((exec) => constantValue(exec));
    if (folded.every((value) => value !== undefined)) return constant(build(folded as Value[]));
    const count = execs.length;
    const exec: Exec = (f) => {
      const items = new Array<Value>(count);
      for (let i = 0; i < count; i++) items[i] = (execs[i] as Exec)(f);
      rt.alloc(count * 8);
      return build(items);
    };
    if (!anyResumable(execs)) return exec;
    const gens = resumableAll(execs);
    return withGen(exec, function* (f) {
      const items = new Array<Value>(count);
      for (let i = 0; i < count; i++) items[i] = yield* (gens[i] as (f: Frame) => Step)(f);
      rt.alloc(count * 8);
      return build(items);
    });
  }

  private toolCall(node: ToolCallNode): Exec {
    const name = node.name;
    const span = node.span;
    const args = this.compileAll(node.args);
    const mapHint = node.hint;
    const toArgument = (values: readonly Value[]): Value => {
      if (values.length === 0) return PMap.EMPTY;
      if (values.length === 1) {
        const value = values[0] as Value;
        if (value === null) return PMap.EMPTY;
        if (!(value instanceof LMap))
          throw annotate(
            makeError(
              "wrong_argument_type",
              { fn: `tool/${name}`, expected: "a map of arguments", actual: describeValue(value) },
              { hint: mapHint },
            ),
            span,
            `tool/${name}`,
          );
        return value;
      }
      return PMap.fromKeyValues(values);
    };
    const argument = (f: Frame): Value => {
      const values = new Array<Value>(args.length);
      for (let i = 0; i < args.length; i++) values[i] = (args[i] as Exec)(f);
      return toArgument(values);
    };
    const exec: Exec = (f) => {
      const value = argument(f);
      try {
        return rt.callTool(name, value);
      } catch (error) {
        throw annotate(error, span, `tool/${name}`);
      }
    };
    if (!this.resumable) return exec;
    // The argument map is built synchronously unless an argument itself calls a tool.
    const gens = anyResumable(args) ? resumableAll(args) : undefined;
    const resumableArgument = function* (f: Frame): Step {
      if (gens === undefined) return argument(f);
      const values = new Array<Value>(gens.length);
      for (let i = 0; i < gens.length; i++) values[i] = yield* (gens[i] as (f: Frame) => Step)(f);
      return toArgument(values);
    };
    return withGen(exec, function* (f) {
      const value = yield* resumableArgument(f);
      try {
        const call = rt.prepareToolCall(name, value);
        let outcome = rt.outcomeOf(call);
        if (outcome === undefined) {
          yield [call];
          outcome = rt.outcomeOf(call);
          if (outcome === undefined) throw new Error(`the outcome of tool/${name} was not recorded`);
        }
        return rt.resolveToolCall(call, outcome);
      } catch (error) {
        throw annotate(error, span, `tool/${name}`);
      }
    });
  }

  private keywordCall(node: KeywordCallNode): Exec {
    const key = node.key;
    const target = this.compile(node.target);
    const fallback = node.fallback === null ? undefined : this.compile(node.fallback);
    const exec: Exec =
      fallback === undefined ? (f) => getValue(target(f), key) : (f) => getValue(target(f), key, fallback(f));
    if (!anyResumable([target, fallback])) return exec;
    const [targetGen, fallbackGen] = resumableAll(fallback === undefined ? [target] : [target, fallback]);
    return withGen(exec, function* (f) {
      const value = yield* (targetGen as (f: Frame) => Step)(f);
      return fallbackGen === undefined ? getValue(value, key) : getValue(value, key, yield* fallbackGen(f));
    });
  }

  private call(node: CallNode): Exec {
    const span = node.span;
    const callee = this.compile(node.callee);
    const args = this.compileAll(node.args);
    const name = node.name;
    const count = args.length;
    const exec = callNode(callee, args, span, name);
    if (!this.resumable) return exec;
    // The callee may be a closure that calls tools: the call is resumable.
    const calleeGen = resumableOf(callee);
    const gens = resumableAll(args);
    return withGen(exec, function* (f) {
      const fn = yield* calleeGen(f);
      const values = new Array<Value>(count);
      for (let i = 0; i < count; i++) values[i] = yield* (gens[i] as (f: Frame) => Step)(f);
      try {
        return yield* callResumably(fn, values);
      } catch (error) {
        throw annotate(error, span, name);
      }
    });
  }

  private builtinCall(node: BuiltinCallNode): Exec {
    return this.builtinCallOf(node.builtin, this.compileAll(node.args), node.span);
  }

  private builtinCallOf(builtin: BuiltinFn, args: readonly Exec[], span: SourceSpan): Exec {
    const exec = this.builtinCallSync(builtin, args, span);
    if (!this.resumable || (!anyResumable(args) && builtin.resume === undefined)) return exec;
    const gens = resumableAll(args);
    const count = args.length;
    const name = builtin.name;
    return withGen(exec, function* (f) {
      const values = new Array<Value>(count);
      for (let i = 0; i < count; i++) values[i] = yield* (gens[i] as (f: Frame) => Step)(f);
      try {
        return yield* builtin.callResumably(values);
      } catch (error) {
        throw annotate(error, span, name);
      }
    });
  }

  private builtinCallSync(builtin: BuiltinFn, args: readonly Exec[], span: SourceSpan): Exec {
    const name = builtin.name;
    if (builtin.fuelRule !== "constant" || builtin.allocRule !== undefined) {
      const count = args.length;
      return (f) => {
        const values = new Array<Value>(count);
        for (let i = 0; i < count; i++) values[i] = (args[i] as Exec)(f);
        try {
          return builtin.call(CURRENT, values);
        } catch (error) {
          throw annotate(error, span, name);
        }
      };
    }
    // Constant-cost builtins (arithmetic, comparisons, predicates, lookups) are the hot path:
    // charge inline, call the implementation directly, and read local or constant arguments
    // without an extra closure call. Measured by the (a)-(c) benchmarks.
    const impl = builtin.spec.impl;
    const fail = (error: unknown): unknown => annotate(error, span, name);
    const [a, b] = args as [Exec, Exec];
    if (args.length === 1) {
      const slow: Slow1 = (x) => {
        rt.budget.charge(1);
        try {
          return impl(CURRENT, [x]);
        } catch (error) {
          throw fail(error);
        }
      };
      const inline = builtin.spec.inline;
      const operator = inline === undefined ? undefined : unaryOperatorNode(inline, a, slow);
      if (operator !== undefined) return operator;
      const sa = slotOf(a);
      if (sa !== undefined) {
        return (f) => {
          rt.budget.charge(1);
          try {
            return impl(CURRENT, [f.slots[sa] as Value]);
          } catch (error) {
            throw fail(error);
          }
        };
      }
      return (f) => {
        const x = a(f);
        rt.budget.charge(1);
        try {
          return impl(CURRENT, [x]);
        } catch (error) {
          throw fail(error);
        }
      };
    }
    if (args.length === 2) {
      const slow: Slow2 = (x, y) => {
        rt.budget.charge(1);
        try {
          return impl(CURRENT, [x, y]);
        } catch (error) {
          throw fail(error);
        }
      };
      const inline = builtin.spec.inline;
      const operator = inline === undefined ? undefined : binaryOperatorNode(inline, a, b, slow);
      if (operator !== undefined) return operator;
      const sa = slotOf(a);
      const sb = slotOf(b);
      const cb = constantValue(b);
      if (sa !== undefined && sb !== undefined) {
        return (f) => {
          rt.budget.charge(1);
          try {
            return impl(CURRENT, [f.slots[sa] as Value, f.slots[sb] as Value]);
          } catch (error) {
            throw fail(error);
          }
        };
      }
      if (sa !== undefined && cb !== undefined) {
        return (f) => {
          rt.budget.charge(1);
          try {
            return impl(CURRENT, [f.slots[sa] as Value, cb]);
          } catch (error) {
            throw fail(error);
          }
        };
      }
      if (cb !== undefined) {
        return (f) => {
          const x = a(f);
          rt.budget.charge(1);
          try {
            return impl(CURRENT, [x, cb]);
          } catch (error) {
            throw fail(error);
          }
        };
      }
      return (f) => {
        const x = a(f);
        const y = b(f);
        rt.budget.charge(1);
        try {
          return impl(CURRENT, [x, y]);
        } catch (error) {
          throw fail(error);
        }
      };
    }
    const count = args.length;
    return (f) => {
      const values = new Array<Value>(count);
      for (let i = 0; i < count; i++) values[i] = (args[i] as Exec)(f);
      rt.budget.charge(1);
      try {
        return impl(CURRENT, values);
      } catch (error) {
        throw fail(error);
      }
    };
  }
}

export { COMMON_NAME_FIXES, type Fix, INTEROP_FIXES, interopHint } from "./name-fixes.js";

/**
 * A call of a computed callee: the callee, then the arguments, left to right; calls of up to
 * three arguments pass them without an array (`callValue0`..`callValue3`).
 */
function callNode(callee: Exec, args: readonly Exec[], span: SourceSpan, name: string): Exec {
  const [a, b, c] = args as [Exec, Exec, Exec];
  switch (args.length) {
    case 0:
      return (f) => {
        const fn = callee(f);
        try {
          return callValue0(CURRENT, fn);
        } catch (error) {
          throw annotate(error, span, name);
        }
      };
    case 1:
      return (f) => {
        const fn = callee(f);
        const x = a(f);
        try {
          return callValue1(CURRENT, fn, x);
        } catch (error) {
          throw annotate(error, span, name);
        }
      };
    case 2:
      return (f) => {
        const fn = callee(f);
        const x = a(f);
        const y = b(f);
        try {
          return callValue2(CURRENT, fn, x, y);
        } catch (error) {
          throw annotate(error, span, name);
        }
      };
    case 3:
      return (f) => {
        const fn = callee(f);
        const x = a(f);
        const y = b(f);
        const z = c(f);
        try {
          return callValue3(CURRENT, fn, x, y, z);
        } catch (error) {
          throw annotate(error, span, name);
        }
      };
  }
  const count = args.length;
  return (f) => {
    const fn = callee(f);
    const values = new Array<Value>(count);
    for (let i = 0; i < count; i++) values[i] = (args[i] as Exec)(f);
    try {
      return callValue(CURRENT, fn, values);
    } catch (error) {
      throw annotate(error, span, name);
    }
  };
}
