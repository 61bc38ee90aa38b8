import type { BuiltinFamily } from "./types.js";

export const COLLECTION_BUILTINS: BuiltinFamily = [];
