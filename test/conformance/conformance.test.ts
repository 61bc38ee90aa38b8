import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { type Case, check, runCase, skipReason } from "./harness.js";

const cases = JSON.parse(readFileSync(new URL("./cases.json", import.meta.url), "utf8")) as Case[];

const groups = new Map<string, Case[]>();
for (const testCase of cases) {
  const group = testCase.id.replace(/-\d+$/, "");
  groups.set(group, [...(groups.get(group) ?? []), testCase]);
}

for (const [group, members] of groups) {
  describe(group, () => {
    for (const testCase of members) {
      const reason = skipReason(testCase);
      if (reason !== undefined) {
        it.skip(`${testCase.id} (skipped: ${reason})`, () => {});
        continue;
      }
      it(testCase.id, async () => {
        const results = await runCase(testCase);
        const problems = results.map((result) => check(testCase, result)).filter((problem) => problem !== undefined);
        expect(problems, testCase.program).toEqual([]);
      });
    }
  });
}
