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

/*
 * The loop as data, not closures: every call site of the runner sees the same few functions in
 * every program, so V8's feedback stays monomorphic however many loops a long-lived host has
 * run. Closures per operand and operator, inlined into the runner, ran bench (c) in 1.7 ms in a
 * fresh process but in 42 ms in one that had first run the conformance corpus (three other loop
 * shapes reached the same call sites and V8 stopped inlining); the codes run it in 4.2-4.6 ms in
 * both.
 *
 * Registers: `r[0..2]` the loop's names, `r[3]` the fuel left, `r[4..]` the values the loop reads
 * but never changes.
 */
const NAME_COUNT = 3;
const FUEL = 3;
const FIRST_SOURCE = 4;

/** Operator codes: a name passed unchanged (or an operand as is), `+`, `-`, `*`. */
const COPY = 0;
const ADD = 1;
const SUBTRACT = 2;
const MULTIPLY = 3;

const OPERATOR_CODES: Partial<Record<InlineOperator, number>> = {
  add: ADD,
  subtract: SUBTRACT,
  multiply: MULTIPLY,
};

/** Comparison codes. */
const COMPARISON_CODES: Partial<Record<InlineOperator, number>> = {
  less: 0,
  greater: 1,
  "less-or-equal": 2,
  "greater-or-equal": 3,
};

function apply(operator: number, a: number, b: number): number {
  switch (operator) {
    case ADD:
      return a + b;
    case SUBTRACT:
      return a - b;
    case MULTIPLY:
      return a * b;
    default:
      return a;
  }
}

function compare(comparison: number, a: number, b: number): boolean {
  switch (comparison) {
    case 0:
      return a < b;
    case 1:
      return a > b;
    case 2:
      return a <= b;
    default:
      return a >= b;
  }
}

/** A name's new value: `operator` applied to registers `a` and `b`. */
interface StepCode {
  readonly operator: number;
  readonly a: number;
  readonly b: number;
}

/** Where a value the loop reads but never changes comes from: another local, or a number. */
type Source =
  | { readonly kind: "slot"; readonly index: number }
  | { readonly kind: "captured"; readonly index: number }
  | { readonly kind: "number"; readonly value: number };

/** The fused form of a loop. */
export interface FusedPlan {
  /** The loop's slots, in binding order (at most three): registers 0..2. */
  readonly slots: readonly number[];
  /** Registers 4.. hold these values, read once when the loop starts. */
  readonly sources: readonly Source[];
  /**
   * The turn as codes: the comparison and its two registers, then each name's operator and two
   * registers (a name the `recur` passes unchanged copies itself).
   */
  readonly code: Int32Array;
  /** Whether the loop goes round when the comparison is true (`(if (< i n) (recur ...) exit)`). */
  readonly recurWhen: boolean;
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
  if (slots === undefined || slots.length === 0 || slots.length > NAME_COUNT || node.body.length !== 1)
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
  const comparison = COMPARISON_CODES[inline];
  const table = new Table(slots);
  const left = table.operand(test.args[0] as Node);
  const right = table.operand(test.args[1] as Node);
  if (comparison === undefined || left === undefined || right === undefined) return undefined;
  const steps: StepCode[] = [0, 1, 2].map((name) => ({ operator: COPY, a: name, b: name }));
  const charges = [false, false, false];
  let turn = 2;
  for (let j = 0; j < recur.args.length; j++) {
    const step = table.step(recur.args[j] as Node);
    if (step === undefined) return undefined;
    steps[j] = step;
    charges[j] = step.operator !== COPY;
    if (charges[j]) turn++;
  }
  const code = new Int32Array([comparison, left, right, ...steps.flatMap((step) => [step.operator, step.a, step.b])]);
  return {
    slots,
    sources: table.sources,
    code,
    recurWhen,
    charges: charges as [boolean, boolean, boolean],
    turn,
    exit,
  };
}

/** The operands of a loop being planned: its names, and the values it reads but never changes. */
class Table {
  readonly sources: Source[] = [];
  private readonly known = new Map<string, number>();

  constructor(private readonly slots: readonly number[]) {}

  /** The register of a numeric operand: a loop name, another local, or a number literal. */
  operand(node: Node): number | undefined {
    if (node.kind === "const")
      return typeof node.value === "number" ? this.source({ kind: "number", value: node.value }) : undefined;
    if (node.kind !== "local" || node.ref.boxed || node.ref.kind === "self") return undefined;
    if (node.ref.kind === "slot") {
      const position = this.slots.indexOf(node.ref.index);
      if (position >= 0) return position;
      return this.source({ kind: "slot", index: node.ref.index });
    }
    return this.source({ kind: "captured", index: node.ref.index });
  }

