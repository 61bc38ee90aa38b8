/**
 * Spearman's rank correlation: the Pearson correlation of the ranks, with tied values given the
 * mean of the ranks they span.
 */

/** 1-based ranks of `values`; tied values share the average of their ranks. */
export function ranks(values: readonly number[]): number[] {
  const order = values.map((_, index) => index).sort((a, b) => (values[a] as number) - (values[b] as number));
  const sorted = order.map((index) => values[index] as number);
  const out = new Array<number>(values.length).fill(0);
  let start = 0;
  while (start < sorted.length) {
    let end = start;
    while (end + 1 < sorted.length && sorted[end + 1] === sorted[start]) end++;
    // Sorted positions start..end (0-based) hold ranks start+1..end+1; each gets their mean.
    const rank = (start + end) / 2 + 1;
    for (let k = start; k <= end; k++) out[order[k] as number] = rank;
    start = end + 1;
  }
  return out;
}

function pearson(xs: readonly number[], ys: readonly number[]): number {
  const n = xs.length;
  const meanX = xs.reduce((sum, x) => sum + x, 0) / n;
  const meanY = ys.reduce((sum, y) => sum + y, 0) / n;
  let covariance = 0;
  let varianceX = 0;
  let varianceY = 0;
  for (let i = 0; i < n; i++) {
    const dx = (xs[i] as number) - meanX;
    const dy = (ys[i] as number) - meanY;
    covariance += dx * dy;
    varianceX += dx * dx;
    varianceY += dy * dy;
  }
  if (varianceX === 0 || varianceY === 0) return Number.NaN;
  return covariance / Math.sqrt(varianceX * varianceY);
}

/**
 * Spearman's ρ of two paired samples. NaN when a sample is constant (its ranks have no
 * variance); throws when the samples differ in length or have fewer than two pairs.
 */
export function spearman(xs: readonly number[], ys: readonly number[]): number {
  if (xs.length !== ys.length) throw new Error(`spearman: samples of different lengths (${xs.length}, ${ys.length})`);
  if (xs.length < 2) throw new Error("spearman: at least two pairs are needed");
  return pearson(ranks(xs), ranks(ys));
}
