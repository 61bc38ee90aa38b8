import type { BuiltinFamily } from "./types.js";

export const MAP_SET_BUILTINS: BuiltinFamily = [];
