import type { RunContext } from "../eval/context.js";
import { strValue } from "../printer/print-value.js";
import type { Value } from "../values/value.js";
import { invalidArgument, quoteClipped, wrongType } from "./support.js";

// Clojure's `format` is java.util.Formatter. This covers its general, character, integral and
// floating-point conversions with flags, width, precision and argument indices; dates and
// hexadecimal floats are refused. Numbers are doubles: %d accepts any integer-valued number.
// Decimal rounding is HALF_UP on the shortest decimal form of the double, as Java does.

/** A format specifier's parts, `%[index$|<][flags][width][.precision]conversion`, and where it ends. */
interface Specifier {
  readonly whole: string;
  readonly index: string | undefined;
  readonly flags: string;
  readonly widthText: string | undefined;
  readonly precisionText: string | undefined;
  readonly conversion: string;
  readonly end: number;
}

const FLAG_CHARACTERS = "-#+ 0,(";

function isDigit(c: string | undefined): boolean {
  return c !== undefined && c >= "0" && c <= "9";
}

function isConversion(c: string | undefined): boolean {
  return c !== undefined && ((c >= "a" && c <= "z") || (c >= "A" && c <= "Z") || c === "%");
}

/**
 * Reads the specifier at `at` (a `%`), or undefined when it is malformed. Read by hand, each
 * part greedily, in one pass: the equivalent regex backtracks between the `0` flag and width
 * digits, quadratic in a long run of zeros.
 */
function readSpecifier(template: string, at: number): Specifier | undefined {
  let i = at + 1;
  let index: string | undefined;
  if (template[i] === "<") {
    index = "<";
    i++;
  } else {
    let j = i;
    while (isDigit(template[j])) j++;
    if (j > i && template[j] === "$") {
      index = template.slice(i, j + 1);
      i = j + 1;
    }
  }
  let j = i;
  while (j < template.length && FLAG_CHARACTERS.includes(template[j] as string)) j++;
  const flags = template.slice(i, j);
  i = j;
  while (isDigit(template[j])) j++;
  const widthText = j > i ? template.slice(i, j) : undefined;
  i = j;
  let precisionText: string | undefined;
  if (template[i] === "." && isDigit(template[i + 1])) {
    j = i + 1;
    while (isDigit(template[j])) j++;
    precisionText = template.slice(i + 1, j);
    i = j;
  }
  const conversion = template[i];
  if (!isConversion(conversion)) return undefined;
  return {
    whole: template.slice(at, i + 1),
    index,
    flags,
    widthText,
    precisionText,
    conversion: conversion as string,
    end: i + 1,
  };
}

/** The first well-formed specifier at or after `from`, or undefined. */
function nextSpecifier(template: string, from: number): { at: number; specifier: Specifier | undefined } {
  const at = template.indexOf("%", from);
  return { at, specifier: at < 0 ? undefined : readSpecifier(template, at) };
}

function malformed(template: string, last: number, from: number): never {
  // The text up to the next well-formed specifier, as a user would look for the stray `%`.
  let next = template.indexOf("%", from);
  while (next >= 0 && readSpecifier(template, next) === undefined) next = template.indexOf("%", next + 1);
  const near = template.slice(last, next < 0 ? undefined : next);
  return invalidArgument("format", `malformed format specifier near ${quoteClipped(near)}`);
}

interface Spec {
  readonly flags: string;
  readonly width: number;
  readonly precision: number | undefined;
  readonly conversion: string;
}

/** Decimal digits and exponent of |x|: x = 0.d1d2... × 10^(exponent + 1), shortest round-trip digits. */
function decimalDigits(x: number): { digits: string; exponent: number } {
  const [mantissa, exp] = Math.abs(x).toExponential().split("e") as [string, string];
  return { digits: mantissa.replace(".", ""), exponent: Number(exp) };
}

