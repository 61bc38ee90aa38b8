import { describe, expect, it } from "vitest";
import {
  defineAgent,
  defineTool,
  extractProgram,
  placeholders,
  renderTemplate,
  repairText,
} from "../../../src/index.js";

const tools = {
  search: defineTool({
    name: "search",
    description: "Full-text search over the catalog.",
    input: "(query :string, limit :int?)",
    output: "[{id :int, title :string, _internal :string}]",
    execute: () => [],
  }),
};

function agentWith(prompt: string, extra: Record<string, unknown> = {}) {
  return defineAgent({
    name: "catalog",
    prompt,
    signature: "(query :string, items [{id :int, name :string, _secret :string}]) -> [:int]",
    tools,
    ...extra,
  });
}

const INPUT = {
  query: "red shoes",
  items: [
    { id: 1, name: "a", _secret: "hidden-value" },
    { id: 2, name: "b", _secret: "hidden-value" },
    { id: 3, name: "c", _secret: "hidden-value" },
  ],
};

describe("previewPrompt", () => {
  it("returns the system prompt, the first message and sections with estimates", () => {
    const preview = agentWith("Find {{query}} among data/items.").previewPrompt(INPUT);
    expect(preview.sections.map((section) => section.name)).toEqual([
      "language",
      "format",
      "tools",
      "data",
      "output",
      "mission",
    ]);
    for (const section of preview.sections) expect(section.tokens).toBe(Math.ceil(section.text.length / 4) + 4);
    expect(preview.totalTokens).toBe(preview.sections.reduce((sum, section) => sum + section.tokens, 0));
    expect(preview.messages).toHaveLength(1);
    const user = preview.messages[0]?.content ?? "";
    expect(user).toContain("tool/search (query :string, limit :int?)");
    expect(user).toContain("Full-text search");
    expect(user).toContain("data/items [{id :int, name :string}]");
    expect(user).toContain("sample (3 items)");
    expect(user).toContain("Find red shoes among data/items.");
    expect(user).not.toContain("_secret");
    expect(user).not.toContain("hidden-value");
    expect(user).not.toContain("_internal");
  });

  it("without an input, placeholders read as data/<name> and the inventory shows types only", () => {
    const preview = agentWith("Find {{query}}.").previewPrompt();
    const user = preview.messages[0]?.content ?? "";
    expect(user).toContain("Find data/query.");
    expect(user).not.toContain("sample");
  });

  it("keeps the system prompt byte-stable across missions, tools and inputs", () => {
    const a = agentWith("Find {{query}}.").previewPrompt(INPUT).system;
    const b = defineAgent({
      name: "other",
      prompt: "Something else entirely.",
      signature: "() -> :int",
    }).previewPrompt().system;
    expect(a).toBe(b);
    const language = agentWith("x").previewPrompt().sections[0];
    expect(language?.name).toBe("language");
    expect(language?.text.length).toBeLessThanOrEqual(3500);
  });

  it("takes a pluggable estimator", () => {
    const preview = agentWith("x", { estimateTokens: (text: string) => text.split(/\s+/).length }).previewPrompt();
    const mission = preview.sections.find((section) => section.name === "mission");
    expect(mission?.tokens).toBe("## Mission\nx".split(/\s+/).length);
  });

  it("drops data samples first to meet maxPromptTokens", () => {
    const big = {
      query: "q",
      items: Array.from({ length: 50 }, (_, id) => ({ id, name: "n".repeat(70), _secret: "s" })),
    };
    const full = agentWith("x").previewPrompt(big);
    const budget = full.totalTokens - 10;
    const clipped = agentWith("x", { maxPromptTokens: budget }).previewPrompt(big);
    expect(clipped.totalTokens).toBeLessThan(full.totalTokens);
    expect(clipped.messages[0]?.content).not.toContain("sample");
  });

  it("is what run sends first", async () => {
    const { scriptedModel } = await import("../../../src/testing/index.js");
    const model = scriptedModel(["```clojure\n(return [1])\n```"]);
    const agent = agentWith("Find {{query}}.", { model });
    await agent.run(INPUT);
    const preview = agent.previewPrompt(INPUT);
    expect(model.calls[0]?.request.system).toBe(preview.system);
    expect(model.calls[0]?.request.messages).toEqual(preview.messages);
  });
});

describe("templates", () => {
  it("lists placeholders once each, in order", () => {
    expect(placeholders("{{a}} and {{ b }} and {{a}}")).toEqual(["a", "b"]);
  });

  it("writes short scalars in and references everything else", () => {
    const text = renderTemplate("{{q}} {{n}} {{flag}} {{list}} {{long}} {{_hidden}} {{missing}}", {
      q: "shoes",
      n: 3,
      flag: true,
      list: [1, 2],
      long: "x".repeat(500),
      _hidden: "secret",
    });
    expect(text).toBe("shoes 3 true data/list data/long data/_hidden data/missing");
  });
});

describe("extractProgram", () => {
  const cases: [string, string, string | undefined][] = [
    ["a clojure fence", "Sure:\n```clojure\n(+ 1 2)\n```\nDone.", "(+ 1 2)"],
    ["a clj fence", "```clj\n(inc 1)\n```", "(inc 1)"],
    ["a lisp fence", "```lisp\n(inc 1)\n```", "(inc 1)"],
    ["an untagged fence with a form", "```\n(inc 1)\n```", "(inc 1)"],
    ["the last of several blocks", "Draft:\n```clojure\n(draft)\n```\nFinal:\n```clojure\n(final)\n```", "(final)"],
    ["a bare reply", "(return 42)", "(return 42)"],
    ["an unclosed fence (cut reply)", "```clojure\n(return (count", "(return (count"],
    ["prose only", "The answer is 42.", undefined],
    ["a python block", "```python\nprint(1)\n```", undefined],
  ];
  for (const [name, reply, expected] of cases) {
    it(`finds ${name}`, () => {
      const found = extractProgram(reply);
      expect(found.ok ? found.source : undefined).toBe(expected);
    });
  }

  it("repairs smart quotes, zero-width characters, NBSP and CRLF", () => {
    const found = extractProgram("```clojure\r\n(str \u201Chi\u201D\u00A0\u200B\u2018x)\r\n```");
    expect(found.ok && found.source).toBe('(str "hi" \'x)');
    expect(repairText("a\r\nb\rc")).toBe("a\nb\nc");
  });
});

describe("typographic characters inside strings", () => {
  it("keeps the program as written when it reads, and repairs it when it does not", async () => {
    const { scriptedModel } = await import("../../../src/testing/index.js");
    const { defineAgent: define } = await import("../../../src/index.js");
    const model = scriptedModel([
      '```clojure\n(str "He said \u201Chi\u201D")\n```',
      "```clojure\n(str \u201Cplain\u201D)\n```",
    ]);
    const agent = define({ name: "q", prompt: "Say it.", signature: "() -> :string", model, maxTurns: 1 });
    const first = await agent.run({});
    expect(first.ok && first.json).toBe("He said \u201Chi\u201D");
    const second = await agent.run({});
    expect(second.ok && second.json).toBe("plain");
  });
});

describe("previewPrompt with a bad input", () => {
  it("throws a validation_error instead of previewing something else", () => {
    expect(() => agentWith("x").previewPrompt({ query: 1, items: "no" } as never)).toThrow(/does not match/);
  });
});
