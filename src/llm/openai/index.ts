export { type OpenAIModelOptions, openai } from "./openai.js";
