import { describe, expect, it } from "vitest";
import { compile } from "../../../src/index.js";
import { failureOf, valueOf } from "../../helpers/run-program.js";

/**
 * type and parse-uuid (values are pinned by the conformance cases clj-type-* and clj-uuid-*),
 * and the hints for names left out on purpose, which say why.
 */

describe("type and parse-uuid", () => {
  it("names the kind of each value with a keyword", async () => {
    expect(
      await valueOf(
        '(map type [1 "s" :k \'s true [1] \'(1) (seq [1]) {} #{} (first {:a 1}) inc (atom 1) #"r" (ex-info "m" {}) nil])',
      ),
    ).toBe(
      "(:number :string :keyword :symbol :boolean :vector :list :seq :map :set :map-entry :fn :atom :regex :exception nil)",
    );
    expect(await valueOf("(case (type [1]) :vector :v :map :m :other)")).toBe(":v");
  });

  it("gives a UUID as its lower-case string, nil for other strings, and refuses non-strings", async () => {
    expect(await valueOf('(parse-uuid "B2F6F1C8-1B9E-4D2B-9C55-3C1E0A9F2F10")')).toBe(
      '"b2f6f1c8-1b9e-4d2b-9c55-3c1e0a9f2f10"',
    );
    expect(await valueOf('(parse-uuid " b2f6f1c8-1b9e-4d2b-9c55-3c1e0a9f2f10")')).toBe("nil");
    expect(await failureOf("(parse-uuid nil)")).toMatchObject({ code: "type_error" });
  });
});

describe("hints for what is absent on purpose", () => {
  const hintOf = (source: string) => {
    const result = compile(source);
    return result.ok ? undefined : result.diagnostics[0]?.hint;
  };

  it.each([
    ["(rand)", "no randomness: programs are deterministic, so a run can be replayed"],
    ["(rand-int 10)", "no randomness"],
    ["(rand-nth [1 2])", "no randomness"],
    ["(shuffle [1 2])", "no randomness"],
    ["(bigint 10)", "no big integers: numbers are doubles"],
    ["(biginteger 10)", "no big integers"],
    ['(BigInteger. "1")', "no big integers"],
    ["(Thread/sleep 100)", "no sleeping or waiting: a program's only contact with time is its tool calls"],
    ["(. Thread sleep 100)", "no sleeping"],
    ["(System/exit 1)", "no process to exit: end the program with `return`"],
    ['(js/JSON.parse "{}")', "`json/read-str`"],
    ['(parse-json "{}")', "`json/read-str`"],
    ['(uuid "x")', "use `parse-uuid`"],
  ])("%s", (source, hint) => {
    expect(hintOf(source)).toContain(hint);
  });
});
