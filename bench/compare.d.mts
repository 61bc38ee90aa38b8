/** Types of bench/compare.mjs, for the tests. */
export declare const RELATIVE_TOLERANCE: number;
export declare function project(id: string, value: unknown): unknown;
export declare function difference(actual: unknown, expected: unknown, path?: string): string | null;
export declare function checkWorkload(id: string, values: readonly unknown[], reference: unknown): string | null;
