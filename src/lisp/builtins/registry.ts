import { makeError } from "../../errors/errors.js";
import type { RunContext } from "../eval/context.js";
import { type Step, settle } from "../eval/resumable.js";
import { CURRENT } from "../eval/runtime.js";
import { Fn, type Value } from "../values/value.js";
import { DOC_BUILTINS } from "./docs.js";
import { FAMILIES } from "./families.js";
import { NAMESPACE_ALIASES } from "./namespaces.js";
import { RESUMABLE, type Resume } from "./resumable.js";
import { sizeOf } from "./support.js";
import type { BuiltinSpec, CostRule } from "./types.js";

/** Evaluates a cost rule on the actual arguments. */
export function costOf(rule: CostRule | undefined, args: readonly Value[]): number {
  if (rule === undefined || rule === "constant") return 1;
  if (typeof rule === "function") return rule(args);
  let size = 1;
  for (const arg of args) size += sizeOf(arg) ?? 0;
  return rule === "linear" ? size : Math.ceil(size * Math.log2(size + 1));
}

function describeArity([min, max]: readonly [number, number]): string {
  if (min === max) return String(min);
  if (max === Number.POSITIVE_INFINITY) return `${min} or more`;
  return `${min} to ${max}`;
}

/** A builtin as a first-class function value. */
export class BuiltinFn extends Fn {
  readonly name: string;
  readonly fuelRule: CostRule;
  readonly allocRule: CostRule | undefined;
  /** The resumable form, for builtins that call function arguments (see `RESUMABLE`). */
  readonly resume: Resume | undefined;
  constructor(readonly spec: BuiltinSpec) {
    super();
    this.name = spec.ns ? `${spec.ns}/${spec.name}` : spec.name;
    this.fuelRule = spec.cost ?? "constant";
    this.allocRule = spec.alloc ?? (this.fuelRule === "constant" ? undefined : this.fuelRule);
    this.resume = RESUMABLE.get(this.name);
  }

  /** Throws `arity_error` unless `count` arguments are accepted. */
  checkArity(count: number): void {
    const [min, max] = this.spec.arity;
    if (count < min || count > max) {
      throw makeError("arity_error", { name: this.name, actual: count, expected: describeArity(this.spec.arity) });
    }
  }

  /** Charges the declared fuel and allocation for these arguments, then runs the builtin. */
  call(context: RunContext, args: Value[]): Value {
    const units = costOf(this.fuelRule, args);
    context.charge(units);
    const allocRule = this.allocRule;
    // Most builtins allocate by their fuel rule: evaluated once (rules are pure).
    if (allocRule !== undefined) context.alloc((allocRule === this.fuelRule ? units : costOf(allocRule, args)) * 8);
    return this.spec.impl(context, args);
  }

  invoke(context: unknown, args: Value[]): Value {
    this.checkArity(args.length);
    return this.call(context as RunContext, args);
  }

  /**
   * `call` in a resumable node: charged the same; a tool call in a function argument suspends
   * in place where the builtin has a resumable form, else the whole call re-runs after it.
   */
  *callResumably(args: Value[]): Step {
    const resumed = this.resume === undefined ? undefined : this.charged(args, this.resume);
    if (resumed !== undefined) return yield* resumed;
    return yield* settle(() => (this.resume === undefined ? this.call(CURRENT, args) : this.spec.impl(CURRENT, args)));
  }

  private charged(args: Value[], resume: Resume): Step | undefined {
    const units = costOf(this.fuelRule, args);
    CURRENT.charge(units);
    const allocRule = this.allocRule;
    if (allocRule !== undefined) CURRENT.alloc((allocRule === this.fuelRule ? units : costOf(allocRule, args)) * 8);
    return resume(args);
  }
}

export function arityText(spec: BuiltinSpec): string {
  return describeArity(spec.arity);
}

function buildRegistry(): Map<string, BuiltinFn> {
  const table = new Map<string, BuiltinFn>();
  const families = [...FAMILIES, DOC_BUILTINS];
  const names = new Set(
    families.flatMap((family) => family.map((spec) => (spec.ns ? `${spec.ns}/${spec.name}` : spec.name))),
  );
  for (const name of RESUMABLE.keys())
    if (!names.has(name)) throw new Error(`resumable form for unknown builtin ${name}`);
  for (const family of families) {
    for (const spec of family) {
      const fn = new BuiltinFn(spec);
      const qualified = spec.ns ? `${spec.ns}/${spec.name}` : spec.name;
      if (table.has(qualified)) throw new Error(`builtin ${qualified} is registered twice`);
      table.set(qualified, fn);
      for (const alias of spec.aliases ?? []) {
        if (table.has(alias)) throw new Error(`builtin alias ${alias} is registered twice`);
        table.set(alias, fn);
      }
    }
  }
  return table;
}

export { NAMESPACE_ALIASES };

/** Every builtin by qualified name (`map`, `clojure.string/join`) and unqualified alias. */
export const BUILTINS: ReadonlyMap<string, BuiltinFn> = buildRegistry();

/**
 * The builtin a symbol names, or undefined. `ns` is the namespace as written (`str`,
 * `clojure.string`, `core`...), or null.
 */
export function lookupBuiltin(ns: string | null, name: string): BuiltinFn | undefined {
  if (ns === null) return BUILTINS.get(name);
  const resolved = NAMESPACE_ALIASES.get(ns);
  if (resolved === undefined) return undefined;
  return BUILTINS.get(resolved === "" ? name : `${resolved}/${name}`);
}
