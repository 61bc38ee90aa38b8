import type { BuiltinFamily } from "./types.js";

export const STRING_BUILTINS: BuiltinFamily = [];
