/**
 * Hostile things a tool may throw or return, shared by the hostile cases, the runtime tests
 * and the fuzz generators: each is built fresh per call.
 */

/** A Proxy whose every trap throws (reading it, testing `instanceof`, listing its keys). */
export function throwingProxy(): unknown {
  const trap = () => {
    throw new Error("trap");
  };
  return new Proxy(
    {},
    {
      get: trap,
      has: trap,
      ownKeys: trap,
      getOwnPropertyDescriptor: trap,
      getPrototypeOf: trap,
      apply: trap,
      set: trap,
      defineProperty: trap,
    },
  );
}

/** An Error whose `message` getter throws. */
export function errorWithThrowingMessage(): Error {
  const error = new Error("hidden");
  Object.defineProperty(error, "message", {
    get() {
      throw new Error("message getter");
    },
  });
  return error;
}

/** An object without a prototype, carrying a `message`. */
export function bareObject(): unknown {
  return Object.assign(Object.create(null), { message: "bare" });
}

/** An array nested `depth` levels deep around 1. */
export function nestedArray(depth: number): unknown {
  let value: unknown = 1;
  for (let i = 0; i < depth; i++) value = [value];
  return value;
}
