import { docOf, type LanguageDoc, languageReference, searchNames } from "../../index.js";
import { type CliIo, EXIT_FAILURE, EXIT_OK, writeJson } from "../io.js";

/** `ptc doc [NAME] [--json]`: the language reference, or one name's documentation. */
export function docCommand(name: string | undefined, json: boolean, io: CliIo): number {
  if (name === undefined) {
    const reference = languageReference();
    if (json) writeJson(io, { reference });
    else io.stdout.write(reference.endsWith("\n") ? reference : `${reference}\n`);
    return EXIT_OK;
  }
  const doc = docOf(name);
  if (doc === undefined) {
    const suggestions = suggestNames(name);
    const hint = suggestions.length > 0 ? `; did you mean ${suggestions.join(", ")}?` : "";
    io.stderr.write(`ptc: no function or form named ${JSON.stringify(name)}${hint}\n`);
    if (json) writeJson(io, { error: "unknown_name", name, suggestions });
    return EXIT_FAILURE;
  }
  if (json) writeJson(io, doc);
  else io.stdout.write(renderDoc(doc));
  return EXIT_OK;
}

function renderDoc(doc: LanguageDoc): string {
  const lines = [`${doc.name} (${doc.kind})`, `  ${doc.usage}`];
  if (doc.signature !== undefined) lines.push(`  ${doc.signature}`);
  lines.push(`  ${doc.doc}`);
  return `${lines.join("\n")}\n`;
}

const MAX_SUGGESTIONS = 3;

/**
 * Up to three documented names close to a misspelled one: the nearest by edit distance (at
 * most a third of the name's length), then names containing it.
 */
export function suggestNames(name: string): string[] {
  const wanted = name.toLowerCase();
  const bare = (candidate: string) => candidate.slice(candidate.lastIndexOf("/") + 1).toLowerCase();
  const budget = Math.max(1, Math.floor(wanted.length / 3));
  const near = searchNames("")
    .map((candidate) => ({ candidate, distance: editDistance(wanted, bare(candidate)) }))
    .filter((entry) => entry.distance <= budget)
    .sort((a, b) => a.distance - b.distance || compareText(a.candidate, b.candidate))
    .map((entry) => entry.candidate);
  const containing = wanted.length >= 3 ? searchNames(wanted) : [];
  return [...new Set([...near, ...containing])].slice(0, MAX_SUGGESTIONS);
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Levenshtein distance, with a transposition of neighbours counted as one edit. */
function editDistance(a: string, b: string): number {
  const rows: number[][] = [];
  for (let i = 0; i <= a.length; i++) {
    const row: number[] = [i];
    for (let j = 1; j <= b.length; j++) {
      if (i === 0) {
        row.push(j);
        continue;
      }
      const above = rows[i - 1] as number[];
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let best = Math.min((above[j] as number) + 1, (row[j - 1] as number) + 1, (above[j - 1] as number) + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        best = Math.min(best, ((rows[i - 2] as number[])[j - 2] as number) + 1);
      }
      row.push(best);
    }
    rows.push(row);
  }
  return (rows[a.length] as number[])[b.length] as number;
}
