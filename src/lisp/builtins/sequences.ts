import { SEQUENCE_CONSUME_BUILTINS } from "./sequences-consume.js";
import { SEQUENCE_GENERATE_BUILTINS } from "./sequences-generate.js";
import { SEQUENCE_GROUP_SORT_BUILTINS } from "./sequences-group-sort.js";
import { SEQUENCE_REDUCE_BUILTINS } from "./sequences-reduce.js";
import { SEQUENCE_SLICE_BUILTINS } from "./sequences-slice.js";
import { SEQUENCE_TRANSFORM_BUILTINS } from "./sequences-transform.js";
import type { BuiltinFamily } from "./types.js";

export { comparatorOf } from "./sequences-group-sort.js";
export { ensureFinite, isInfinite, memoLazy, pullerOf, realizeAll } from "./sequences-lazy.js";
export {
  lazyXform,
  lispXformColl,
  NativeFn,
  Reduced,
  type Reducer,
  ReducingFn,
  reduceColl,
  runXform,
  TransducerFn,
  toReducer,
  type Xform,
  xformOf,
} from "./sequences-transducers.js";

/**
 * The sequence builtins, assembled from the files by concern in registry order (the order
 * docs/language.md lists them in).
 */
export const SEQUENCE_BUILTINS: BuiltinFamily = [
  ...SEQUENCE_TRANSFORM_BUILTINS,
  ...SEQUENCE_REDUCE_BUILTINS,
  ...SEQUENCE_SLICE_BUILTINS,
  ...SEQUENCE_GROUP_SORT_BUILTINS,
  ...SEQUENCE_GENERATE_BUILTINS,
  ...SEQUENCE_CONSUME_BUILTINS,
];