/** Keeps `count` leading digits, rounding HALF_UP; returns the digits and whether a carry added one. */
function roundDigits(digits: string, count: number): { kept: string; carried: boolean } {
  if (count >= digits.length) return { kept: digits.padEnd(count, "0"), carried: false };
  if (count < 0) return { kept: "", carried: false };
  let kept = digits.slice(0, count);
  if ((digits[count] as string) >= "5") {
    const bumped = (BigInt(kept === "" ? "0" : kept) + 1n).toString();
    const carried = bumped.length > Math.max(count, 1) || (count === 0 && bumped === "1");
    kept = count === 0 ? bumped : bumped.padStart(count, "0");
    return { kept, carried };
  }
  return { kept, carried: false };
}

function fixed(x: number, precision: number): string {
  if (x === 0) return precision > 0 ? `0.${"0".repeat(precision)}` : "0";
  const { digits, exponent } = decimalDigits(x);
  const { kept } = roundDigits(digits, exponent + 1 + precision);
  const all = (kept === "" ? "0" : kept).padStart(precision + 1, "0");
  const integer = all.slice(0, all.length - precision).replace(/^0+(?=\d)/, "");
  return precision > 0 ? `${integer}.${all.slice(all.length - precision)}` : integer;
}

function scientific(x: number, precision: number, upper: boolean): string {
  let digits = "0";
  let exponent = 0;
  if (x !== 0) {
    const decimal = decimalDigits(x);
    const rounded = roundDigits(decimal.digits, precision + 1);
    digits = rounded.carried ? rounded.kept.slice(0, precision + 1) : rounded.kept;
    exponent = decimal.exponent + (rounded.carried ? 1 : 0);
  }
  digits = digits.padEnd(precision + 1, "0");
  const mantissa = precision > 0 ? `${digits[0]}.${digits.slice(1)}` : (digits[0] as string);
  const exp = `${exponent < 0 ? "-" : "+"}${String(Math.abs(exponent)).padStart(2, "0")}`;
  return `${mantissa}${upper ? "E" : "e"}${exp}`;
}

function general(x: number, precision: number, upper: boolean): string {
  const p = precision === 0 ? 1 : precision;
  if (x === 0) return fixed(0, p - 1);
  const { digits, exponent } = decimalDigits(x);
  const rounded = roundDigits(digits, p);
  const roundedExponent = exponent + (rounded.carried ? 1 : 0);
  if (roundedExponent >= -4 && roundedExponent < p) return fixed(x, p - roundedExponent - 1);
  return scientific(x, p - 1, upper);
}

function group(integer: string): string {
  return integer.replace(/\B(?=(\d{3})+(?!\d))/g, ",");
}

/** Sign, grouping and zero padding for numeric conversions. */
function signed(body: string, negative: boolean, spec: Spec): string {
  const { flags, width } = spec;
  let digits = body;
  if (flags.includes(",")) {
    const dot = digits.indexOf(".");
    digits = dot < 0 ? group(digits) : group(digits.slice(0, dot)) + digits.slice(dot);
  }
  let prefix = "";
  let suffix = "";
  if (negative) {
    if (flags.includes("(")) {
      prefix = "(";
      suffix = ")";
    } else prefix = "-";
  } else if (flags.includes("+")) prefix = "+";
  else if (flags.includes(" ")) prefix = " ";
  if (flags.includes("0") && !flags.includes("-")) {
    digits = digits.padStart(width - prefix.length - suffix.length, "0");
  }
  return prefix + digits + suffix;
}

function expectFormatNumber(spec: Spec, value: Value): number {
  if (typeof value !== "number") wrongType("format", `a number for %${spec.conversion}`, value);
  return value;
}

function expectFormatInteger(spec: Spec, value: Value): number {
  const n = expectFormatNumber(spec, value);
  if (!Number.isInteger(n)) wrongType("format", `an integer for %${spec.conversion}`, value);
  return n;
}

