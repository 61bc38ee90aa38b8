import type { BuiltinFamily } from "./types.js";

export const PREDICATE_BUILTINS: BuiltinFamily = [];
