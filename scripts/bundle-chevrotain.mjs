// Replaces dist/lisp/chevrotain.js (tsc's re-export of the chevrotain package) with one bundled
// file of those exports, and writes the licenses of the packages bundled into it beside it.
// Chevrotain loads lodash-es as hundreds of modules; as one file, importing the library takes
// a fraction of the time, and the published package needs neither at run time.
import { readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const outfile = join(root, "dist/lisp/chevrotain.js");
const licenses = join(root, "dist/lisp/chevrotain.LICENSES.txt");

const result = await build({
  entryPoints: [join(root, "src/lisp/chevrotain.ts")],
  outfile,
  bundle: true,
  format: "esm",
  platform: "neutral",
  mainFields: ["module", "main"],
  target: "es2022",
  minifyWhitespace: true,
  minifySyntax: true,
  legalComments: "eof",
  metafile: true,
  logLevel: "warning",
  banner: {
    js: `// Chevrotain and the packages it uses, bundled by scripts/bundle-chevrotain.mjs; their licenses: ./chevrotain.LICENSES.txt`,
  },
});
rmSync(`${outfile}.map`, { force: true });

/** The package directory (under node_modules) of each bundled input, with its name and version. */
const packages = new Map();
for (const input of Object.keys(result.metafile.inputs)) {
  const match = /^(.*node_modules\/(?:@[^/]+\/)?[^/]+)\//.exec(input);
  if (match === null) continue;
  const directory = join(root, match[1]);
  if (packages.has(directory)) continue;
  const manifest = JSON.parse(readFileSync(join(directory, "package.json"), "utf8"));
  packages.set(directory, manifest);
}
/** Each license text once, after the packages it covers. */
const texts = new Map();
for (const [directory, manifest] of [...packages].sort(([, a], [, b]) => a.name.localeCompare(b.name))) {
  const file = readdirSync(directory).find((name) => /^(licen[sc]e|copying)(\.(md|txt))?$/i.test(name));
  if (file === undefined) throw new Error(`no license file in ${relative(root, directory)}`);
  const text = readFileSync(join(directory, file), "utf8").trim();
  const covered = texts.get(text) ?? [];
  covered.push(`${manifest.name}@${manifest.version} (${manifest.license})`);
  texts.set(text, covered);
}
const sections = [...texts].map(([text, covered]) => `${covered.join("\n")}\n${"=".repeat(72)}\n${text}\n`);
writeFileSync(licenses, sections.join("\n\n"));
const bytes = readFileSync(outfile).length;
console.log(`${relative(root, outfile)}: ${(bytes / 1024).toFixed(0)} KiB from ${packages.size} packages`);
