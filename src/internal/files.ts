/**
 * Files as an installed capability. The few features that read or write files (the compile
 * cache's file store, `loadCompiledAgent(path)`, `compiled.save(path)`, cassette files) reach
 * them through this interface; the main entry `ptc-lisp` installs Node's file system
 * (node-files.ts) when it is imported, `ptc-lisp/core` installs nothing, so no module it
 * reaches imports `node:`.
 */

/**
 * The file operations the library uses, with Node's semantics: paths as Node takes them, text
 * as UTF-8, failures rejected with the file system's error (its `code`, e.g. `ENOENT`, kept).
 */
export interface HostFiles {
  /** The file's text. */
  readText(path: string): Promise<string>;
  /** Replaces the file's text atomically: a temporary file in the same directory renamed over it. */
  writeTextAtomic(path: string, text: string): Promise<void>;
  /** Appends to the file, creating it and its directory. */
  appendText(path: string, text: string): Promise<void>;
  /** Creates a directory and its parents; an existing one is left alone. */
  makeDirectory(path: string): Promise<void>;
}

let installed: HostFiles | undefined;

/** Installs the file system (the Node entry does). */
export function installFiles(files: HostFiles): void {
  installed = files;
}

/** The installed file system, or undefined where there is none (`ptc-lisp/core`). */
export function hostFiles(): HostFiles | undefined {
  return installed;
}

/** The `code` of a file system error (`ENOENT`, ...), if it has one. */
export function fileErrorCode(error: unknown): unknown {
  return error !== null && typeof error === "object" ? (error as { code?: unknown }).code : undefined;
}
