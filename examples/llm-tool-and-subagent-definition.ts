// The nested example's agents: a support agent whose program triages tickets with an LLM tool
// and hands the urgent ones to a second agent, which searches help articles for an answer.
// Shared by examples/llm-tool-and-subagent.ts (run it), scripts/cassettes.ts (record its
// cassette from scripted replies) and the test that checks the cassette is not stale.
import { defineAgent, defineTool, type LanguageModel, llmTool, type ModelRequest } from "../src/index.js";

const ARTICLES = [
  {
    id: "kb-12",
    title: "Resetting a password",
    body: "Use 'Forgot password' on the sign-in page; the reset link is valid for 30 minutes.",
  },
  {
    id: "kb-31",
    title: "Refunds for double charges",
    body: "A double charge is refunded to the original card within 5 business days of a request.",
  },
  { id: "kb-40", title: "Changing the invoice address", body: "Edit the address under Billing, then Invoices." },
];

const words = (text: string): string[] => text.toLowerCase().match(/[a-z]{4,}/g) ?? [];

/** The sub-agent's one tool: help articles sharing words with a query, best match first. */
const searchArticles = defineTool({
  name: "search_articles",
  description: "Help articles matching a query, best match first.",
  input: "(query :string)",
  output: "[{id :string, title :string, body :string}]",
  effects: "read",
  execute: ({ query }) => {
    const wanted = new Set(words(query as string));
    const score = (article: (typeof ARTICLES)[number]) =>
      words(`${article.title} ${article.body}`).filter((word) => wanted.has(word)).length;
    return ARTICLES.filter((article) => score(article) > 0).sort((a, b) => score(b) - score(a));
  },
});

/** Which model answers each part. One model can do all three; separate ones let the example count their calls. */
export interface SupportModels {
  /** Writes the support agent's programs. */
  readonly agent: LanguageModel;
  /** Answers the `triage` LLM tool. Default: the calling agent's model. */
  readonly triage?: LanguageModel;
  /** Writes the sub-agent's programs. Default: the calling agent's model. */
  readonly answerer?: LanguageModel;
}

/** The support agent, with an LLM tool and a sub-agent among its tools. */
export function supportAgent(models: SupportModels, limits: { maxModelCalls?: number } = {}) {
  // A model call as a tool: the arguments fill the prompt, the reply must be JSON of the output type.
  const triage = llmTool({
    name: "triage",
    description: "The topic of a support ticket and whether it is urgent.",
    prompt: "Triage this support ticket. Urgent means money or account access is at stake.\n\n{{text}}",
    signature: '(text :string) -> {topic "billing" | "account" | "other", urgent :bool}',
    ...(models.triage === undefined ? {} : { model: models.triage }),
  });
  // An agent with its own tools and loop, called like any other tool by the parent's program.
  const answerer = defineAgent({
    name: "answer_question",
    description: "Answers a customer's question from the help articles, naming the article used.",
    prompt: "Answer this customer question from the help articles: {{question}}",
    signature: "(question :string) -> {answer :string, article :string}",
    tools: { search_articles: searchArticles },
    maxTurns: 2,
    ...(models.answerer === undefined ? {} : { model: models.answerer }),
  });
  return defineAgent({
    name: "support",
    description: "Triages support tickets and drafts replies to the urgent ones.",
    prompt: "Triage each of the support tickets; draft a reply to each urgent one.",
    signature: "(tickets [{id :int, text :string}]) -> [{id :int, topic :string, reply :string?}]",
    tools: { triage, answer_question: answerer.asTool({ effects: "read" }) },
    model: models.agent,
    maxTurns: 2,
    ...limits,
  });
}

/** The input the example runs on: three tickets, two of them urgent. */
export const input = {
  tickets: [
    { id: 101, text: "I was charged twice for my March invoice, please refund the double charge." },
    { id: 102, text: "Could you change the invoice address to our new office?" },
    { id: 103, text: "Locked out: the password reset link says it expired." },
  ],
};

const fence = (lines: readonly string[]) => ["```clojure", ...lines, "```"].join("\n");

/** The support agent's program: triage every ticket in parallel, then ask the sub-agent about the urgent ones. */
const SUPPORT_PROGRAM = fence([
  "(let [labels (pmap #(tool/triage {:text (:text %)}) data/tickets)]",
  "  (return",
  "    (mapv (fn [ticket label]",
  "            (cond-> {:id (:id ticket) :topic (:topic label)}",
  "              (:urgent label) (assoc :reply (:answer (tool/answer-question {:question (:text ticket)})))))",
  "          data/tickets labels)))",
]);

/** The sub-agent's two turns: search and look, then answer from the best article. */
const ANSWER_PROGRAMS = [
  fence(["(def hits (tool/search-articles {:query data/question}))", "(println (map :title hits))"]),
  fence(["(return {:answer (:body (first hits)) :article (:id (first hits))})"]),
];

/**
 * The scripted model: what a model might reply to each request. The LLM tool's requests carry a
 * JSON schema (`responseFormat`); the agents' requests are told apart by their mission, and the
 * sub-agent's turn by the replies already in the conversation.
 */
export function scriptedReply(request: ModelRequest): string {
  const conversation = request.messages.map((message) => message.content).join("\n");
  if (request.responseFormat !== undefined) {
    const topic = /invoice|charge|refund/i.test(conversation)
      ? "billing"
      : /password|locked/i.test(conversation)
        ? "account"
        : "other";
    return JSON.stringify({ topic, urgent: /charged twice|locked out/i.test(conversation) });
  }
  if (conversation.includes("Answer this customer question")) {
    const turn = request.messages.filter((message) => message.role === "assistant").length;
    return ANSWER_PROGRAMS[Math.min(turn, ANSWER_PROGRAMS.length - 1)] as string;
  }
  return SUPPORT_PROGRAM;
}
