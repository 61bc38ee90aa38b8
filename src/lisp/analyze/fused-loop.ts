import type { InlineOperator } from "../builtins/facts.js";
import type { Exec } from "../eval/closure.js";
import { rt } from "../eval/runtime.js";
import type { Binder } from "./destructure.js";
import { descendants, type LoopNode, type Node } from "./ir.js";

/**
 * The fused numeric loop: one node for the commonest counting loop,
 *
 *     (loop [i 0 acc 0] (if (< i n) (recur (inc i) (+ acc i)) acc))
 *
 * a loop of plain names whose body is one `if` comparing two numeric operands with `<`, `>`,
 * `<=` or `>=`, with a `recur` on one side whose values are each an operand or `+`, `-`, `*`
 * of two operands or `inc`/`dec` of one (an operand is a loop name, another local, or a number
 * literal). While every operand is a number, the loop runs over a `Float64Array` in one JS
 * loop instead of calling the nodes of the test, the operators and the `recur`.
 *
 * Budgets stay exact: the general nodes charge 1 for the comparison, 1 for each operator and 1
 * for the loop's turn, and charging is only observable where it reads the clock (every 20,000
 * units) or fails. A turn whose whole charge cannot reach the next check point is charged in one
 * subtraction; any other turn charges unit by unit at the general nodes' points. A loop entered
 * with an operand that is not a number runs the general nodes (test/unit/lisp/exactness.test.ts).
 */

/** A number computed from the loop's names (`x0`..`x2`) and the values read when it started (`k`). */
type Num = (x0: number, x1: number, x2: number, k: Float64Array) => number;
type Test = (x0: number, x1: number, x2: number, k: Float64Array) => boolean;

/*
 * One closure literal per operand kind, operator and comparison: at most four targets reach any
 * call site below, so V8 inlines them all (a switch on an operator code measured 15x slower).
 */
const NAMES: readonly Num[] = [(x0) => x0, (_x0, x1) => x1, (_x0, _x1, x2) => x2];
/*
 * The closures are built once per distinct operand and operator and shared by every program:
 * the same loop compiled again (a program evaluated from source) calls the same functions, so
 * the optimized runner stays valid instead of meeting new closures at each call site.
 */
const INVARIANTS: Num[] = [];
const invariant = (i: number): Num => {
  let found = INVARIANTS[i];
  if (found === undefined) {
    found = (_x0, _x1, _x2, k) => k[i] as number;
    INVARIANTS[i] = found;
  }
  return found;
};

/** The shared closure `make(a, b)` of one operator or comparison. */
function shared<T>(cache: Map<Num, Map<Num, T>>, a: Num, b: Num, make: (a: Num, b: Num) => T): T {
  let byRight = cache.get(a);
  if (byRight === undefined) {
    byRight = new Map();
    cache.set(a, byRight);
  }
  let found = byRight.get(b);
  if (found === undefined) {
    found = make(a, b);
    byRight.set(b, found);
  }
  return found;
}

const OPERATOR_CACHE = new Map<InlineOperator, Map<Num, Map<Num, Num>>>();
const COMPARISON_CACHE = new Map<InlineOperator, Map<Num, Map<Num, Test>>>();

function operatorOf(inline: InlineOperator, a: Num, b: Num): Num | undefined {
  const make = OPERATORS[inline];
  if (make === undefined) return undefined;
  let cache = OPERATOR_CACHE.get(inline);
  if (cache === undefined) {
    cache = new Map();
    OPERATOR_CACHE.set(inline, cache);
  }
  return shared(cache, a, b, make);
}

function comparisonOf(inline: InlineOperator, a: Num, b: Num): Test | undefined {
  const make = COMPARISONS[inline];
  if (make === undefined) return undefined;
  let cache = COMPARISON_CACHE.get(inline);
  if (cache === undefined) {
    cache = new Map();
    COMPARISON_CACHE.set(inline, cache);
  }
  return shared(cache, a, b, make);
}

const OPERATORS: Partial<Record<InlineOperator, (a: Num, b: Num) => Num>> = {
  add: (a, b) => (x0, x1, x2, k) => a(x0, x1, x2, k) + b(x0, x1, x2, k),
  subtract: (a, b) => (x0, x1, x2, k) => a(x0, x1, x2, k) - b(x0, x1, x2, k),
  multiply: (a, b) => (x0, x1, x2, k) => a(x0, x1, x2, k) * b(x0, x1, x2, k),
};

