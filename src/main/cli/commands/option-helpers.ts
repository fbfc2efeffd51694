import { InvalidArgumentError } from "commander";

// Option parsers: a value that is not what the option takes is a usage error (exit 2) that commander reports as
// "option '--jobs <n>' argument '0' is invalid. <why>", never an exception that reads as a bug.

/** commander accumulator for repeatable options. */
export function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

/** A whole number from `min` to `max`, written as digits (no "1e3", no "0x10", no "12abc"). */
export function intInRange(min: number, max: number): (value: string) => number {
  return (value: string) => {
    const n = /^[+-]?\d+$/.test(value.trim()) ? Number(value) : NaN;
    if (!Number.isSafeInteger(n) || n < min || n > max)
      throw new InvalidArgumentError(`Give a whole number from ${min} to ${max}.`);
    return n;
  };
}

export const positiveInt = intInRange(1, Number.MAX_SAFE_INTEGER);

/** A TCP port to listen on or connect to. */
export const port = intInRange(1, 65535);

/** A finite number above zero (minutes, hours), written as a plain decimal. */
export function positiveNumber(value: string): number {
  const n = /^\+?(\d+\.?\d*|\.\d+)$/.test(value.trim()) ? Number(value) : NaN;
  if (!Number.isFinite(n) || n <= 0 || n > Number.MAX_SAFE_INTEGER)
    throw new InvalidArgumentError("Give a number above 0, such as 30 or 1.5.");
  return n;
}
