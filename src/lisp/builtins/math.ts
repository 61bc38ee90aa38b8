import type { BuiltinFamily } from "./types.js";

export const MATH_BUILTINS: BuiltinFamily = [];
