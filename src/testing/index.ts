/**
 * Test doubles, published as `ptc-lisp/testing` (never from the main entry).
 *
 * @module
 */
export {
  type ScriptedCall,
  type ScriptedModel,
  type ScriptedModelOptions,
  type ScriptedReply,
  type ScriptedReplyFunction,
  scriptedModel,
} from "./scripted-model.js";
