import type { BuiltinFamily } from "./types.js";

export const REGEX_BUILTINS: BuiltinFamily = [];
