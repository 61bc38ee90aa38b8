import type { InlineOperator } from "../builtins/facts.js";
import type { Exec } from "../eval/closure.js";
import { rt } from "../eval/runtime.js";
import { FREE_STRING } from "../values/equality.js";
import type { Value } from "../values/value.js";
import { constantValue } from "./exec-support.js";
import { slotOf } from "./scope.js";

/**
 * Call nodes for the arithmetic and comparison builtins: the all-numbers case inline, anything
 * else (strings, nil, NaN-free or not) through `slow`, the builtin's own call. Both charge one
 * unit after the arguments are evaluated, so fuel, trip points and messages are the general
 * path's (test/unit/lisp/exactness.test.ts). One closure literal per operator and operand
 * shape: V8 keeps type feedback per literal, and a shared one turns megamorphic in any real
 * process (shared/PERF-NOTES.md).
 */

/** The builtin's general call on two evaluated arguments (charge, then the implementation). */
export type Slow2 = (x: Value, y: Value) => Value;
export type Slow1 = (x: Value) => Value;

interface BinaryNodes {
  /** Both operands are plain local slots. */
  readonly slots: (i: number, j: number, slow: Slow2) => Exec;
  /** A plain local slot and a number constant. */
  readonly slotNumber: (i: number, k: number, slow: Slow2) => Exec;
  /** Any operand and a number constant. */
  readonly number: (a: Exec, k: number, slow: Slow2) => Exec;
  readonly any: (a: Exec, b: Exec, slow: Slow2) => Exec;
}

interface UnaryNodes {
  readonly slot: (i: number, slow: Slow1) => Exec;
  readonly any: (a: Exec, slow: Slow1) => Exec;
}

const BINARY: Readonly<Partial<Record<InlineOperator, BinaryNodes>>> = {
  add: {
    slots: (i, j, slow) => (f) => {
      const x = f.slots[i] as Value;
      const y = f.slots[j] as Value;
      if (typeof x === "number" && typeof y === "number") {
        rt.budget.charge(1);
        return x + y;
      }
      return slow(x, y);
    },
    slotNumber: (i, k, slow) => (f) => {
      const x = f.slots[i] as Value;
      if (typeof x === "number") {
        rt.budget.charge(1);
        return x + k;
      }
      return slow(x, k);
    },
    number: (a, k, slow) => (f) => {
      const x = a(f);
      if (typeof x === "number") {
        rt.budget.charge(1);
        return x + k;
      }
      return slow(x, k);
    },
    any: (a, b, slow) => (f) => {
      const x = a(f);
      const y = b(f);
      if (typeof x === "number" && typeof y === "number") {
        rt.budget.charge(1);
        return x + y;
      }
      return slow(x, y);
    },
  },
  subtract: {
    slots: (i, j, slow) => (f) => {
      const x = f.slots[i] as Value;
      const y = f.slots[j] as Value;
      if (typeof x === "number" && typeof y === "number") {
        rt.budget.charge(1);
        return x - y;
      }
      return slow(x, y);
    },
    slotNumber: (i, k, slow) => (f) => {
      const x = f.slots[i] as Value;
      if (typeof x === "number") {
        rt.budget.charge(1);
        return x - k;
      }
      return slow(x, k);
    },
    number: (a, k, slow) => (f) => {
      const x = a(f);
      if (typeof x === "number") {
        rt.budget.charge(1);
        return x - k;
      }
      return slow(x, k);
    },
    any: (a, b, slow) => (f) => {
      const x = a(f);
      const y = b(f);
      if (typeof x === "number" && typeof y === "number") {
        rt.budget.charge(1);
        return x - y;
      }
      return slow(x, y);
    },
  },
  multiply: {
    slots: (i, j, slow) => (f) => {
      const x = f.slots[i] as Value;
      const y = f.slots[j] as Value;
      if (typeof x === "number" && typeof y === "number") {
        rt.budget.charge(1);
        return x * y;
      }
      return slow(x, y);
    },
    slotNumber: (i, k, slow) => (f) => {
      const x = f.slots[i] as Value;
      if (typeof x === "number") {
        rt.budget.charge(1);
        return x * k;
      }
      return slow(x, k);
    },
    number: (a, k, slow) => (f) => {
      const x = a(f);
      if (typeof x === "number") {
        rt.budget.charge(1);
        return x * k;
      }
      return slow(x, k);
    },
    any: (a, b, slow) => (f) => {
      const x = a(f);
      const y = b(f);
      if (typeof x === "number" && typeof y === "number") {
        rt.budget.charge(1);
        return x * y;
      }
      return slow(x, y);
    },
  },
  less: {
    slots: (i, j, slow) => (f) => {
      const x = f.slots[i] as Value;
      const y = f.slots[j] as Value;
      if (typeof x === "number" && typeof y === "number") {
        rt.budget.charge(1);
        return x < y;
      }
      return slow(x, y);
    },
    slotNumber: (i, k, slow) => (f) => {
      const x = f.slots[i] as Value;
      if (typeof x === "number") {
        rt.budget.charge(1);
        return x < k;
      }
      return slow(x, k);
    },
    number: (a, k, slow) => (f) => {
      const x = a(f);
      if (typeof x === "number") {
        rt.budget.charge(1);
        return x < k;
      }
      return slow(x, k);
    },
    any: (a, b, slow) => (f) => {
      const x = a(f);
      const y = b(f);
      if (typeof x === "number" && typeof y === "number") {
        rt.budget.charge(1);
        return x < y;
      }
      return slow(x, y);
    },
  },
  greater: {
    slots: (i, j, slow) => (f) => {
      const x = f.slots[i] as Value;
      const y = f.slots[j] as Value;
      if (typeof x === "number" && typeof y === "number") {
        rt.budget.charge(1);
        return x > y;
      }
      return slow(x, y);
    },
    slotNumber: (i, k, slow) => (f) => {
      const x = f.slots[i] as Value;
      if (typeof x === "number") {
        rt.budget.charge(1);
        return x > k;
      }
      return slow(x, k);
    },
    number: (a, k, slow) => (f) => {
      const x = a(f);
      if (typeof x === "number") {
        rt.budget.charge(1);
        return x > k;
      }
      return slow(x, k);
    },
    any: (a, b, slow) => (f) => {
      const x = a(f);
      const y = b(f);
      if (typeof x === "number" && typeof y === "number") {
        rt.budget.charge(1);
        return x > y;
      }
      return slow(x, y);
    },
  },
  "less-or-equal": {
    slots: (i, j, slow) => (f) => {
      const x = f.slots[i] as Value;
      const y = f.slots[j] as Value;
      if (typeof x === "number" && typeof y === "number") {
        rt.budget.charge(1);
        return x <= y;
      }
      return slow(x, y);
    },
    slotNumber: (i, k, slow) => (f) => {
      const x = f.slots[i] as Value;
      if (typeof x === "number") {
        rt.budget.charge(1);
        return x <= k;
      }
      return slow(x, k);
    },
    number: (a, k, slow) => (f) => {
      const x = a(f);
      if (typeof x === "number") {
        rt.budget.charge(1);
        return x <= k;
      }
      return slow(x, k);
    },
    any: (a, b, slow) => (f) => {
      const x = a(f);
      const y = b(f);
      if (typeof x === "number" && typeof y === "number") {
        rt.budget.charge(1);
        return x <= y;
      }
      return slow(x, y);
    },
  },
  "greater-or-equal": {
    slots: (i, j, slow) => (f) => {
      const x = f.slots[i] as Value;
      const y = f.slots[j] as Value;
      if (typeof x === "number" && typeof y === "number") {
        rt.budget.charge(1);
        return x >= y;
      }
      return slow(x, y);
    },
    slotNumber: (i, k, slow) => (f) => {
      const x = f.slots[i] as Value;
      if (typeof x === "number") {
        rt.budget.charge(1);
        return x >= k;
      }
      return slow(x, k);
    },
    number: (a, k, slow) => (f) => {
      const x = a(f);
      if (typeof x === "number") {
        rt.budget.charge(1);
        return x >= k;
      }
      return slow(x, k);
    },
    any: (a, b, slow) => (f) => {
      const x = a(f);
      const y = b(f);
      if (typeof x === "number" && typeof y === "number") {
        rt.budget.charge(1);
        return x >= y;
      }
      return slow(x, y);
    },
  },
};

