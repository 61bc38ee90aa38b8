// The README's demo agent: it totals a list of orders in US dollars. Its programs may call a
// rates service (`usd-rate`, a plain tool) or ask a model to convert each amount (`convert`, an
// LLM tool). Compiling it once picks the cheapest verified program; executing that program on
// new inputs then needs no model at all, when the program it chose calls none.
//
//   npx ptc agent compile examples/demo/agent.mjs --cassette examples/demo/cassette.jsonl
//   npx ptc agent exec examples/demo/agent.mjs --cassette examples/demo/cassette.jsonl --inputs examples/demo/inputs.json
//
// An agent file is an ES module whose default export is an agent; `samples` is optional.
import { defineAgent, defineTool, llmTool } from "ptc-lisp";

/** US dollars per unit of each currency the rates service knows. */
export const RATES = { USD: 1, EUR: 1.08, GBP: 1.27, JPY: 0.0067, CHF: 1.13 };

/** A rates service: one call per currency. */
const usdRate = defineTool({
  name: "usd-rate",
  description: "US dollars per one unit of a currency (ISO code such as EUR).",
  input: "(currency :string)",
  output: ":float",
  effects: "read",
  execute: async ({ currency }) => {
    const rate = RATES[currency];
    if (rate === undefined) throw new Error(`unknown currency ${currency}`);
    return rate;
  },
});

/** The same conversion asked of a model: one model call per amount. */
const convert = llmTool({
  name: "convert",
  description: "Converts an amount of money to US dollars.",
  prompt: "Convert {{amount}} {{currency}} to US dollars at today's rate.",
  signature: "(amount :float, currency :string) -> {usd :float}",
});

export default defineAgent({
  name: "order-totals",
  description: "The total of a list of orders in US dollars.",
  prompt: "Total the amounts of {{orders}} in US dollars, rounded to cents, and count the orders.",
  signature: "(orders [{id :int, amount :float, currency :string}]) -> {usd :float, orders :int}",
  tools: { "usd-rate": usdRate, convert },
  // Two candidates are written in parallel; both must pass verification, and the cheaper wins.
  strategy: { numCandidates: 2, minCandidatesForComparison: 2 },
});

/** A golden example the compiled program must reproduce exactly. */
export const samples = [
  {
    input: {
      orders: [
        { id: 1, amount: 100, currency: "EUR" },
        { id: 2, amount: 40.5, currency: "USD" },
        { id: 3, amount: 2000, currency: "JPY" },
        { id: 4, amount: 10, currency: "EUR" },
      ],
    },
    output: { usd: 172.7, orders: 4 },
  },
];
