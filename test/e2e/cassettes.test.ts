import { readdirSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { CassetteMissError, replayModel } from "../../src/index.js";
import { CASSETTES } from "../fixtures/cassettes.js";

describe("committed cassettes", () => {
  for (const cassette of CASSETTES) {
    it(`${cassette.name} replays without a model`, async () => {
      const result = await cassette.run(replayModel({ file: cassette.file }));
      if (!result.ok && result.message?.includes("cassette_miss")) {
        throw new Error(
          `The cassette ${cassette.file} is stale: the agent now sends a request it does not hold (a prompt ` +
            `changed). Regenerate the cassettes with \`npm run cassettes\` and commit them.\n${result.message}`,
        );
      }
      expect(result.ok, result.message ?? "").toBe(true);
      expect(result.modelCalls).toBe(cassette.modelCalls);
    });
  }

  it("every cassette committed under examples/ is listed, so none goes stale unnoticed", () => {
    const directory = fileURLToPath(new URL("../../examples/cassettes/", import.meta.url));
    const listed = new Set(CASSETTES.map((cassette) => cassette.file));
    const committed = readdirSync(directory).filter((name) => name.endsWith(".jsonl"));
    expect(committed.filter((name) => !listed.has(`${directory}${name}`))).toEqual([]);
  });

  it("a cassette miss names the request and its nearest recorded one", async () => {
    const cassette = CASSETTES[0];
    if (cassette === undefined) return;
    const model = replayModel({ file: cassette.file });
    await expect(
      model.doGenerate({ system: "changed", messages: [{ role: "user", content: "x" }] }, {}),
    ).rejects.toBeInstanceOf(CassetteMissError);
  });
});
