/**
 * Input generators and deterministic tool stubs shared by the cost calibration corpus. Every
 * generator takes the size of the lists it makes and a seed that changes the values (statuses,
 * totals, tiers) but never the sizes, so a program whose tool calls do not depend on values
 * makes the same calls for every seed.
 */

/** A stub tool: a deterministic function of its (snake_case) arguments. */
export type ToolStub = (args: Record<string, unknown>) => unknown;

/** Line items per order: the fixed size of `orders.items`. */
export const ITEMS_PER_ORDER = 3;
/** Hits returned by `search`: the fixed size of `search`. */
export const SEARCH_HITS = 4;
/** Records per page returned by `list-page`. */
export const PAGE_SIZE = 5;
/** Repositories returned by `list-repos`, and files in each. */
export const REPOS = 3;
export const FILES_PER_REPO = 2;
/** Customers returned by `list-customers`. */
export const CRM_CUSTOMERS = 6;

const STATUSES = ["paid", "pending", "refunded"] as const;
const REGIONS = ["eu", "us", "apac", "latam"] as const;
const TIERS = ["gold", "silver", "standard"] as const;
const PRIORITIES = ["high", "medium", "low"] as const;
const KINDS = ["bug", "billing", "question"] as const;
const CURRENCIES = ["USD", "EUR", "GBP", "JPY"] as const;

function pick<T>(list: readonly T[], index: number): T {
  return list[index % list.length] as T;
}

function times<T>(n: number, make: (index: number) => T): T[] {
  return Array.from({ length: n }, (_, index) => make(index));
}

/** A small deterministic hash of a string, for stub results that vary with their arguments. */
export function hash(text: string): number {
  let value = 7;
  for (let i = 0; i < text.length; i++) value = (value * 31 + text.charCodeAt(i)) % 100_003;
  return value;
}

function text(args: Record<string, unknown>, key: string): string {
  const value = args[key];
  return typeof value === "string" ? value : JSON.stringify(value ?? null);
}

export function orders(n: number, seed = 0) {
  return times(n, (i) => ({
    id: 1000 + i,
    customer_id: 1 + ((i * 7 + seed) % 13),
    status: pick(STATUSES, i + seed),
    region: pick(REGIONS, i * 3 + seed),
    currency: pick(CURRENCIES, i + seed),
    total: 20 + ((i * 37 + seed * 11) % 300),
    items: times(ITEMS_PER_ORDER, (j) => ({
      sku: `SKU-${(i * ITEMS_PER_ORDER + j + seed) % 50}`,
      qty: 1 + ((i + j + seed) % 4),
      price: 5 + ((i * j + seed) % 40),
    })),
  }));
}

export function customers(n: number, seed = 0) {
  return times(n, (i) => ({
    id: 1 + i,
    name: `Customer ${i + 1}`,
    email: `customer${i + 1}@example.com`,
    tier: pick(TIERS, i + seed),
    zip: String(10_000 + ((i * 97 + seed * 13) % 9000)),
    address: `${i + 1} Main Street`,
  }));
}

export function tickets(n: number, seed = 0) {
  return times(n, (i) => ({
    id: 500 + i,
    subject: `Ticket ${i} about ${pick(KINDS, i * 5 + seed)}`,
    body: `The customer reports problem number ${(i * 13 + seed) % 97}.`,
    priority: pick(PRIORITIES, i + seed),
    kind: pick(KINDS, i * 2 + seed),
  }));
}

export function documents(n: number, seed = 0) {
  return times(n, (i) => ({
    id: `doc-${i}`,
    title: `Document ${i}`,
    body: `Section ${(i + seed) % 11} of the handbook, revision ${seed}.`,
  }));
}

export function products(n: number, seed = 0) {
  return times(n, (i) => ({
    sku: `SKU-${(i + seed) % 50}`,
    name: `Product ${i}`,
    price: 10 + ((i * 17 + seed) % 90),
    currency: pick(CURRENCIES, i + seed),
  }));
}

export function phrases(n: number, seed = 0): string[] {
  return times(n, (i) => `phrase ${i} variant ${seed}`);
}

/** The stub tools, by role. Each returns JSON that depends only on its arguments. */
export const stubs = {
  getCustomer: ((args) => {
    const id = Number(args["id"] ?? 0);
    return { id, name: `Customer ${id}`, tier: pick(TIERS, id), email: `customer${id}@example.com` };
  }) as ToolStub,
  fraudScore: ((args) => ({ order_id: args["order_id"], score: hash(text(args, "order_id")) % 100 })) as ToolStub,
  lookupSku: ((args) => ({ sku: args["sku"], stock: hash(text(args, "sku")) % 40, warehouse: "north" })) as ToolStub,
  checkStock: ((args) => ({ sku: args["sku"], in_stock: hash(text(args, "sku")) % 3 !== 0 })) as ToolStub,
  priceQuote: ((args) => ({ sku: args["sku"], price: 5 + (hash(text(args, "sku")) % 50) })) as ToolStub,
  search: ((args) =>
    times(SEARCH_HITS, (k) => ({
      id: `${text(args, "query")}#${k}`,
      title: `Result ${k} for ${text(args, "query")}`,
      score: 1 - k / 10,
    }))) as ToolStub,
  fetchDoc: ((args) => ({
    id: args["id"],
    body: `Full text of ${text(args, "id")}.`,
    words: hash(text(args, "id")) % 900,
  })) as ToolStub,
  summarize: ((args) => ({ summary: `Summary of ${text(args, "text").slice(0, 40)}` })) as ToolStub,
  classify: ((args) => ({ label: pick(KINDS, hash(text(args, "text"))), confidence: 0.8 })) as ToolStub,
  sentiment: ((args) => ({ score: (hash(text(args, "text")) % 200) / 100 - 1 })) as ToolStub,
  translate: ((args) => ({ text: `[${text(args, "to")}] ${text(args, "text")}` })) as ToolStub,
  exchangeRate: ((args) => ({
    from: args["from"],
    to: args["to"],
    rate: 0.5 + (hash(text(args, "from")) % 100) / 100,
  })) as ToolStub,
  geocode: ((args) => ({ zip: args["zip"], region: pick(REGIONS, hash(text(args, "zip"))) })) as ToolStub,
  sendEmail: ((args) => ({ sent: true, to: args["to"] })) as ToolStub,
  acknowledge: ((args) => ({ ok: true, id: args["id"] ?? null })) as ToolStub,
  listPage: ((args) => times(PAGE_SIZE, (k) => ({ id: Number(args["page"] ?? 0) * 100 + k, value: k }))) as ToolStub,
  embed: ((args) => times(4, (k) => ((hash(text(args, "text")) + k) % 10) / 10)) as ToolStub,
  listRepos: ((args) =>
    times(REPOS, (r) => ({
      name: `${text(args, "org")}/repo-${r}`,
      files: times(FILES_PER_REPO, (f) => `src/file-${f}.ts`),
    }))) as ToolStub,
  listCustomers: (() => customers(CRM_CUSTOMERS, 3)) as ToolStub,
  report: ((args) => ({ generated: true, rows: hash(JSON.stringify(args)) % 1000 })) as ToolStub,
};