const COMPARISONS: Partial<Record<InlineOperator, (a: Num, b: Num) => Test>> = {
  less: (a, b) => (x0, x1, x2, k) => a(x0, x1, x2, k) < b(x0, x1, x2, k),
  greater: (a, b) => (x0, x1, x2, k) => a(x0, x1, x2, k) > b(x0, x1, x2, k),
  "less-or-equal": (a, b) => (x0, x1, x2, k) => a(x0, x1, x2, k) <= b(x0, x1, x2, k),
  "greater-or-equal": (a, b) => (x0, x1, x2, k) => a(x0, x1, x2, k) >= b(x0, x1, x2, k),
};

/** Where a value the loop reads but never changes comes from: another local, or a number. */
type Source =
  | { readonly kind: "slot"; readonly index: number }
  | { readonly kind: "captured"; readonly index: number }
  | { readonly kind: "number"; readonly value: number };

/** The fused form of a loop. */
export interface FusedPlan {
  /** The loop's slots, in binding order (at most three): the names `x0`..`x2`. */
  readonly slots: readonly number[];
  /** The values of `k`, read once when the loop starts. */
  readonly sources: readonly Source[];
  readonly test: Test;
  /** Whether the loop goes round when the comparison is true (`(if (< i n) (recur ...) exit)`). */
  readonly recurWhen: boolean;
  /** The new value of each name (a name the `recur` passes unchanged keeps its own). */
  readonly values: readonly [Num, Num, Num];
  /** Whether computing each new value charges a unit (it applies an operator). */
  readonly charges: readonly [boolean, boolean, boolean];
  /** Units one turn charges: the comparison, each operator, the loop. */
  readonly turn: number;
  /** The branch that leaves the loop. */
  readonly exit: Node;
}

/** The fused plan of `node`, when it has the fused shape. */
export function fusedPlan(node: LoopNode): FusedPlan | undefined {
  const slots = node.inPlace;
  if (slots === undefined || slots.length === 0 || slots.length > NAMES.length || node.body.length !== 1)
    return undefined;
  const branch = node.body[0] as Node;
  if (branch.kind !== "if" || branch.else === null) return undefined;
  const recurWhen = branch.then.kind === "recur";
  const recur = recurWhen ? branch.then : branch.else;
  const exit = recurWhen ? branch.else : branch.then;
  if (recur.kind !== "recur" || recur.slots !== slots || recursTo(exit, slots)) return undefined;
  const test = branch.test;
  const inline = test.kind === "builtin-call" ? test.builtin.spec.inline : undefined;
  if (test.kind !== "builtin-call" || test.args.length !== 2 || inline === undefined) return undefined;
  const table = new Table(slots);
  const left = table.operand(test.args[0] as Node);
  const right = table.operand(test.args[1] as Node);
  const comparison = left === undefined || right === undefined ? undefined : comparisonOf(inline, left, right);
  if (comparison === undefined) return undefined;
  const values: Num[] = [...NAMES];
  const charges = [false, false, false];
  let turn = 2;
  for (let j = 0; j < recur.args.length; j++) {
    const step = table.step(recur.args[j] as Node);
    if (step === undefined) return undefined;
    values[j] = step.value;
    charges[j] = step.charges;
    if (step.charges) turn++;
  }
  return {
    slots,
    sources: table.sources,
    test: comparison,
    recurWhen,
    values: values as [Num, Num, Num],
    charges: charges as [boolean, boolean, boolean],
    turn,
    exit,
  };
}

/** The operands of a loop being planned: its names, and the values it reads but never changes. */
class Table {
  readonly sources: Source[] = [];
  private readonly known = new Map<string, Num>();

  constructor(private readonly slots: readonly number[]) {}

  /** A numeric operand: a loop name, another local, or a number literal. */
  operand(node: Node): Num | undefined {
    if (node.kind === "const")
      return typeof node.value === "number" ? this.source({ kind: "number", value: node.value }) : undefined;
    if (node.kind !== "local" || node.ref.boxed || node.ref.kind === "self") return undefined;
    if (node.ref.kind === "slot") {
      const position = this.slots.indexOf(node.ref.index);
      if (position >= 0) return NAMES[position];
      return this.source({ kind: "slot", index: node.ref.index });
    }
    return this.source({ kind: "captured", index: node.ref.index });
  }

