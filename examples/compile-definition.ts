// The compile example's agent: it scores product reviews with an LLM tool and summarizes them.
// Shared by examples/compile.ts (run it), scripts/cassettes.ts (record its cassette from
// scripted replies) and the test that checks the cassette is not stale.
import { defineAgent, type LanguageModel, llmTool, type ModelRequest } from "../src/index.js";

/** The LLM tool: whether one review is positive. Its model is the agent's (or the execution's). */
export const tools = {
  classify: llmTool({
    name: "classify",
    description: "Whether a product review is positive.",
    prompt: "Is this product review positive? {{text}}",
    signature: "(text :string) -> {positive :bool}",
  }),
};

/** The agent, on a given model. */
export function reviewsAgent(model: LanguageModel) {
  return defineAgent({
    name: "review-summary",
    description: "How many of a product's reviews are positive.",
    prompt: "Count the positive reviews in {{reviews}} and give their share of all reviews.",
    signature: "(reviews [{id :int, text :string}]) -> {positive :int, total :int, share :float}",
    tools,
    model,
  });
}

/** The inputs the compiled agent executes on: one product's reviews each. */
export const inputs = [
  {
    reviews: [
      { id: 1, text: "Great kettle, boils fast." },
      { id: 2, text: "Broke after a week." },
    ],
  },
  {
    reviews: [
      { id: 3, text: "Lovely colour." },
      { id: 4, text: "Great value." },
      { id: 5, text: "Too loud." },
    ],
  },
  { reviews: [{ id: 6, text: "Awful smell." }] },
  { reviews: [] },
];

/** The sample the compile verifies against (a golden example: its expected output). */
export const samples = [
  {
    input: {
      reviews: [
        { id: 1, text: "Great kettle, boils fast." },
        { id: 2, text: "Broke after a week." },
      ],
    },
    output: { positive: 1, total: 2, share: 0.5 },
  },
];

/** The program a model might write: one classification per review, an empty list handled. */
export const PROGRAM = `(let [labels (mapv #(tool/classify {:text (:text %)}) data/reviews)
      positive (count (filter :positive labels))
      total (count data/reviews)]
  {:positive positive
   :total total
   :share (if (zero? total) 0.0 (/ positive (double total)))})`;

/**
 * The scripted model: the program for the compile's request, and a JSON verdict for each
 * classification (positive when the review says great, lovely or fast).
 */
export function scriptedReply(request: ModelRequest): string {
  if (request.responseFormat !== undefined) {
    const text = request.messages.map((message) => message.content).join("\n");
    return JSON.stringify({ positive: /great|lovely|fast/i.test(text) });
  }
  return ["```clojure", PROGRAM, "```"].join("\n");
}
