import { LMap, PSet, PVector, type Value } from "./value.js";

/**
 * Clojure `get`: maps by key (flex), sets by membership, vectors and strings by integer
 * index; anything else (nil, numbers...) gives `notFound`.
 */
export function getValue(coll: Value, key: Value, notFound: Value = null): Value {
  if (coll instanceof LMap) return coll.get(key, notFound);
  if (coll instanceof PVector) {
    if (typeof key === "number" && Number.isInteger(key) && key >= 0 && key < coll.count) {
      return coll.items[key] as Value;
    }
    return notFound;
  }
  if (coll instanceof PSet) {
    const found = coll.lookup(key);
    return found === undefined ? notFound : found;
  }
  if (typeof coll === "string" && typeof key === "number" && Number.isInteger(key) && key >= 0 && key < coll.length) {
    return coll.charAt(key);
  }
  return notFound;
}