  /** A `recur` value: an operand, an inline `+ - *` of two operands, or `inc`/`dec` of one. */
  step(node: Node): StepCode | undefined {
    const direct = this.operand(node);
    if (direct !== undefined) return { operator: COPY, a: direct, b: direct };
    if (node.kind !== "builtin-call") return undefined;
    const inline = node.builtin.spec.inline;
    const [x, y] = node.args;
    if (node.args.length === 1 && (inline === "increment" || inline === "decrement")) {
      const a = this.operand(x as Node);
      if (a === undefined) return undefined;
      const one = this.source({ kind: "number", value: 1 });
      return { operator: inline === "increment" ? ADD : SUBTRACT, a, b: one };
    }
    const operator = inline === undefined ? undefined : OPERATOR_CODES[inline];
    if (operator === undefined || node.args.length !== 2) return undefined;
    const a = this.operand(x as Node);
    const b = this.operand(y as Node);
    return a === undefined || b === undefined ? undefined : { operator, a, b };
  }

  private source(source: Source): number {
    const key =
      source.kind === "number"
        ? `n${Object.is(source.value, -0) ? "-0" : source.value}`
        : `${source.kind}${source.index}`;
    let found = this.known.get(key);
    if (found === undefined) {
      found = FIRST_SOURCE + this.sources.length;
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
  const { slots, sources, code, recurWhen, turn } = plan;
  const [c0, c1, c2] = plan.charges;
  const count = slots.length;
  const size = FIRST_SOURCE + sources.length;
  return (f) => {
    for (const step of steps) step.bind(f, step.init(f));
    const r = new Float64Array(size);
    for (let j = 0; j < sources.length; j++) {
      const source = sources[j] as Source;
      const value =
        source.kind === "number"
          ? source.value
          : source.kind === "slot"
            ? f.slots[source.index]
            : f.captured[source.index];
      if (typeof value !== "number") return general(f);
      r[FIRST_SOURCE + j] = value;
    }
    for (let j = 0; j < count; j++) {
      const value = f.slots[slots[j] as number];
      if (typeof value !== "number") return general(f);
      r[j] = value;
    }
    const budget = rt.budget;
    r[FUEL] = budget.fuelLeft;
    // Whole turns no check point can fall in, in one JS loop; then a turn charged unit by unit
    // at the general nodes' points, as long as the loop goes round.
    while (!spin(r, code, budget.checkPoint, turn, recurWhen)) {
      budget.fuelLeft = r[FUEL] as number;
      budget.charge(1);
      if (compare(code[0] as number, r[code[1] as number] as number, r[code[2] as number] as number) !== recurWhen) {
        r[FUEL] = budget.fuelLeft;
        break;
      }
      if (c0) budget.charge(1);
      const n0 = stepOf(r, code, 0);
      if (c1) budget.charge(1);
      const n1 = stepOf(r, code, 1);
      if (c2) budget.charge(1);
      const n2 = stepOf(r, code, 2);
      r[0] = n0;
      r[1] = n1;
      r[2] = n2;
      budget.charge(1);
      r[FUEL] = budget.fuelLeft;
    }
    budget.fuelLeft = r[FUEL] as number;
    for (let j = 0; j < count; j++) f.slots[slots[j] as number] = r[j] as number;
    return exit(f);
  };
}

/** The new value of name `name` from the registers. */
function stepOf(r: Float64Array, code: Int32Array, name: number): number {
  const at = 3 + 3 * name;
  return apply(code[at] as number, r[code[at + 1] as number] as number, r[code[at + 2] as number] as number);
}

/**
 * Runs whole turns while no check point can fall inside one, on the registers. True when the
 * comparison ended the loop (its unit charged), false when the next turn needs charging unit by
 * unit. A function of its own, entered by a call, so V8 optimizes it as a whole function once
 * instead of replacing a running frame (OSR) on every run of a loop.
 */
function spin(r: Float64Array, code: Int32Array, checkPoint: number, turn: number, recurWhen: boolean): boolean {
  const comparison = code[0] as number;
  const left = code[1] as number;
  const right = code[2] as number;
  const o0 = code[3] as number;
  const a0 = code[4] as number;
  const b0 = code[5] as number;
  const o1 = code[6] as number;
  const a1 = code[7] as number;
  const b1 = code[8] as number;
  const o2 = code[9] as number;
  const a2 = code[10] as number;
  const b2 = code[11] as number;
  // A third name that the `recur` passes unchanged (or that does not exist) keeps its register.
  const three = o2 !== COPY || a2 !== 2;
  // A turn charges `turn` units; it may run here while that leaves the fuel at or above the check point.
  const floor = checkPoint + turn;
  let fuel = r[FUEL] as number;
  let ended = false;
  while (fuel >= floor) {
    if (compare(comparison, r[left] as number, r[right] as number) !== recurWhen) {
      fuel -= 1;
      ended = true;
      break;
    }
    const n0 = apply(o0, r[a0] as number, r[b0] as number);
    const n1 = apply(o1, r[a1] as number, r[b1] as number);
    if (three) r[2] = apply(o2, r[a2] as number, r[b2] as number);
    r[0] = n0;
    r[1] = n1;
    fuel -= turn;
  }
  r[FUEL] = fuel;
  return ended;
}
