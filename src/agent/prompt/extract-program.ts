/**
 * Finding the program in a model's reply (DESIGN §9.2). The reply's text is repaired first:
 * typographic quotes, zero-width characters, non-breaking spaces and CRLF line ends, which
 * models and chat front-ends introduce, become what the reader expects.
 */

/** Where the program came from: a fenced block, or the reply itself starting with `(`. */
export type ExtractedFrom = "fence" | "bare";

/** A program found in a reply, or the reason there is none. */
export type Extraction =
  | {
      readonly ok: true;
      /** The program, its characters repaired (see \`repairText\`). */
      readonly source: string;
      /**
       * The program as written, line ends normalised only. A host prefers it when it reads as
       * it is: a typographic quote or a non-breaking space may belong inside a string.
       */
      readonly raw: string;
      readonly from: ExtractedFrom;
    }
  | { readonly ok: false };

const FENCE = /```[ \t]*([A-Za-z0-9_+-]*)[^\n]*\n([\s\S]*?)(?:```|$)/g;
const LISP_TAGS: ReadonlySet<string> = new Set(["clojure", "clj", "cljs", "lisp", "edn", "ptc", "ptc-lisp", "scheme"]);

/** The reply's text with the characters models garble put right. */
export function repairText(text: string): string {
  return text
    .replace(/\r\n?/g, "\n")
    .replace(/[\u201C\u201D\u201E\u201F\u2033]/g, '"')
    .replace(/[\u2018\u2019\u201A\u201B\u2032]/g, "'")
    .replace(/\u200B|\u200C|\u200D|\u2060|\uFEFF/g, "")
    .replace(/[\u00A0\u2007\u202F]/g, " ");
}

/**
 * The program in a reply: the last fenced block tagged `clojure`/`clj`/`lisp` (or untagged and
 * starting with `(`), else the whole reply when it starts with `(`. The last block wins because
 * models show a draft or an example before their answer.
 */
export function extractProgram(reply: string): Extraction {
  const raw = find(reply.replace(/\r\n?/g, "\n"));
  const repaired = find(repairText(reply));
  if (repaired === undefined) return { ok: false };
  return { ok: true, source: repaired.body, raw: raw?.body ?? repaired.body, from: repaired.from };
}

function find(text: string): { body: string; from: ExtractedFrom } | undefined {
  let found: string | undefined;
  for (const match of text.matchAll(FENCE)) {
    const tag = (match[1] ?? "").toLowerCase();
    const body = (match[2] ?? "").trim();
    if (body === "") continue;
    if (LISP_TAGS.has(tag) || (tag === "" && /^[([;]/.test(body))) found = body;
  }
  if (found !== undefined) return { body: found, from: "fence" };
  const bare = text.trim();
  if (bare.startsWith("(") && !bare.includes("```")) return { body: bare, from: "bare" };
  return undefined;
}
