import { MAP_BUILTINS, MAP_REDUCE_BUILTINS } from "./maps-sets-maps.js";
import { SET_BUILTINS } from "./maps-sets-sets.js";
import { SORTED_MAP_BUILTINS, SORTED_SET_BUILTINS } from "./maps-sets-sorted.js";
import type { BuiltinFamily } from "./types.js";

export { NATURAL_ORDER } from "./maps-sets-sorted.js";

/**
 * The map and set builtins, assembled from the files by concern in registry order (the order
 * docs/language.md lists them in).
 */
export const MAP_SET_BUILTINS: BuiltinFamily = [
  ...MAP_BUILTINS,
  ...SORTED_MAP_BUILTINS,
  ...MAP_REDUCE_BUILTINS,
  ...SET_BUILTINS,
  ...SORTED_SET_BUILTINS,
];
