/**
 * Which model an agent command uses. A real one when `OPENAI_API_KEY` (or `OPENAI_BASE_URL`, for a
 * local OpenAI-compatible server) is set, unless `--offline`; otherwise the replies recorded in
 * `--cassette FILE`; otherwise the agent's own model, if its file gives one.
 */
import { type LanguageModel, openai, recordModel, replayModel } from "../../index.js";
import { CliFailure, EXIT_USAGE } from "../io.js";

/** The model a real provider gets unless `--model` or `PTC_MODEL` names another. */
export const DEFAULT_LIVE_MODEL = "gpt-4o-mini";

export interface ModelFlags {
  readonly cassette?: string | undefined;
  readonly record?: string | undefined;
  readonly model?: string | undefined;
  readonly offline?: boolean | undefined;
}

export interface ModelChoice {
  /** Undefined: the agent's own model. */
  readonly model: LanguageModel | undefined;
  /** What was chosen, for people. */
  readonly label: string;
  /** True when replies come from a cassette. */
  readonly replayed: boolean;
}

/** Chooses the model from the flags and the environment (see the module comment). */
export function chooseModel(flags: ModelFlags, env: Readonly<Record<string, string | undefined>>): ModelChoice {
  const live = !flags.offline && (env["OPENAI_API_KEY"] !== undefined || env["OPENAI_BASE_URL"] !== undefined);
  if (flags.record !== undefined && !live) {
    throw new CliFailure("--record needs a real model: set OPENAI_API_KEY (or OPENAI_BASE_URL)", EXIT_USAGE);
  }
  if (live) {
    const id = flags.model ?? env["PTC_MODEL"] ?? DEFAULT_LIVE_MODEL;
    const base = openai({ model: id });
    const where = env["OPENAI_BASE_URL"] === undefined ? "" : ` at ${env["OPENAI_BASE_URL"]}`;
    const model = flags.record === undefined ? base : recordModel(base, { file: flags.record });
    const recording = flags.record === undefined ? "" : `, recording to ${flags.record}`;
    return { model, label: `openai ${id}${where}${recording}`, replayed: false };
  }
  if (flags.cassette !== undefined) {
    // A replayed model keeps the identity given by --model, so a cassette recorded from a real
    // model can stand for it (the compile cache key includes the model's identity).
    const model = replayModel({
      file: flags.cassette,
      ...(flags.model === undefined ? {} : { provider: "openai", modelId: flags.model }),
    });
    return { model, label: `replies replayed from ${flags.cassette}`, replayed: true };
  }
  if (flags.model !== undefined) {
    throw new CliFailure(
      "--model needs a provider: set OPENAI_API_KEY (or OPENAI_BASE_URL), or give --cassette",
      EXIT_USAGE,
    );
  }
  return { model: undefined, label: "the agent's own model", replayed: false };
}

/** A hint added to `model_required`: how to give the command a model. */
export const MODEL_HINT =
  "set OPENAI_API_KEY (and OPENAI_BASE_URL for a local OpenAI-compatible server), or pass --cassette FILE to replay recorded replies";
