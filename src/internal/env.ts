/** Environment variables where the host has them (Node's `process.env`); undefined elsewhere (browsers, plain V8). */
export function envVar(name: string): string | undefined {
  const process = (globalThis as { process?: { env?: Record<string, string | undefined> } }).process;
  return process?.env?.[name];
}

/** Whether `NODE_ENV` is `production` (Chevrotain's grammar validations are skipped then). */
export function isProduction(): boolean {
  return envVar("NODE_ENV") === "production";
}