function nonFinite(x: number, spec: Spec): string | undefined {
  if (Number.isNaN(x)) return "NaN";
  if (x === Number.POSITIVE_INFINITY) return spec.flags.includes("+") ? "+Infinity" : "Infinity";
  if (x === Number.NEGATIVE_INFINITY) return spec.flags.includes("(") ? "(Infinity)" : "-Infinity";
  return undefined;
}

function convert(spec: Spec, value: Value): string {
  const { conversion, precision } = spec;
  switch (conversion.toLowerCase()) {
    case "s": {
      const s = value === null ? "null" : strValue(value);
      return precision === undefined ? s : s.slice(0, precision);
    }
    case "b": {
      const s = String(value !== null && value !== false);
      return precision === undefined ? s : s.slice(0, precision);
    }
    case "c": {
      if (value === null) return "null";
      if (typeof value === "string" && value.length === 1) return value;
      if (typeof value === "number" && Number.isInteger(value) && value >= 0 && value <= 0x10ffff) {
        return String.fromCodePoint(value);
      }
      return wrongType("format", "a character for %c", value);
    }
    case "d": {
      const n = expectFormatInteger(spec, value);
      return signed(BigInt(n < 0 ? -n : n).toString(), n < 0, spec);
    }
    case "x":
    case "o": {
      const n = expectFormatInteger(spec, value);
      let digits = BigInt.asUintN(64, BigInt(n)).toString(conversion.toLowerCase() === "x" ? 16 : 8);
      if (spec.flags.includes("#")) digits = (conversion.toLowerCase() === "x" ? "0x" : "0") + digits;
      if (spec.flags.includes("0") && !spec.flags.includes("-")) digits = digits.padStart(spec.width, "0");
      return digits;
    }
    case "f":
    case "e":
    case "g": {
      const x = expectFormatNumber(spec, value);
      const special = nonFinite(x, spec);
      if (special !== undefined) return special;
      const p = precision ?? 6;
      const upper = conversion !== conversion.toLowerCase();
      const negative = x < 0 || Object.is(x, -0);
      const c = conversion.toLowerCase();
      const body = c === "f" ? fixed(x, p) : c === "e" ? scientific(x, p, upper) : general(x, p, upper);
      return signed(body, negative, spec);
    }
    default:
      return invalidArgument("format", `unsupported conversion %${conversion}`);
  }
}

/** Formats `args` by the Java-style template `template`. */
export function formatString(context: RunContext, template: string, args: readonly Value[]): string {
  let out = "";
  let last = 0;
  let ordinary = 0;
  let previous = -1;
  for (let found = nextSpecifier(template, 0); found.at >= 0; found = nextSpecifier(template, last)) {
    const match = found.specifier;
    if (match === undefined) return malformed(template, last, found.at + 1);
    const { whole, index, flags, widthText, precisionText, conversion } = match;
    out += template.slice(last, found.at);
    last = match.end;
    const width = widthText === undefined ? 0 : Number(widthText);
    const precision = precisionText === undefined ? undefined : Number(precisionText);
    // Padding and precision are work proportional to numbers in the template: charge first.
    const reserve = width + (precision ?? 0);
    if (reserve > 0) {
      context.charge(Math.ceil(reserve / 16));
      context.alloc(2 * reserve);
    }
    const spec: Spec = { flags, width, precision, conversion };
    let piece: string;
    if (conversion === "%") piece = "%";
    else if (conversion === "n") piece = "\n";
    else {
      let position: number;
      if (index === "<") position = previous;
      else if (index !== undefined) position = Number(index.slice(0, -1)) - 1;
      else position = ordinary++;
      if (position < 0 || position >= args.length) {
        invalidArgument("format", `no argument for format specifier ${whole}`);
      }
      previous = position;
      piece = convert(spec, args[position] as Value);
    }
    if (conversion === "S" || conversion === "B" || conversion === "C" || conversion === "X")
      piece = piece.toUpperCase();
    if (piece.length < width) piece = flags.includes("-") ? piece.padEnd(width) : piece.padStart(width);
    out += piece;
  }
  out += template.slice(last);
  context.alloc(2 * out.length);
  return out;
}
