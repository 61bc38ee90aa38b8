/**
 * Mission templates: `{{name}}` placeholders name signature parameters. They are checked when
 * the agent is defined, and rendered either as references to the input (`data/name`, at compile
 * time and in previews without input) or with short values inlined.
 */

/** The placeholder syntax of mission templates: `{{name}}`. */
export const PLACEHOLDER = /\{\{\s*([A-Za-z_][A-Za-z0-9_?!*+<>=-]*)\s*\}\}/g;

/** The placeholder names of a template, in order of first appearance. */
export function placeholders(template: string): string[] {
  const names: string[] = [];
  for (const match of template.matchAll(PLACEHOLDER)) {
    const name = match[1] as string;
    if (!names.includes(name)) names.push(name);
  }
  return names;
}

/** Values up to this many characters are written into the mission; longer ones are referenced. */
const MAX_INLINE_CHARS = 200;

/**
 * The mission with its placeholders filled. Without `input`, each reads `data/<name>`; with it,
 * a short string, number or boolean is written in, and anything else (a collection, long text,
 * a firewalled `_` input) stays a `data/<name>` reference, so values reach the model only
 * through the data inventory's clipped samples.
 */
export function renderTemplate(template: string, input?: Readonly<Record<string, unknown>>): string {
  return template.replace(PLACEHOLDER, (_whole, name: string) => {
    const reference = `data/${name}`;
    if (input === undefined || name.startsWith("_") || !Object.hasOwn(input, name)) return reference;
    const value = input[name];
    if (typeof value === "string" && value.length <= MAX_INLINE_CHARS && !value.includes("\n")) return value;
    if (typeof value === "number" && Number.isFinite(value)) return String(value);
    if (typeof value === "boolean") return String(value);
    return reference;
  });
}
