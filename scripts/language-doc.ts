/**
 * Writes docs/language.md, the complete PTC-Lisp language reference, from the builtin registry
 * and the special-form and macro declarations: `npm run docs:language`.
 * test/unit/docs/language-doc.test.ts fails when the committed file is stale.
 */
import { writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { languageMarkdown } from "../src/lisp/builtins/language-markdown.js";

export const LANGUAGE_DOC_PATH = fileURLToPath(new URL("../docs/language.md", import.meta.url));

if (process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1]) {
  writeFileSync(LANGUAGE_DOC_PATH, languageMarkdown());
  console.log(`wrote ${LANGUAGE_DOC_PATH}`);
}
