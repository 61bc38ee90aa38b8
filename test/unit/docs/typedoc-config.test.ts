// `npm run docs` (TypeDoc) documents every public entry of the package; running TypeDoc itself
// takes half a minute, so CI runs it as a step of its own, not here.
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..", "..", "..");

const readJson = (file: string): Record<string, unknown> => JSON.parse(readFileSync(join(ROOT, file), "utf8"));

describe("typedoc.json", () => {
  const config = readJson("typedoc.json");

  it("documents exactly the package's entry points", () => {
    const exports = readJson("package.json")["exports"] as Record<string, { types?: string } | string>;
    const sources = Object.values(exports)
      .flatMap((target) => (typeof target === "object" && target.types !== undefined ? [target.types] : []))
      .map((types) => types.replace(/^\.\/dist\//, "src/").replace(/\.d\.ts$/, ".ts"));
    expect(sources.length).toBeGreaterThanOrEqual(2);
    expect([...(config["entryPoints"] as string[])].sort()).toEqual([...sources].sort());
  });

  it("fails on any warning and writes to an ignored directory", () => {
    expect(config["treatWarningsAsErrors"]).toBe(true);
    expect(config["out"]).toBe("docs/api");
    expect(readFileSync(join(ROOT, ".gitignore"), "utf8").split("\n")).toContain("docs/api/");
  });
});
