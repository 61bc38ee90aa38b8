import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  clipParam,
  formatMessage,
  MAX_PARAM_CHARS,
  MAX_TEXT_PARAM_CHARS,
  MESSAGES,
  type MessageId,
} from "../../src/errors/codes.js";
import { makeDiagnostic, makeError } from "../../src/errors/errors.js";

const IDS = Object.keys(MESSAGES) as MessageId[];

function placeholders(id: MessageId): string[] {
  return [...MESSAGES[id].template.matchAll(/\{(\w+)\}/g)].map((match) => match[1] as string);
}

/** The longest a message can be: its template plus every placeholder at its clipping length. */
function bound(id: MessageId): number {
  return MESSAGES[id].template.length + placeholders(id).length * MAX_TEXT_PARAM_CHARS;
}

/** Text of any length up to 2 MB, cheap to generate: a random piece repeated. */
const anyText = fc
  .tuple(fc.string({ unit: "grapheme", maxLength: 20 }), fc.integer({ min: 0, max: 100_000 }))
  .map(([piece, times]) => piece.repeat(times));

describe("every catalog message stays bounded, whatever its params", () => {
  it("formatMessage, makeDiagnostic and makeError", () => {
    fc.assert(
      fc.property(fc.constantFrom(...IDS), fc.array(anyText, { minLength: 6, maxLength: 6 }), (id, texts) => {
        const params: Record<string, string> = {};
        placeholders(id).forEach((name, i) => {
          params[name] = texts[i % texts.length] as string;
        });
        const message = formatMessage(id, params);
        expect(message.length).toBeLessThanOrEqual(bound(id));
        expect(makeDiagnostic(id, params).message).toBe(message);
        expect(makeError(id, params).message).toBe(message);
      }),
      { numRuns: 300 },
    );
  });

  it("every message of the catalog with 1 MB params is under 5 KB", () => {
    const huge = "x".repeat(1_000_000);
    for (const id of IDS) {
      const params = Object.fromEntries(placeholders(id).map((name) => [name, huge]));
      expect(formatMessage(id, params).length, id).toBeLessThan(5000);
    }
  });
});

describe("clipParam", () => {
  it("keeps short text, clips long text to the limit with its length", () => {
    expect(clipParam("abc")).toBe("abc");
    const clipped = clipParam("y".repeat(500));
    expect(clipped.length).toBeLessThanOrEqual(MAX_PARAM_CHARS);
    expect(clipped).toMatch(/^y+\.\.\. \(500 characters\)$/);
    expect(clipParam("z".repeat(MAX_PARAM_CHARS))).toBe("z".repeat(MAX_PARAM_CHARS));
  });

  it("never splits a surrogate pair", () => {
    fc.assert(
      fc.property(fc.string({ unit: "grapheme", minLength: 101, maxLength: 400 }), (text) => {
        const clipped = clipParam(text);
        expect(clipped.length).toBeLessThanOrEqual(MAX_PARAM_CHARS);
        expect(clipped).not.toMatch(/[\ud800-\udbff](?![\udc00-\udfff])/);
      }),
    );
  });
});
