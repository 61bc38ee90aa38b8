import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { Clock } from "../../../src/llm/retry.js";

/** What a test server answers one request with. */
export type Handler = (request: IncomingMessage, response: ServerResponse, body: unknown) => void;

/** A recorded request to the loopback server. */
export interface Received {
  readonly url: string;
  readonly headers: IncomingMessage["headers"];
  readonly body: unknown;
}

/**
 * An HTTP server on 127.0.0.1 (port 0) that answers the nth request with the nth handler
 * (the last one repeats) and records every request.
 */
export interface Loopback {
  readonly baseURL: string;
  readonly received: Received[];
  reply(...handlers: Handler[]): void;
  close(): Promise<void>;
}

export async function startLoopback(): Promise<Loopback> {
  let handlers: Handler[] = [];
  const received: Received[] = [];
  const server: Server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => {
      const text = Buffer.concat(chunks).toString("utf8");
      let body: unknown = text;
      try {
        body = JSON.parse(text);
      } catch {}
      const index = received.length;
      received.push({ url: request.url ?? "", headers: request.headers, body });
      const handler = handlers[Math.min(index, handlers.length - 1)];
      if (handler === undefined) {
        response.writeHead(500).end();
        return;
      }
      handler(request, response, body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseURL: `http://127.0.0.1:${port}/v1`,
    received,
    reply(...next) {
      handlers = next;
      received.length = 0;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** A JSON answer with a status and extra headers. */
export function json(status: number, body: unknown, headers: Record<string, string> = {}): Handler {
  return (_request, response) => {
    response.writeHead(status, { "content-type": "application/json", ...headers });
    response.end(JSON.stringify(body));
  };
}

/** A chat completion body with `text` and optional usage. */
export function completion(
  text: string,
  usage?: Record<string, unknown>,
  extra: Record<string, unknown> = {},
): unknown {
  return {
    id: "chatcmpl-1",
    object: "chat.completion",
    created: 0,
    model: "test-model-2024",
    choices: [{ index: 0, message: { role: "assistant", content: text }, finish_reason: "stop" }],
    ...(usage === undefined ? {} : { usage }),
    ...extra,
  };
}

/** An answer that never comes (until the server closes). */
export const never: Handler = () => {};

/** A clock whose sleeps resolve at once and advance its time; `sleeps` records the waits. */
export function fakeClock(): Clock & { readonly sleeps: number[]; time: number } {
  const clock = {
    time: 0,
    sleeps: [] as number[],
    now: () => clock.time,
    sleep: async (ms: number) => {
      clock.sleeps.push(ms);
      clock.time += ms;
    },
  };
  return clock;
}
