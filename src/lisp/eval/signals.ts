import type { Value } from "../values/value.js";

/**
 * Control transfers that are not errors. They are thrown through the interpreter and never
 * caught by `try`: `(return v)` and `(fail v)` end the run; a ThrownValue is a `(throw v)`
 * that `catch` may catch.
 */
export class ReturnSignal {
  constructor(readonly value: Value) {}
}

export class FailSignal {
  constructor(readonly value: Value) {}
}

/** `(throw v)` of a program value; `catch :default` binds `v`. */
export class ThrownValue extends Error {
  override name = "ThrownValue";
  constructor(readonly value: Value) {
    super("thrown");
  }
}
