import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { NATURAL_ORDER } from "../../src/lisp/builtins/maps-sets.js";
import { equals } from "../../src/lisp/values/equality.js";
import { Keyword, type LMap, PList, PMap, PSet, PVector, SortedMap, type Value } from "../../src/lisp/values/value.js";

// Model-based tests: every command makes a new version from any earlier one; after each, every
// version must still equal its plain copying model (arrays and lists copied on every step).

// ---------------------------------------------------------------------------------------------
// Vectors and seqs

interface SeqWorld {
  readonly real: (PVector | PList)[];
  readonly model: Value[][];
}

function checkSeqs(world: SeqWorld): void {
  world.real.forEach((version, i) => {
    const model = world.model[i] as Value[];
    expect(version.count).toBe(model.length);
    expect([...version]).toEqual(model);
    expect([...version.items].slice(0, model.length)).toEqual(model);
    if (version instanceof PList) expect(version.items.length).toBe(model.length);
  });
}

type SeqCommand = fc.Command<SeqWorld, SeqWorld>;

function seqCommand(name: string, run: (world: SeqWorld, pick: number, x: number) => void) {
  return fc.tuple(fc.nat(), fc.integer({ min: -5, max: 5 })).map(
    ([pick, x]): SeqCommand => ({
      check: () => true,
      run: (model, real) => {
        run(real, pick % real.real.length, x);
        checkSeqs(real);
        void model;
      },
      toString: () => `${name}(${pick}, ${x})`,
    }),
  );
}

function add(world: SeqWorld, real: PVector | PList, model: Value[]): void {
  world.real.push(real);
  world.model.push(model);
}

const vectorOf = (world: SeqWorld, i: number): [PVector, Value[]] | undefined => {
  const real = world.real[i];
  return real instanceof PVector ? [real, world.model[i] as Value[]] : undefined;
};

const SEQ_COMMANDS = [
  seqCommand("conj", (world, i, x) => {
    const v = vectorOf(world, i);
    if (v) add(world, v[0].conj(x), [...v[1], x]);
  }),
  seqCommand("assoc", (world, i, x) => {
    const v = vectorOf(world, i);
    if (v && v[0].count > 0) {
      const at = Math.abs(x) % v[0].count;
      const copy = [...v[1]];
      copy[at] = x;
      add(world, v[0].assoc(at, x), copy);
    }
  }),
  seqCommand("pop", (world, i) => {
    const v = vectorOf(world, i);
    if (v && v[0].count > 0) add(world, v[0].pop(), v[1].slice(0, -1));
  }),
  seqCommand("seq", (world, i, x) => {
    const v = vectorOf(world, i);
    if (v) add(world, v[0].seqFrom(Math.abs(x) % 3), v[1].slice(Math.min(Math.abs(x) % 3, v[1].length)));
  }),
  seqCommand("rest", (world, i) => {
    const real = world.real[i] as PVector | PList;
    if (real instanceof PList) add(world, real.drop(1), (world.model[i] as Value[]).slice(1));
  }),
  seqCommand("vec", (world, i) => {
    const real = world.real[i] as PVector | PList;
    if (real instanceof PList) add(world, PVector.from(real.items.slice()), [...(world.model[i] as Value[])]);
  }),
  // (into v v), (into v (seq v)): the elements are read while the vector is extended.
  seqCommand("into-self", (world, i, x) => {
    const v = vectorOf(world, i);
    if (!v) return;
    const source = x % 2 === 0 ? v[0].elements() : v[0].seqFrom(0);
    let result = v[0];
    for (const item of source) result = result.conj(item);
    add(world, result, [...v[1], ...v[1]]);
  }),
  // (concat v v) materializes a seq over the vector while another version appends.
  seqCommand("concat-self", (world, i) => {
    const v = vectorOf(world, i);
    if (!v) return;
    const seq = v[0].seqFrom(0);
    const later = v[0].conj(99);
    add(world, later, [...v[1], 99]);
    add(world, PList.from([...seq.items, ...seq.items]), [...v[1], ...v[1]]);
  }),
];

describe("persistence: vectors and seqs", () => {
  it("no operation on one version changes another (self-aliasing included)", () => {
    fc.assert(
      fc.property(fc.commands(SEQ_COMMANDS, { maxCommands: 60 }), (commands) => {
        const world: SeqWorld = { real: [PVector.EMPTY, PVector.from([1, 2])], model: [[], [1, 2]] };
        fc.modelRun(() => ({ model: world, real: world }), commands);
      }),
      { numRuns: 200 },
    );
  });
});

// ---------------------------------------------------------------------------------------------
// Maps, sets, sorted maps and sets

const KEYS: readonly Value[] = [
  1,
  2,
  "a",
  Keyword.of("a"),
  "b",
  Keyword.of("b"),
  null,
  PVector.from([1, 2]),
  PList.from([1, 2]),
  PVector.from([Keyword.of("a")]),
  PVector.from(["a"]),
];
const SORTABLE: readonly Value[] = [0, 1, 2, 3, 5, 8, 13, -1, 2.5, 100];

type Pairs = [Value, Value][];

/** The flex rule of the maps, on a plain list of pairs: exact key first, else the same-named one. */
function modelFind(pairs: Pairs, key: Value, flex: boolean): number {
  const exact = pairs.findIndex(([k]) => equals(k, key));
  if (exact >= 0 || !flex) return exact;
  const other = key instanceof Keyword ? key.fqn : typeof key === "string" ? Keyword.find(key) : undefined;
  return other === undefined ? -1 : pairs.findIndex(([k]) => equals(k, other));
}

