import fc from "fast-check";
import { afterAll, describe, expect, it } from "vitest";
import { closeWorkerPool, compile, printValue } from "../../src/index.js";
import { equals } from "../../src/lisp/values/equality.js";
import { hashValue } from "../../src/lisp/values/hash.js";
import { Keyword, PList, PMap, PSet, PVector, type Value } from "../../src/lisp/values/value.js";
import { decodeValue, encodeValue } from "../../src/runtime/transfer.js";

afterAll(async () => {
  await closeWorkerPool();
});

/** Strings made of the characters that broke printed encodings: commas, colons, NULs, quotes, unicode. */
const nasty = fc.string({
  unit: fc.constantFrom("a", "b", ",", ":", "\u0000", '"', "\\", " ", "{", "}", "[", "]", "#", "é", "😀", "="),
  maxLength: 6,
});

const scalar: fc.Arbitrary<Value> = fc.oneof(
  nasty,
  nasty.map((name) => Keyword.of(name)),
  fc.constantFrom<Value>(null, true, false, 0, -0, 1, 1.5, -7),
);

const { value } = fc.letrec<{ value: Value }>((tie) => ({
  value: fc.oneof(
    { depthSize: "small", withCrossShrink: true },
    scalar,
    fc.array(tie("value"), { maxLength: 4 }).map((items) => PVector.from(items)),
    fc.array(tie("value"), { maxLength: 4 }).map((items) => PList.from(items)),
    fc.array(tie("value"), { maxLength: 4 }).map((items) => PSet.from(items)),
    fc
      .array(fc.tuple(tie("value"), tie("value")), { maxLength: 4 })
      .map((pairs) => pairs.reduce((map, [k, v]) => map.assocExact(k, v), PMap.EMPTY)),
  ),
}));

describe("hashing agrees with =", () => {
  it("equal values hash alike and are one set element; unequal values are two", () => {
    fc.assert(
      fc.property(value, value, (a, b) => {
        const same = equals(a, b);
        expect(equals(b, a)).toBe(same);
        if (same) expect(hashValue(a)).toBe(hashValue(b));
        expect(PSet.from([a, b]).count).toBe(same ? 1 : 2);
        expect(PMap.EMPTY.assocExact(a, 1).assocExact(b, 2).count).toBe(same ? 1 : 2);
      }),
      { numRuns: 300 },
    );
  });

  it("a value equals a copy of itself built apart (same hash, one key)", () => {
    fc.assert(
      fc.property(value, (a) => {
        const copy = decodeValue(encodeValue(a));
        expect(equals(a, copy)).toBe(true);
        expect(hashValue(copy)).toBe(hashValue(a));
        expect(PSet.from([a, copy]).count).toBe(1);
      }),
      { numRuns: 300 },
    );
  });
});

describe("worker transfer gives the value built in-process", () => {
  it("encode/decode keeps printValue and = for generated values", () => {
    fc.assert(
      fc.property(value, (a) => {
        const back = decodeValue(encodeValue(a));
        expect(printValue(back)).toBe(printValue(a));
        expect(equals(back, a)).toBe(true);
      }),
      { numRuns: 300 },
    );
  });

  const source = fc.constantFrom(
    '(frequencies [:a "a" :a "a," (keyword "a,") [:a] ["a"]])',
    '(group-by count ["a" :a "bb" [1] [1 2]])',
    '(let [m {:a 1}] [(assoc m "a" 2) (assoc m "b" 2) (dissoc m "a") (get m "a")])',
    "(into (sorted-map) {3 :c 1 :a 2 :b})",
    "(conj (sorted-set-by > 1 3 2) 0)",
    '(zipmap [:a "a" [:a]] (range))',
    '#{:a "a" [:a] ["a"] {:a 1} {"a" 1}}',
  );

  it("program results are the same in-process and under isolation: worker", async () => {
    await fc.assert(
      fc.asyncProperty(source, async (text) => {
        const compiled = compile(text);
        if (!compiled.ok) throw new Error(text);
        const here = await compiled.program.run();
        const there = await compiled.program.run({ isolation: "worker" });
        if (!here.ok || !there.ok) {
          // A program that fails (e.g. `count` of a keyword) fails the same way in both.
          expect(there.ok ? null : there.error.code).toBe(here.ok ? null : here.error.code);
          return;
        }
        expect(printValue(there.value)).toBe(printValue(here.value));
        expect(equals(there.value, here.value)).toBe(true);
      }),
      { numRuns: 20 },
    );
  });
});
