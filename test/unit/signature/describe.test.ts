import { describe, expect, it } from "vitest";
import {
  defineTool,
  describeData,
  describeTools,
  inferType,
  parseSignature,
  renderType,
  validate,
} from "../../../src/index.js";

describe("inferType", () => {
  it("infers records and merges list elements: optional fields, floats, nils", () => {
    const sample = [
      { id: 1, total: 10, note: "x" },
      { id: 2, total: 2.5, note: null },
      { id: 3, total: 4 },
    ];
    expect(renderType(inferType(sample))).toBe("[{id :int, total :float, note :string?}]");
    expect(renderType(inferType({ tags: [], nested: { ok: true } }))).toBe("{tags [:any], nested {ok :bool}}");
    expect(renderType(inferType([1, "a", true, null]))).toBe("[(:int | :string | :bool)?]");
    expect(renderType(inferType([1, "a", true, { a: 1 }]))).toBe("[:any]");
  });

  it("gives types the sample validates against", () => {
    const sample = {
      orders: [
        { id: 1, items: [{ sku: "a" }] },
        { id: 2, items: [] },
      ],
    };
    expect(validate(inferType(sample), sample).ok).toBe(true);
  });
});

describe("describeData and describeTools", () => {
  it("list the inputs from a signature or from data, hiding firewalled ones", () => {
    const parsed = parseSignature('(orders [{id :int}] "the orders", _tenant :string, limit :int?) -> :any');
    if (!parsed.ok) throw new Error("parse");
    expect(describeData(parsed.signature)).toBe("data/orders [{id :int}] — the orders\ndata/limit :int?");
    expect(describeData({ orders: [{ id: 1 }, { id: 2 }], _secret: "x", n: 3 })).toBe(
      "data/orders [{id :int}] (2 items)\ndata/n :int",
    );
  });

  it("list tools with their contracts and descriptions", () => {
    const tools = {
      search_docs: defineTool({
        name: "search_docs",
        description: "Full-text search.",
        input: "(query :string, _tenant :string?)",
        output: "[{id :int, _score :float}]",
        execute: () => [],
      }),
      ping: async () => "pong",
    };
    expect(describeTools(tools)).toBe(
      "tool/search-docs (query :string) -> [{id :int}]\n  Full-text search.\ntool/ping (...) -> :any",
    );
  });
});
