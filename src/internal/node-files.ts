/** {@link HostFiles} over `node:fs/promises`: installed by the main entry, never reached from `ptc-lisp/core`. */
import { appendFile, mkdir, readFile, rename, rm, writeFile } from "node:fs/promises";
import { dirname } from "node:path";
import type { HostFiles } from "./files.js";

export const nodeFiles: HostFiles = {
  readText: (path) => readFile(path, "utf8"),
  async writeTextAtomic(path, text) {
    const temporary = `${path}.${globalThis.crypto.randomUUID()}.tmp`;
    try {
      await writeFile(temporary, text, "utf8");
      await rename(temporary, path);
    } catch (error) {
      await rm(temporary, { force: true });
      throw error;
    }
  },
  async appendText(path, text) {
    await mkdir(dirname(path), { recursive: true });
    await appendFile(path, text, "utf8");
  },
  async makeDirectory(path) {
    await mkdir(path, { recursive: true });
  },
};
