import { describe, expect, it } from "vitest";
import { ranks, spearman } from "./spearman.js";

describe("ranks", () => {
  it("ranks from 1 in ascending order", () => {
    expect(ranks([30, 10, 20])).toEqual([3, 1, 2]);
  });

  it("gives tied values the mean of the ranks they span", () => {
    expect(ranks([5, 1, 5, 3, 5])).toEqual([4, 1, 4, 2, 4]);
    expect(ranks([2, 2, 1, 1])).toEqual([3.5, 3.5, 1.5, 1.5]);
  });
});

describe("spearman", () => {
  it("is 1 for any increasing relation and -1 for any decreasing one", () => {
    const xs = [1, 2, 3, 4, 5, 6];
    expect(
      spearman(
        xs,
        xs.map((x) => x ** 3),
      ),
    ).toBeCloseTo(1, 12);
    expect(
      spearman(
        xs,
        xs.map((x) => Math.exp(-x)),
      ),
    ).toBeCloseTo(-1, 12);
  });

  it("matches 1 - 6Σd²/(n(n²-1)) when there are no ties", () => {
    // Ranks x: 1 2 3 4 5; ranks y: 2 1 4 3 5; Σd² = 4; ρ = 1 - 24/120 = 0.8.
    expect(spearman([10, 20, 30, 40, 50], [2, 1, 4, 3, 5])).toBeCloseTo(0.8, 12);
  });

  it("correlates averaged ranks when there are ties", () => {
    // Ranks x: 1.5 1.5 3 4; ranks y: 1 2 3.5 3.5 (mean 2.5 each).
    // Deviations x: -1 -1 0.5 1.5; y: -1.5 -0.5 1 1. Σdx·dy = 4, Σdx² = Σdy² = 4.5: ρ = 4/4.5.
    expect(spearman([7, 7, 8, 9], [1, 2, 3, 3])).toBeCloseTo(8 / 9, 12);
  });

  it("is NaN for a constant sample and refuses mismatched or tiny samples", () => {
    expect(spearman([1, 1, 1], [1, 2, 3])).toBeNaN();
    expect(() => spearman([1, 2], [1])).toThrow(/different lengths/);
    expect(() => spearman([1], [1])).toThrow(/at least two/);
  });
});
