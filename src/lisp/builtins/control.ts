import type { BuiltinFamily } from "./types.js";

export const CONTROL_BUILTINS: BuiltinFamily = [];