  /** A `recur` value: an operand, an inline `+ - *` of two operands, or `inc`/`dec` of one. */
  step(node: Node): { value: Num; charges: boolean } | undefined {
    const direct = this.operand(node);
    if (direct !== undefined) return { value: direct, charges: false };
    if (node.kind !== "builtin-call") return undefined;
    const inline = node.builtin.spec.inline;
    const [x, y] = node.args;
    if (node.args.length === 1 && (inline === "increment" || inline === "decrement")) {
      const a = this.operand(x as Node);
      const one = this.source({ kind: "number", value: 1 });
      const value = a === undefined ? undefined : operatorOf(inline === "increment" ? "add" : "subtract", a, one);
      return value === undefined ? undefined : { value, charges: true };
    }
    if (inline === undefined || node.args.length !== 2) return undefined;
    const a = this.operand(x as Node);
    const b = this.operand(y as Node);
    const value = a === undefined || b === undefined ? undefined : operatorOf(inline, a, b);
    return value === undefined ? undefined : { value, charges: true };
  }

  private source(source: Source): Num {
    const key =
      source.kind === "number"
        ? `n${Object.is(source.value, -0) ? "-0" : source.value}`
        : `${source.kind}${source.index}`;
    let found = this.known.get(key);
    if (found === undefined) {
      found = invariant(this.sources.length);
      this.sources.push(source);
      this.known.set(key, found);
    }
    return found;
  }
}

/** Whether a `recur` under `node` targets the loop whose slots are `slots` (the exit branch must not go round). */
function recursTo(node: Node, slots: readonly number[]): boolean {
  for (const current of descendants([node])) if (current.kind === "recur" && current.slots === slots) return true;
  return false;
}

/**
 * The fused loop's exec: binds the loop's names, then runs the fused turns while every operand
 * is a number (the general nodes' turns otherwise, `general`, from the first turn), and finally the
 * exit branch.
 */
export function fusedLoop(
  plan: FusedPlan,
  steps: readonly { init: Exec; bind: Binder }[],
  general: Exec,
  exit: Exec,
): Exec {
  const { slots, sources, test, recurWhen, turn } = plan;
  const [f0, f1, f2] = plan.values;
  const [c0, c1, c2] = plan.charges;
  const count = slots.length;
  const [s0, s1, s2] = slots as [number, number, number];
  return (f) => {
    for (const step of steps) step.bind(f, step.init(f));
    const k = new Float64Array(sources.length);
    for (let j = 0; j < sources.length; j++) {
      const source = sources[j] as Source;
      const value =
        source.kind === "number"
          ? source.value
          : source.kind === "slot"
            ? f.slots[source.index]
            : f.captured[source.index];
      if (typeof value !== "number") return general(f);
      k[j] = value;
    }
    const v0 = f.slots[s0];
    const v1 = count > 1 ? f.slots[s1] : 0;
    const v2 = count > 2 ? f.slots[s2] : 0;
    if (typeof v0 !== "number" || typeof v1 !== "number" || typeof v2 !== "number") return general(f);
    let x0 = v0;
    let x1 = v1;
    let x2 = v2;
    const budget = rt.budget;
    let fuel = budget.fuelLeft;
    let checkPoint = budget.checkPoint;
    for (;;) {
      if (fuel - turn >= checkPoint) {
        fuel -= 1;
        if (test(x0, x1, x2, k) !== recurWhen) break;
        const n0 = f0(x0, x1, x2, k);
        const n1 = f1(x0, x1, x2, k);
        const n2 = f2(x0, x1, x2, k);
        x0 = n0;
        x1 = n1;
        x2 = n2;
        fuel -= turn - 1;
        continue;
      }
      // A check point may fall inside this turn: charge at the general nodes' points.
      budget.fuelLeft = fuel;
      budget.charge(1);
      if (test(x0, x1, x2, k) !== recurWhen) {
        fuel = budget.fuelLeft;
        break;
      }
      if (c0) budget.charge(1);
      const n0 = f0(x0, x1, x2, k);
      if (c1) budget.charge(1);
      const n1 = f1(x0, x1, x2, k);
      if (c2) budget.charge(1);
      const n2 = f2(x0, x1, x2, k);
      x0 = n0;
      x1 = n1;
      x2 = n2;
      budget.charge(1);
      fuel = budget.fuelLeft;
      checkPoint = budget.checkPoint;
    }
    budget.fuelLeft = fuel;
    f.slots[s0] = x0;
    if (count > 1) f.slots[s1] = x1;
    if (count > 2) f.slots[s2] = x2;
    return exit(f);
  };
}
