import type { BuiltinFamily } from "./types.js";

export const PTC_BUILTINS: BuiltinFamily = [];
