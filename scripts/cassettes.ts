// Regenerates the committed model cassettes from scripted replies: no real model is reachable
// where this project is built, so each cassette records what the agent sends (exact requests,
// keyed by their SHA-256) against replies written by hand. Run it after changing a prompt:
//   npm run cassettes
// A test (test/e2e/cassettes.test.ts) fails with a pointer here when a cassette is stale.
import { readFile, rm, writeFile } from "node:fs/promises";
import { recordModel } from "../src/index.js";
import { scriptedModel } from "../src/testing/index.js";
import { CASSETTES } from "../test/fixtures/cassettes.js";

/**
 * Parallel calls (jit and compile candidates) are recorded in the order they finish; sorting
 * the entries by key (stably, so identical requests keep their order) makes a regenerated
 * cassette byte-identical.
 */
async function sortByKey(file: string): Promise<void> {
  const lines = (await readFile(file, "utf8")).split("\n").filter((line) => line !== "");
  const keyOf = (line: string): string => (JSON.parse(line) as { key: string }).key;
  const sorted = lines
    .map((line, index) => ({ line, index, key: keyOf(line) }))
    .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : a.index - b.index))
    .map((entry) => entry.line);
  await writeFile(file, `${sorted.join("\n")}\n`);
}

for (const cassette of CASSETTES) {
  await rm(cassette.file, { force: true });
  const model = recordModel(scriptedModel(cassette.replies), { file: cassette.file });
  const result = await cassette.run(model);
  if (!result.ok) {
    console.error(`${cassette.name}: the scripted run failed: ${result.message ?? "(no message)"}`);
    process.exitCode = 1;
  } else {
    await sortByKey(cassette.file);
    console.log(`${cassette.name}: ${result.modelCalls} model calls recorded in ${cassette.file}`);
  }
}
