/**
 * Checks an engine's result against plain JavaScript's: numbers agree within a relative
 * tolerance of 1e-9 (engines may sum floats differently), everything else exactly; the
 * group-by top 10 is compared as customer/count/total.
 */

export const RELATIVE_TOLERANCE = 1e-9;

/** The part of a workload's result that is compared. */
export function project(id, value) {
  if (id === "b" && Array.isArray(value)) {
    return value.map((row) => ({ customer: row?.customer, count: row?.count, total: row?.total }));
  }
  return value;
}

const near = (actual, expected) =>
  actual === expected ||
  Math.abs(actual - expected) <= RELATIVE_TOLERANCE * Math.max(Math.abs(actual), Math.abs(expected));

const show = (value) => {
  const text = JSON.stringify(value);
  return text === undefined ? String(value) : text.length > 80 ? `${text.slice(0, 77)}...` : text;
};

/** The first difference between `actual` and `expected` as a sentence, or null when they agree. */
export function difference(actual, expected, path = "result") {
  if (typeof expected === "number" && typeof actual === "number") {
    return near(actual, expected) ? null : `${path}: ${actual} is not ${expected}`;
  }
  if (Array.isArray(expected)) {
    if (!Array.isArray(actual)) return `${path}: ${show(actual)} is not an array`;
    if (actual.length !== expected.length) return `${path}: length ${actual.length} is not ${expected.length}`;
    for (let i = 0; i < expected.length; i++) {
      const found = difference(actual[i], expected[i], `${path}[${i}]`);
      if (found) return found;
    }
    return null;
  }
  if (expected !== null && typeof expected === "object") {
    if (actual === null || typeof actual !== "object" || Array.isArray(actual)) {
      return `${path}: ${show(actual)} is not an object`;
    }
    const expectedKeys = Object.keys(expected).sort();
    const actualKeys = Object.keys(actual).sort();
    if (show(actualKeys) !== show(expectedKeys))
      return `${path}: keys ${show(actualKeys)} are not ${show(expectedKeys)}`;
    for (const key of expectedKeys) {
      const found = difference(actual[key], expected[key], `${path}.${key}`);
      if (found) return found;
    }
    return null;
  }
  return Object.is(actual, expected) ? null : `${path}: ${show(actual)} is not ${show(expected)}`;
}

/** Checks every value an engine reported for workload `id` against the reference value. */
export function checkWorkload(id, values, reference) {
  if (!Array.isArray(values) || values.length === 0) return "no result";
  for (const value of values) {
    const found = difference(project(id, value), project(id, reference));
    if (found) return found;
  }
  return null;
}
