/**
 * Map keys and set elements: how a key is found (as itself in a host Map, or by structural
 * hash and `=`), and the keyword/string alternative of flex lookups (DESIGN §3).
 */
import { Keyword, LazySeq, PList, type Value } from "./base.js";
import { equals } from "./equality.js";
import type { KeyEquals } from "./hamt.js";
import { hashValue, isComposite } from "./hash.js";
import { chargeAlloc, chargeWork, infiniteSequence } from "./meter.js";

/**
 * The key a flex lookup tries when `key` itself is absent: a keyword's name as a string, or
 * the keyword a string names (DESIGN §3). Undefined for other keys.
 */
export function flexAlternative(key: Value): Value | undefined {
  if (key instanceof Keyword) return key.fqn;
  if (typeof key === "string") return Keyword.find(key);
  return undefined;
}

/** Keys are equal when `=`. */
export const keyEquals: KeyEquals = equals;

/**
 * The scalar slot of a key in a host Map: primitives as themselves, interned and identity
 * objects as themselves, map keywords as their name. Undefined for collections, which are
 * found by hash and equality instead.
 */
export function scalarSlot(key: Value): unknown {
  if (typeof key === "string" && key.length > 256) chargeWork(Math.ceil(key.length / 16));
  return slotOf(key);
}

/** `scalarSlot` without its charge, for keys already paid for. */
export function slotOf(key: Value): unknown {
  // Keywords and primitives first: the keys of almost every map.
  if (key instanceof Keyword) return key;
  return typeof key === "object" && key !== null && isComposite(key) ? undefined : key;
}

/** Strong-enough references to the representatives of composite keys, by hash. */
const representatives = new Map<number, WeakRef<object>[]>();
const cleanup = new FinalizationRegistry<number>((hash) => {
  const bucket = representatives.get(hash);
  if (bucket === undefined) return;
  const live = bucket.filter((ref) => ref.deref() !== undefined);
  if (live.length === 0) representatives.delete(hash);
  else representatives.set(hash, live);
});

/**
 * An identity for a value usable as a host Map key, `=` deciding: primitives and keywords as
 * themselves, collections as one representative per class of equal values (found by
 * structural hash and `=`, never by a printed form). A lazy seq is realized first.
 */
export function keySlot(key: Value): unknown {
  if (!isComposite(key)) return key;
  const value = key instanceof LazySeq ? realizeLazy(key) : key;
  const hash = hashValue(value);
  let bucket = representatives.get(hash);
  if (bucket !== undefined) {
    for (const ref of bucket) {
      const known = ref.deref() as Value | undefined;
      if (known !== undefined && equals(known, value)) return known;
    }
  } else {
    bucket = [];
    representatives.set(hash, bucket);
  }
  bucket.push(new WeakRef(value as object));
  cleanup.register(value as object, hash);
  return value;
}

function realizeLazy(seq: LazySeq): PList {
  if (seq.infinite) throw infiniteSequence("hash");
  const items: Value[] = [];
  for (const item of seq) {
    items.push(item);
    if ((items.length & 1023) === 0) {
      chargeWork(1024);
      chargeAlloc(8 * 1024);
    }
  }
  return PList.from(items);
}