function modelAssoc(pairs: Pairs, key: Value, value: Value, flex: boolean): Pairs {
  const at = modelFind(pairs, key, flex);
  const copy = pairs.map(([k, v]): [Value, Value] => [k, v]);
  if (at >= 0) copy[at] = [(pairs[at] as [Value, Value])[0], value];
  else copy.push([key, value]);
  return copy;
}

function modelDissoc(pairs: Pairs, key: Value, flex: boolean): Pairs {
  const at = modelFind(pairs, key, flex);
  return at < 0 ? pairs.slice() : pairs.filter((_, i) => i !== at);
}

interface MapWorld {
  readonly real: LMap[];
  readonly model: Pairs[];
  readonly sorted: boolean;
}

function sortPairs(pairs: Pairs): Pairs {
  return pairs.slice().sort(([a], [b]) => NATURAL_ORDER.compare(a, b) as number);
}

function checkMaps(world: MapWorld): void {
  world.real.forEach((map, i) => {
    const model = world.sorted ? sortPairs(world.model[i] as Pairs) : (world.model[i] as Pairs);
    expect(map.count).toBe(model.length);
    const entries = [...map.entries()];
    expect(entries.length).toBe(model.length);
    entries.forEach(([k, v], j) => {
      const [mk, mv] = model[j] as [Value, Value];
      expect(equals(k, mk) && equals(v, mv)).toBe(true);
    });
    for (const [k, v] of model) expect(equals(map.get(k), v)).toBe(true);
  });
}

type MapCommand = fc.Command<MapWorld, MapWorld>;

function mapCommands(keys: readonly Value[]): fc.Arbitrary<MapCommand>[] {
  const pickKey = fc.constantFrom(...keys);
  return [
    fc.tuple(fc.nat(), pickKey, fc.integer({ min: 0, max: 9 })).map(
      ([pick, key, value]): MapCommand => ({
        check: () => true,
        run: (_model, world) => {
          const i = pick % world.real.length;
          world.real.push((world.real[i] as LMap).assoc(key, value));
          world.model.push(modelAssoc(world.model[i] as Pairs, key, value, true));
          checkMaps(world);
        },
        toString: () => `assoc(${pick})`,
      }),
    ),
    fc.tuple(fc.nat(), pickKey).map(
      ([pick, key]): MapCommand => ({
        check: () => true,
        run: (_model, world) => {
          const i = pick % world.real.length;
          world.real.push((world.real[i] as LMap).dissoc(key));
          world.model.push(modelDissoc(world.model[i] as Pairs, key, true));
          checkMaps(world);
        },
        toString: () => `dissoc(${pick})`,
      }),
    ),
  ];
}

describe("persistence: maps", () => {
  it("hash maps: assoc and dissoc on any version, with the flex key rule", () => {
    fc.assert(
      fc.property(fc.commands(mapCommands(KEYS), { maxCommands: 80 }), (commands) => {
        const world: MapWorld = { real: [PMap.EMPTY], model: [[]], sorted: false };
        fc.modelRun(() => ({ model: world, real: world }), commands);
      }),
      { numRuns: 200 },
    );
  });

  it("big hash maps: old versions written to, read and iterated", () => {
    fc.assert(
      fc.property(
        fc.commands(mapCommands([...KEYS, ...Array.from({ length: 40 }, (_, i) => i + 10)]), { maxCommands: 150 }),
        (commands) => {
          const world: MapWorld = { real: [PMap.EMPTY], model: [[]], sorted: false };
          fc.modelRun(() => ({ model: world, real: world }), commands);
        },
      ),
      { numRuns: 60 },
    );
  });

  it("sorted maps stay sorted under assoc and dissoc on any version", () => {
    fc.assert(
      fc.property(fc.commands(mapCommands(SORTABLE), { maxCommands: 80 }), (commands) => {
        const world: MapWorld = { real: [new SortedMap(null, NATURAL_ORDER, true)], model: [[]], sorted: true };
        fc.modelRun(() => ({ model: world, real: world }), commands);
      }),
      { numRuns: 200 },
    );
  });
});

describe("persistence: sets", () => {
  const run = (empty: PSet, elements: readonly Value[], sorted: boolean) =>
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.nat(), fc.boolean(), fc.constantFrom(...elements)), { maxLength: 80 }),
        (steps) => {
          const real: PSet[] = [empty];
          const model: Value[][] = [[]];
          for (const [pick, add, element] of steps) {
            const i = pick % real.length;
            const base = model[i] as Value[];
            const present = base.some((x) => equals(x, element));
            real.push(add ? (real[i] as PSet).conj(element) : (real[i] as PSet).disj(element));
            model.push(add ? (present ? base.slice() : [...base, element]) : base.filter((x) => !equals(x, element)));
            real.forEach((set, j) => {
              const expected = sorted
                ? (model[j] as Value[]).slice().sort((a, b) => NATURAL_ORDER.compare(a, b) as number)
                : (model[j] as Value[]);
              expect(set.count).toBe(expected.length);
              const items = [...set];
              expect(items.length).toBe(expected.length);
              items.forEach((item, k) => {
                expect(equals(item, expected[k] as Value)).toBe(true);
              });
            });
          }
        },
      ),
      { numRuns: 150 },
    );

  it('hash sets: conj and disj on any version; :a and "a" are two elements', () => run(PSet.EMPTY, KEYS, false));
  it("sorted sets stay sorted under conj and disj on any version", () =>
    run(PSet.sorted(NATURAL_ORDER), SORTABLE, true));
});
