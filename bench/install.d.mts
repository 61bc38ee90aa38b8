/** Types of bench/install.mjs, for the tests. */
export declare const ENTRIES: readonly string[];

export interface ImportRow {
  readonly name: string;
  readonly medianMs: number;
  readonly minMs: number;
  readonly maxMs: number;
  readonly overBareMs: number;
}

export interface InstalledPackage {
  readonly name: string;
  readonly version: string;
  readonly bytes: number;
  readonly files: number;
}

export interface InstallReport {
  readonly date: string;
  readonly runs: number;
  readonly node: string;
  readonly package: string;
  readonly machine: string;
  readonly installMode: string;
  readonly tarball: { readonly bytes: number; readonly unpackedBytes: number; readonly files: number };
  readonly installed: { readonly bytes: number; readonly files: number };
  readonly packages: readonly InstalledPackage[];
  readonly imports: readonly ImportRow[];
  readonly load: { readonly start: number; readonly end: number };
}

export declare function renderInstallMarkdown(report: InstallReport): string;

export declare function importTimes(project: string, runs: number, entries?: readonly string[]): ImportRow[];
