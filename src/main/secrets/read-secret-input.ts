import { StringDecoder } from "node:string_decoder";
import { LifeboatError } from "../../shared/errors.ts";
import { rememberSecret } from "./redact.ts";

export { refuseSecretInArgv } from "./refuse-secret-in-argv.ts";

export interface ReadSecretInputOptions {
  prompt: string;
  stdin?: NodeJS.ReadableStream;
  stderr?: NodeJS.WritableStream;
  /** Defaults to stdin.isTTY. */
  isTTY?: boolean;
}

// Larger than any password, key or age identity; a bigger pipe is a mistake (the wrong file), not a secret.
const MAX_BYTES = 64 * 1024;

type RawModeStream = NodeJS.ReadableStream & { isTTY?: boolean; setRawMode?: (mode: boolean) => unknown };

/**
 * A secret from the operator, never from argv: typed at a prompt with echo off, or piped in
 * (`printf %s "$X" | lifeboat secret set NAME`).
 */
export async function readSecretInput(opts: ReadSecretInputOptions): Promise<string> {
  const stdin = (opts.stdin ?? process.stdin) as RawModeStream;
  const stderr = opts.stderr ?? process.stderr;
  const isTTY = opts.isTTY ?? stdin.isTTY === true;
  const value = isTTY ? await readFromTerminal(stdin, stderr, opts.prompt) : stripOneNewline(await readAll(stdin));
  if (value.length === 0) {
    throw new LifeboatError(
      "USAGE",
      isTTY ? "No secret was entered." : "No secret was given on stdin.",
      'Type it at the prompt, or pipe it: printf %s "$X" | lifeboat secret set NAME',
    );
  }
  rememberSecret(value);
  return value;
}

function stripOneNewline(text: string): string {
  // `echo "$X" |` adds exactly one newline; any other trailing whitespace may be part of the secret.
  if (text.endsWith("\r\n")) return text.slice(0, -2);
  if (text.endsWith("\n")) return text.slice(0, -1);
  return text;
}

async function readAll(stream: NodeJS.ReadableStream): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of stream) {
    const buf = typeof chunk === "string" ? Buffer.from(chunk) : chunk;
    size += buf.length;
    if (size > MAX_BYTES) {
      throw new LifeboatError(
        "USAGE",
        `The input on stdin is larger than ${MAX_BYTES / 1024} KiB, which is not a secret.`,
        "Pipe only the secret value.",
      );
    }
    chunks.push(buf);
  }
  return Buffer.concat(chunks).toString("utf8");
}

const CTRL_C = "\u0003";
const CTRL_D = "\u0004";
const CTRL_U = "\u0015";
const BACKSPACE = new Set(["\u007f", "\b"]);

function readFromTerminal(stdin: RawModeStream, stderr: NodeJS.WritableStream, prompt: string): Promise<string> {
  return new Promise((resolve, reject) => {
    let typed = "";
    const decoder = new StringDecoder("utf8");
    // Arrow keys and the like arrive as escape sequences; they are dropped rather than becoming part of the secret.
    let inEscape = false;

    const finish = (err?: LifeboatError) => {
      stdin.removeListener("data", onData);
      stdin.removeListener("end", onEnd);
      stdin.setRawMode?.(false);
      stdin.pause();
      stderr.write("\n");
      if (err) reject(err);
      else resolve(typed);
    };
    const onEnd = () => finish();
    const onData = (chunk: Buffer | string) => {
      for (const ch of typeof chunk === "string" ? chunk : decoder.write(chunk)) {
        if (inEscape) {
          if (/[A-Za-z~]/.test(ch)) inEscape = false;
          continue;
        }
        if (ch === "\u001b") inEscape = true;
        else if (ch === CTRL_C) return finish(new LifeboatError("USAGE", "cancelled", "Nothing was stored."));
        else if (ch === "\r" || ch === "\n" || ch === CTRL_D) return finish();
        else if (BACKSPACE.has(ch)) typed = [...typed].slice(0, -1).join("");
        else if (ch === CTRL_U) typed = "";
        else if (ch >= " ") typed += ch;
      }
    };

    stderr.write(prompt);
    // Raw mode turns echo off and hands us every key, including Ctrl-C, instead of a signal.
    stdin.setRawMode?.(true);
    stdin.on("data", onData);
    stdin.on("end", onEnd);
    stdin.resume();
  });
}
