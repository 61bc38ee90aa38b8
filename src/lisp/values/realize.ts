import { chargeAlloc, chargeWork, infiniteSequence } from "./meter.js";
import { LazySeq, LMap, PList, PMap, PSet, PVector, type Value } from "./value.js";

/** A collection being rebuilt: its elements (for maps, alternating keys and values) and what became of them. */
interface RealizeFrame {
  readonly source: Value;
  readonly items: readonly Value[];
  index: number;
  /** The realized elements, once one of them differs from the original. */
  copy: Value[] | undefined;
}

function elements(value: Value): readonly Value[] | undefined {
  if (value instanceof PVector) return value.elements();
  if (value instanceof PList) return value.items;
  if (value instanceof LMap) {
    const flat: Value[] = [];
    for (const [k, v] of value.entries()) flat.push(k, v);
    return flat;
  }
  if (value instanceof PSet) return Array.from(value);
  if (value instanceof LazySeq) {
    if (value.infinite) throw infiniteSequence("the result");
    if (value.size !== undefined) {
      // Known length (`range`, `repeat`): charged in full before it is walked.
      chargeWork(value.size);
      chargeAlloc(8 * value.size);
      return Array.from(value);
    }
    const items: Value[] = [];
    for (const item of value) {
      items.push(item);
      if (items.length % 1024 === 0) {
        chargeWork(1024);
        chargeAlloc(8 * 1024);
      }
    }
    return items;
  }
  return undefined;
}

function rebuild(frame: RealizeFrame): Value {
  const { source, copy } = frame;
  if (source instanceof LazySeq) return PList.from(copy ?? frame.items.slice(), false);
  if (copy === undefined) return source;
  if (source instanceof PVector) return PVector.from(copy);
  if (source instanceof PList) return PList.from(copy, source.isList);
  if (source instanceof PSet) return PSet.from(copy);
  const pairs: [Value, Value][] = [];
  for (let i = 0; i + 1 < copy.length; i += 2) pairs.push([copy[i] as Value, copy[i + 1] as Value]);
  return PMap.fromEntries(pairs);
}

/**
 * A run's value with every lazy seq inside its collections realized (as seqs), so that no
 * program code runs after the run, when the host prints or walks the value. Collections
 * without lazy parts come back unchanged. An infinite seq is `limit_exceeded`. Walked without
 * host recursion and charged to the active meter, a unit of fuel per element.
 */
export function realizeDeep(value: Value): Value {
  const rootItems = elements(value);
  if (rootItems === undefined) return value;
  const stack: RealizeFrame[] = [{ source: value, items: rootItems, index: 0, copy: undefined }];
  let walked = 0;
  for (;;) {
    const top = stack[stack.length - 1] as RealizeFrame;
    if (top.index < top.items.length) {
      if (++walked === 1024) {
        walked = 0;
        chargeWork(1024);
      }
      const item = top.items[top.index] as Value;
      const inner = elements(item);
      if (inner !== undefined) {
        stack.push({ source: item, items: inner, index: 0, copy: undefined });
        continue;
      }
      top.copy?.push(item);
      top.index++;
      continue;
    }
    const done = rebuild(top);
    stack.pop();
    const parent = stack[stack.length - 1];
    if (parent === undefined) {
      chargeWork(walked);
      return done;
    }
    if (done !== parent.items[parent.index] && parent.copy === undefined) {
      parent.copy = parent.items.slice(0, parent.index) as Value[];
    }
    parent.copy?.push(done);
    parent.index++;
  }
}
