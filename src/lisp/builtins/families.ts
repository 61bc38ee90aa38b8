import { COLLECTION_BUILTINS } from "./collections.js";
import { CONTROL_BUILTINS } from "./control.js";
import { JSON_BUILTINS } from "./json-text.js";
import { MAP_SET_BUILTINS } from "./maps-sets.js";
import { MATH_BUILTINS } from "./math.js";
import { PREDICATE_BUILTINS } from "./predicates.js";
import { PTC_BUILTINS } from "./ptc.js";
import { REGEX_BUILTINS } from "./regex.js";
import { SEQUENCE_BUILTINS } from "./sequences.js";
import { STRING_BUILTINS } from "./strings.js";
import type { BuiltinSpec } from "./types.js";
import { WALK_BUILTINS } from "./walk.js";

/** The builtin families that compute (the documentation builtins of docs.ts come on top). */
export const FAMILIES: readonly (readonly BuiltinSpec[])[] = [
  COLLECTION_BUILTINS,
  SEQUENCE_BUILTINS,
  MAP_SET_BUILTINS,
  MATH_BUILTINS,
  PREDICATE_BUILTINS,
  STRING_BUILTINS,
  REGEX_BUILTINS,
  PTC_BUILTINS,
  CONTROL_BUILTINS,
  WALK_BUILTINS,
  JSON_BUILTINS,
];
