/** Estimates the tokens of a text: the prompt budget and `previewPrompt` use it. */
export type TokenEstimator = (text: string) => number;

/** The default estimate: a quarter of the characters, rounded up, plus 4 for the section's framing. */
export const defaultEstimator: TokenEstimator = (text) => Math.ceil(text.length / 4) + 4;