const UNARY: Readonly<Partial<Record<InlineOperator, UnaryNodes>>> = {
  increment: {
    slot: (i, slow) => (f) => {
      const x = f.slots[i] as Value;
      if (typeof x === "number") {
        rt.budget.charge(1);
        return x + 1;
      }
      return slow(x);
    },
    any: (a, slow) => (f) => {
      const x = a(f);
      if (typeof x === "number") {
        rt.budget.charge(1);
        return x + 1;
      }
      return slow(x);
    },
  },
  decrement: {
    slot: (i, slow) => (f) => {
      const x = f.slots[i] as Value;
      if (typeof x === "number") {
        rt.budget.charge(1);
        return x - 1;
      }
      return slow(x);
    },
    any: (a, slow) => (f) => {
      const x = a(f);
      if (typeof x === "number") {
        rt.budget.charge(1);
        return x - 1;
      }
      return slow(x);
    },
  },
};

/**
 * `(= x k)` or `(= k x)` with `k` a number or a string the builtin compares free: equal exactly
 * when `x === k`, whatever `x` is (see `equals`).
 */
function equalsConstant(a: Exec, k: number | string): Exec {
  return (f) => {
    const x = a(f);
    rt.budget.charge(1);
    return x === k;
  };
}

function equalsAny(a: Exec, b: Exec, slow: Slow2): Exec {
  return (f) => {
    const x = a(f);
    const y = b(f);
    if (typeof x === "number") {
      rt.budget.charge(1);
      return x === y;
    }
    return slow(x, y);
  };
}

function isFreeConstant(value: Value | undefined): value is number | string {
  return typeof value === "number" || (typeof value === "string" && value.length <= FREE_STRING);
}

/** The specialised node for a two-argument call of the builtin's inline operator, if it has one. */
export function binaryOperatorNode(operator: InlineOperator, a: Exec, b: Exec, slow: Slow2): Exec | undefined {
  if (operator === "equals") {
    const ka = constantValue(a);
    const kb = constantValue(b);
    if (isFreeConstant(kb)) return equalsConstant(a, kb);
    if (isFreeConstant(ka)) return equalsConstant(b, ka);
    return equalsAny(a, b, slow);
  }
  const nodes = BINARY[operator];
  if (nodes === undefined) return undefined;
  const sa = slotOf(a);
  const sb = slotOf(b);
  const kb = constantValue(b);
  if (sa !== undefined && sb !== undefined) return nodes.slots(sa, sb, slow);
  if (typeof kb === "number") return sa !== undefined ? nodes.slotNumber(sa, kb, slow) : nodes.number(a, kb, slow);
  return nodes.any(a, b, slow);
}

/** The specialised node for a one-argument call of the builtin's inline operator, if it has one. */
export function unaryOperatorNode(operator: InlineOperator, a: Exec, slow: Slow1): Exec | undefined {
  const nodes = UNARY[operator];
  if (nodes === undefined) return undefined;
  const sa = slotOf(a);
  return sa !== undefined ? nodes.slot(sa, slow) : nodes.any(a, slow);
}
