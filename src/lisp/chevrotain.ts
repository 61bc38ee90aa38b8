/**
 * The library's one import of Chevrotain: the reader (lexer/, parser/) takes what it uses from
 * here. The package build replaces this module's output with a bundle of these exports
 * (scripts/bundle-chevrotain.mjs): one file instead of Chevrotain's hundreds of modules
 * (lodash-es), which made loading it most of the cost of importing the library.
 */
export {
  createToken,
  createTokenInstance,
  EmbeddedActionsParser,
  EOF,
  type IOrAlt,
  type IParserErrorMessageProvider,
  type IRecognitionException,
  type IToken,
  Lexer,
  type TokenType,
  tokenLabel,
} from "chevrotain";
