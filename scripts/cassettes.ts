// Regenerates the committed model cassettes from scripted replies: no real model is reachable
// where this project is built, so each cassette records what the agent sends (exact requests,
// keyed by their SHA-256) against replies written by hand. Run it after changing a prompt:
//   npm run cassettes
// A test (test/e2e/cassettes.test.ts) fails with a pointer here when a cassette is stale.
import { rm } from "node:fs/promises";
import { recordModel } from "../src/index.js";
import { scriptedModel } from "../src/testing/index.js";
import { CASSETTES } from "../test/fixtures/cassettes.js";

for (const cassette of CASSETTES) {
  await rm(cassette.file, { force: true });
  const model = recordModel(scriptedModel(cassette.replies), { file: cassette.file });
  const result = await cassette.run(model);
  if (!result.ok) {
    console.error(`${cassette.name}: the scripted run failed: ${result.message ?? "(no message)"}`);
    process.exitCode = 1;
  } else {
    console.log(`${cassette.name}: ${result.modelCalls} model calls recorded in ${cassette.file}`);
  }
}
