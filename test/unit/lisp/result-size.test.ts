import { describe, expect, it } from "vitest";
import { LimitExceededError } from "../../../src/errors/errors.js";
import { exceeded } from "../../../src/lisp/eval/budget.js";
import { fromJSON } from "../../../src/lisp/values/json.js";
import type { Meter } from "../../../src/lisp/values/meter.js";
import { measureJson, measureResult } from "../../../src/lisp/values/result-size.js";
import { Atom, Keyword, LazySeq, PMap, PVector, type Value } from "../../../src/lisp/values/value.js";

/** A meter that records its charges and stops at `maxBytes`, as a run's budget does. */
function meter(maxBytes = Number.POSITIVE_INFINITY): Meter & { fuel: number; bytes: number } {
  return {
    fuel: 0,
    bytes: 0,
    charge(units) {
      this.fuel += units;
    },
    alloc(bytes) {
      this.bytes += bytes;
      if (this.bytes > maxBytes) throw exceeded("memory", maxBytes, this.bytes, "bytes");
    },
  };
}

describe("measureResult", () => {
  it("counts characters as printed or converted to JSON: quotes, digits, brackets, separators", () => {
    expect(measureResult("abc", { meter: null })).toBe(5);
    expect(measureResult(12345, { meter: null })).toBe(5);
    expect(measureResult(-7, { meter: null })).toBe(2);
    expect(measureResult(Keyword.of("a"), { meter: null })).toBe(2);
    expect(measureResult(PVector.from([1, 2, 3]), { meter: null })).toBe(2 + 3 * 2);
    expect(measureResult(PMap.EMPTY.assoc(Keyword.of("k"), "v"), { meter: null })).toBe(2 + 3 + 4);
    expect(measureResult(fromJSON({ a: [1, "xy"] }), { meter: null })).toBeGreaterThan(8);
  });

  it("counts a shared sub-value each time it occurs", () => {
    const s = "x".repeat(1000);
    const once = measureResult(PVector.from([s]), { meter: null });
    const many = measureResult(PVector.from(Array.from({ length: 100 }, () => s)), { meter: null });
    expect(many).toBeGreaterThanOrEqual(100 * 1000);
    expect(many).toBeGreaterThan(99 * once);
  });

  it("charges fuel per node and 2 bytes per character, and stops once the budget is passed", () => {
    const charged = meter();
    const value = PVector.from(Array.from({ length: 1000 }, (_, i) => i));
    const chars = measureResult(value, { meter: charged });
    expect(charged.fuel).toBe(1001);
    expect(charged.bytes).toBe(2 * chars);
    // 2^30 characters of JSON from a few allocations: stopped after about the budget, not walked.
    let doubling: Value = "x".repeat(1024);
    for (let i = 0; i < 20; i++) doubling = PVector.from([doubling, doubling]);
    const small = meter(1_000_000);
    expect(() => measureResult(doubling, { meter: small })).toThrow(LimitExceededError);
    expect(small.fuel).toBeLessThan(10_000);
  });

  it("with maxChars, stops past it and returns the count so far", () => {
    const value = PVector.from(Array.from({ length: 100_000 }, () => "abcdefgh"));
    const count = measureResult(value, { meter: null, maxChars: 1000 });
    expect(count).toBeGreaterThan(1000);
    expect(count).toBeLessThan(1100);
  });

  it("walks any depth without host recursion", () => {
    let deep: Value = 1;
    for (let i = 0; i < 200_000; i++) deep = PVector.from([deep]);
    expect(measureResult(deep, { meter: null })).toBe(1 + 200_000 * 3);
  });

  it("realizes lazy seqs through their iterators; an infinite one is limit_exceeded", () => {
    const finite = new LazySeq(() => [1, 2, 3].values(), false);
    expect(measureResult(finite, { meter: null })).toBe(2 + 3 * 2);
    const endless = new LazySeq(() => [1].values(), true);
    expect(() => measureResult(PVector.from([endless]), { meter: null })).toThrow(LimitExceededError);
  });

  it("counts an atom once, so a cycle through an atom ends", () => {
    const atom = new Atom(null);
    atom.value = PVector.from([atom, atom]);
    expect(measureResult(atom, { meter: null })).toBeLessThan(100);
  });
});

describe("measureJson", () => {
  it("counts plain data the same way, shared strings each time, and cuts cycles", () => {
    const s = "y".repeat(1000);
    expect(
      measureJson(
        Array.from({ length: 10 }, () => s),
        { meter: null },
      ),
    ).toBeGreaterThan(10_000);
    expect(measureJson({ key: "v" }, { meter: null })).toBe(2 + 6 + 4);
    const cyclic: unknown[] = [];
    cyclic.push(cyclic);
    expect(measureJson(cyclic, { meter: null })).toBeLessThan(20);
  });
});
