// Builds the playground into examples/playground/dist/: index.html, style.css and main.js (the
// page script bundled with ptc-lisp/core for browsers, as one classic script so the page also
// opens from the file system).
// Run it with: npm run playground
import { copyFileSync, mkdirSync, rmSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";

const HERE = dirname(fileURLToPath(import.meta.url));
const STATIC_FILES = ["index.html", "style.css"];

/** Options of `buildPlayground`. */
export interface PlaygroundBuildOptions {
  /** The folder written (emptied first). Default examples/playground/dist. */
  readonly outdir?: string;
}

/** What `buildPlayground` wrote. */
export interface PlaygroundBuild {
  readonly outdir: string;
  /** Size of main.js in bytes. */
  readonly scriptBytes: number;
}

export async function buildPlayground(options: PlaygroundBuildOptions = {}): Promise<PlaygroundBuild> {
  const outdir = options.outdir ?? join(HERE, "dist");
  rmSync(outdir, { recursive: true, force: true });
  mkdirSync(outdir, { recursive: true });
  const result = await build({
    entryPoints: [join(HERE, "main.ts")],
    outfile: join(outdir, "main.js"),
    bundle: true,
    platform: "browser",
    format: "iife",
    target: "es2022",
    minify: true,
    // The openai SDK is imported only when openai() makes a request, which the page never does.
    external: ["openai"],
    legalComments: "none",
    metafile: true,
    logLevel: "silent",
  });
  for (const file of STATIC_FILES) copyFileSync(join(HERE, file), join(outdir, file));
  const script = Object.entries(result.metafile.outputs).find(([path]) => path.endsWith("main.js"));
  return { outdir, scriptBytes: script?.[1].bytes ?? 0 };
}

if (process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1]) {
  try {
    const built = await buildPlayground();
    console.log(
      `wrote ${built.outdir} (main.js: ${built.scriptBytes} bytes); open ${join(built.outdir, "index.html")}`,
    );
  } catch (error) {
    console.error(error instanceof Error ? error.message : error);
    process.exitCode = 1;
  }
}
