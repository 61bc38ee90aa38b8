import type { BuiltinFamily } from "./types.js";

export const SEQUENCE_BUILTINS: BuiltinFamily = [];
