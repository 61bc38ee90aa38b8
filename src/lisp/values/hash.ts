import { Keyword, LazySeq, LMap, LSet, PList, PVector, Sym, type Value } from "./base.js";
import { activeMeter, CHARS_PER_FUEL, infiniteSequence } from "./meter.js";

/**
 * Structural hashing, consistent with `equals` (equality.ts): equal values hash alike.
 *
 * - Vectors, lists and seqs (lazy ones realized) hash as one ordered combination of their
 *   elements, since `(= [1 2] '(1 2))`.
 * - Sets hash as the sum of their elements' hashes, maps as the sum of their entries' hashes:
 *   no order, no sorting, no string built.
 * - Keys are hashed as values: `:a` and `"a"` are different keys (docs/values.md).
 *
 * Walked without host recursion and charged to the active meter: a unit of fuel per element,
 * four per collection opened, one per 16 characters of strings longer than 256. Hashes of
 * collections of 16 or more elements are cached (collections never change).
 */

const SEED_TRUE = 0x2f1b3c4d;
const SEED_FALSE = 0x71a2b3c5;
const SEED_NIL = 0x5bd1e995;
const SEED_KEYWORD = 0x3c6ef372;
const SEED_SYMBOL = 0x1b873593;
const SEED_SEQUENTIAL = 0x68e31da4;
const SEED_MAP = 0x4cf5ad43;
const SEED_SET = 0x2545f491;

/** Strings shorter than this are hashed without charging (the call already paid for it). */
const FREE_STRING = 256;
/** Collections with at least this many elements keep their hash. */
const CACHE_FROM = 16;
const FRAME_COST = 4;
const CHARGE_EVERY = 256;

const hashCache = new WeakMap<object, number>();
const identities = new WeakMap<object, number>();
let nextIdentity = 1;

function mix(h: number): number {
  let x = h | 0;
  x = Math.imul(x ^ (x >>> 16), 0x85ebca6b);
  x = Math.imul(x ^ (x >>> 13), 0xc2b2ae35);
  return (x ^ (x >>> 16)) | 0;
}

/** FNV-1a over UTF-16 units, then mixed. */
export function hashString(text: string): number {
  if (text.length > FREE_STRING && activeMeter !== null) activeMeter.charge(Math.ceil(text.length / CHARS_PER_FUEL));
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return mix(h);
}

const numberView = new DataView(new ArrayBuffer(8));

function hashNumber(value: number): number {
  if (Number.isInteger(value) && value >= -0x80000000 && value <= 0x7fffffff) return mix(value | 0);
  numberView.setFloat64(0, value);
  return mix(numberView.getInt32(0) ^ Math.imul(numberView.getInt32(4), 0x27d4eb2d));
}

const keywordHashes = new WeakMap<Keyword | Sym, number>();

function hashNamed(value: Keyword | Sym, seed: number): number {
  let h = keywordHashes.get(value);
  if (h === undefined) {
    h = mix(hashString(value.fqn) ^ seed);
    keywordHashes.set(value, h);
  }
  return h;
}

function identityHash(value: object): number {
  let id = identities.get(value);
  if (id === undefined) {
    id = nextIdentity++;
    identities.set(value, id);
  }
  return mix(id ^ 0x9e3779b9);
}

type Composite = PVector | PList | LMap | LSet | LazySeq;

/** A collection: hashed by structure, and a map key found by structural hash and `=` rather than as itself. */
export function isComposite(value: Value | Composite): value is Composite {
  return (
    value instanceof PVector ||
    value instanceof PList ||
    value instanceof LMap ||
    value instanceof LSet ||
    value instanceof LazySeq
  );
}

/** The hash of a value that is not a collection. */
function hashScalar(value: Value): number {
  if (value === null) return SEED_NIL;
  if (typeof value === "boolean") return value ? SEED_TRUE : SEED_FALSE;
  if (typeof value === "number") return hashNumber(value);
  if (typeof value === "string") return hashString(value);
  if (value instanceof Keyword) return hashNamed(value, SEED_KEYWORD);
  if (value instanceof Sym) return hashNamed(value, SEED_SYMBOL);
  return identityHash(value as object);
}

/** A collection being hashed. */
interface HashFrame {
  readonly value: Composite;
  readonly kind: "sequential" | "map" | "set";
  readonly items: Iterator<Value>;
  acc: number;
  count: number;
  /** Maps: the hash of the key whose value is pending, or undefined when a key is next. */
  keyHash: number | undefined;
}

function* flatEntries(map: LMap): Generator<Value, void, undefined> {
  for (const [k, v] of map.entries()) {
    yield k;
    yield v;
  }
}

function openFrame(value: Composite): HashFrame {
  activeMeter?.charge(FRAME_COST);
  if (value instanceof LMap) {
    return { value, kind: "map", items: flatEntries(value), acc: SEED_MAP, count: 0, keyHash: undefined };
  }
  if (value instanceof LSet) {
    return { value, kind: "set", items: value[Symbol.iterator](), acc: SEED_SET, count: 0, keyHash: undefined };
  }
  if (value instanceof LazySeq && value.infinite) throw infiniteSequence("hash");
  return {
    value,
    kind: "sequential",
    items: value[Symbol.iterator](),
    acc: SEED_SEQUENTIAL,
    count: 0,
    keyHash: undefined,
  };
}

/** Feeds one element's hash into its collection's running hash. */
function accept(frame: HashFrame, h: number): void {
  if (frame.kind === "sequential") {
    frame.acc = (Math.imul(frame.acc, 31) + h) | 0;
    frame.count++;
  } else if (frame.kind === "set") {
    frame.acc = (frame.acc + h) | 0;
    frame.count++;
  } else if (frame.keyHash === undefined) {
    frame.keyHash = h;
  } else {
    frame.acc = (frame.acc + mix(frame.keyHash ^ Math.imul(h, 0x5bd1e995))) | 0;
    frame.keyHash = undefined;
    frame.count++;
  }
}

function finish(frame: HashFrame): number {
  const h = mix(frame.acc ^ frame.count);
  if (frame.count >= CACHE_FROM) hashCache.set(frame.value, h);
  return h;
}

/** The structural hash of a value (see the file comment). */
export function hashValue(value: Value): number {
  if (!isComposite(value)) return hashScalar(value);
  const cached = hashCache.get(value);
  if (cached !== undefined) return cached;
  const stack: HashFrame[] = [openFrame(value)];
  let walked = 0;
  for (;;) {
    const top = stack[stack.length - 1] as HashFrame;
    const step = top.items.next();
    if (step.done) {
      const h = finish(top);
      stack.pop();
      const parent = stack[stack.length - 1];
      if (parent === undefined) {
        if (walked > 0) activeMeter?.charge(walked);
        return h;
      }
      accept(parent, h);
      continue;
    }
    if (++walked === CHARGE_EVERY) {
      walked = 0;
      activeMeter?.charge(CHARGE_EVERY);
    }
    const item = step.value;
    if (isComposite(item)) {
      const known = hashCache.get(item);
      if (known !== undefined) accept(top, known);
      else stack.push(openFrame(item));
    } else {
      accept(top, hashScalar(item));
    }
  }
}
