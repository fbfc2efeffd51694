import type { ApiResult } from "../../shared/api/api-result.ts";
import type { ErrorInfo } from "../../shared/errors.ts";
import { toErrorInfo } from "../engine/error-info.ts";
import { redactDeep, redactText } from "../secrets/redact.ts";
import type { CliIo } from "./cli-io.ts";

export interface OutputOptions {
  json: boolean;
}

/** --json prints {ok:true,value} on stdout; otherwise the human rendering. Everything is redacted on the way out. */
export function printResult<T>(io: CliIo, opts: OutputOptions, value: T, human: (v: T) => string): void {
  if (opts.json) io.stdout.write(JSON.stringify({ ok: true, value: redactDeep(value) }, null, 2) + "\n");
  else {
    const text = redactText(human(value));
    if (text) io.stdout.write(text.endsWith("\n") ? text : text + "\n");
  }
}

/** A failure thrown in the CLI itself (argv it could not parse, a file it could not read), printed as the router would. */
export function printError(io: CliIo, opts: OutputOptions, e: unknown): void {
  printErrorInfo(io, opts, toErrorInfo(e));
  if (io.env.LIFEBOAT_DEBUG && e instanceof Error && e.stack) io.stderr.write(redactText(e.stack) + "\n");
}

/** --json prints the ApiResult as the router answered it; otherwise the human text, or the error on stderr. */
export function printApiResult<T>(io: CliIo, opts: OutputOptions, r: ApiResult<T>, human: (v: T) => string): void {
  if (r.ok) printResult(io, opts, r.value, human);
  else printErrorInfo(io, opts, r.error);
}

export function printErrorInfo(io: CliIo, opts: OutputOptions, info: ErrorInfo): void {
  if (opts.json) {
    io.stdout.write(JSON.stringify({ ok: false, error: info }, null, 2) + "\n");
  } else {
    io.stderr.write(`error: ${info.message}\n`);
    if (info.hint) io.stderr.write(`  what to do: ${info.hint}\n`);
    const lines = (info.details as { errors?: string[] } | undefined)?.errors;
    if (Array.isArray(lines) && lines.length) io.stderr.write(lines.map((l) => `  | ${l}`).join("\n") + "\n");
  }
}

/** Columns padded to their widest cell; the last column is never cut, and its further lines line up under it. */
export function table(rows: string[][]): string {
  if (!rows.length) return "";
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? "").length)));
  return rows
    .map((r) => {
      const lead = r.slice(0, -1).map((c, i) => c.padEnd(widths[i]!));
      const indent = " ".repeat(lead.reduce((n, c) => n + c.length + 2, 0));
      return [...lead, (r[r.length - 1] ?? "").replace(/\r?\n/g, `\n${indent}`)].join("  ");
    })
    .join("\n");
}

// Sizes and durations read the same here as in the console and every export: one declaration, in src/shared.
export { formatBytes, formatDuration } from "../../shared/format.ts";
