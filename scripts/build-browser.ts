/**
 * The browser bundle of `ptc-lisp/core`: `npm run build:browser` writes
 * dist/browser/ptc-lisp.core.js (an ES module, minified) and prints its
 * size, minified and gzipped. test/e2e/bundle.test.ts builds the same bundle (as a script) and
 * runs it in a plain V8 context.
 *
 * `openai` stays an import of the bundle, loaded only when `openai()` makes its first request:
 * the adapter over it is optional in a browser, and the package carries Node-only fallbacks.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";
import { type BuildOptions, build } from "esbuild";

const ROOT = fileURLToPath(new URL("..", import.meta.url));

/** What the browser bundle is built with; callers add the format and where it goes. */
export const BROWSER_BUILD: BuildOptions = {
  entryPoints: [fileURLToPath(new URL("../src/core.ts", import.meta.url))],
  bundle: true,
  platform: "browser",
  target: "es2022",
  minify: true,
  external: ["openai"],
  legalComments: "eof",
  logLevel: "warning",
};

/** Bytes of the bundle, minified and gzipped. */
export function bundleSize(code: string | Uint8Array): { minified: number; gzip: number } {
  const bytes = typeof code === "string" ? new TextEncoder().encode(code) : code;
  return { minified: bytes.length, gzip: gzipSync(bytes, { level: 9 }).length };
}

if (process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1]) {
  const outfile = fileURLToPath(new URL("../dist/browser/ptc-lisp.core.js", import.meta.url));
  mkdirSync(dirname(outfile), { recursive: true });
  const result = await build({ ...BROWSER_BUILD, format: "esm", outfile, write: false });
  const [code] = result.outputFiles;
  if (code === undefined) throw new Error(`esbuild built no ${outfile}`);
  writeFileSync(outfile, code.contents);
  const size = bundleSize(code.contents);
  const kib = (bytes: number) => `${(bytes / 1024).toFixed(0)} KiB`;
  console.log(`${relative(ROOT, outfile)}: ${kib(size.minified)} minified, ${kib(size.gzip)} gzipped`);
}
