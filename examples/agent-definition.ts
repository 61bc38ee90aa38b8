// The example agent: which customers spent most, from an orders tool and a currency table.
// Shared by examples/agent.ts (run it), scripts/cassettes.ts (record its cassette from scripted
// replies) and the test that checks the cassette is not stale.
import { defineAgent, defineTool, type LanguageModel } from "../src/index.js";

const ORDERS = [
  { id: 1, customer: "acme", amount: 120, currency: "EUR", status: "paid" },
  { id: 2, customer: "globex", amount: 80, currency: "USD", status: "paid" },
  { id: 3, customer: "acme", amount: 45, currency: "GBP", status: "refunded" },
  { id: 4, customer: "initech", amount: 300, currency: "USD", status: "paid" },
  { id: 5, customer: "globex", amount: 150, currency: "EUR", status: "paid" },
  { id: 6, customer: "umbrella", amount: 60, currency: "GBP", status: "paid" },
];

const USD_PER: Readonly<Record<string, number>> = { USD: 1, EUR: 1.08, GBP: 1.27 };

/** The tools: one lists orders of a status, one converts an amount to USD. */
export const tools = {
  list_orders: defineTool({
    name: "list_orders",
    description: "Orders with the given status.",
    input: "(status :string)",
    output: "[{id :int, customer :string, amount :float, currency :string}]",
    effects: "read",
    execute: ({ status }) => ORDERS.filter((order) => order.status === status).map(({ status: _, ...order }) => order),
  }),
  to_usd: defineTool({
    name: "to_usd",
    description: "Converts an amount to US dollars.",
    input: "(amount :float, currency :string)",
    output: ":float",
    effects: "read",
    execute: ({ amount, currency }) => Math.round((amount as number) * (USD_PER[currency as string] ?? 1) * 100) / 100,
  }),
};

/** The agent, on a given model. */
export function topCustomersAgent(model: LanguageModel) {
  return defineAgent({
    name: "top-customers",
    description: "The customers who spent most on paid orders, in US dollars.",
    prompt: "Find the {{limit}} customers who spent the most on paid orders, converted to US dollars.",
    signature: "(limit :int) -> [{customer :string, usd :float}]",
    tools,
    model,
    maxTurns: 3,
  });
}

/** The input the example runs on. */
export const input = { limit: 3 };

/**
 * The replies a model might give, turn by turn: it explores the orders first, then answers.
 * `npm run cassettes` records them (with the exact requests) into examples/cassettes/agent.jsonl.
 */
export const scriptedReplies = [
  [
    "Let me look at the paid orders first.",
    "```clojure",
    '(def paid (tool/list-orders {:status "paid"}))',
    '(println (count paid) "paid orders, currencies:" (distinct (map :currency paid)))',
    "(first paid)",
    "```",
  ].join("\n"),
  [
    "Now convert and rank them.",
    "```clojure",
    "(let [usd (fn [o] (tool/to-usd {:amount (:amount o) :currency (:currency o)}))",
    "      totals (reduce (fn [acc o] (update acc (:customer o) (fnil + 0) (usd o))) {} paid)]",
    "  (return (->> totals",
    "               (map (fn [[customer total]] {:customer customer :usd total}))",
    "               (sort-by :usd >)",
    "               (take data/limit)",
    "               vec)))",
    "```",
  ].join("\n"),
];
