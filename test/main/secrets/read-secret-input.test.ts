import { test } from "node:test";
import assert from "node:assert/strict";
import { PassThrough, Readable } from "node:stream";
import { readSecretInput } from "../../../src/main/secrets/read-secret-input.ts";
import { LifeboatError } from "../../../src/shared/errors.ts";

const piped = (...chunks: string[]) => Readable.from(chunks.map((c) => Buffer.from(c)));

function sink(): PassThrough & { text(): string } {
  const out = new PassThrough() as PassThrough & { text(): string };
  let text = "";
  out.on("data", (d: Buffer) => (text += d.toString()));
  out.text = () => text;
  return out;
}

test("piped: strips exactly one trailing newline", async () => {
  assert.equal(await readSecretInput({ prompt: "x", stdin: piped("s3cret\n"), isTTY: false }), "s3cret");
  assert.equal(await readSecretInput({ prompt: "x", stdin: piped("s3cret\n\n"), isTTY: false }), "s3cret\n");
  assert.equal(await readSecretInput({ prompt: "x", stdin: piped("s3cret\r\n"), isTTY: false }), "s3cret");
  assert.equal(await readSecretInput({ prompt: "x", stdin: piped("no newline "), isTTY: false }), "no newline ");
});

test("piped: chunks are joined, multi-byte characters split across chunks survive", async () => {
  const bytes = Buffer.from("pässwörd\n");
  const stdin = Readable.from([bytes.subarray(0, 2), bytes.subarray(2)]);
  assert.equal(await readSecretInput({ prompt: "x", stdin, isTTY: false }), "pässwörd");
});

test("piped: nothing on stdin (or only a newline) is a usage error", async () => {
  for (const input of ["", "\n"]) {
    await assert.rejects(readSecretInput({ prompt: "x", stdin: piped(input), isTTY: false }), (e: unknown) => {
      assert.ok(e instanceof LifeboatError);
      assert.equal(e.code, "USAGE");
      assert.match(e.message, /stdin/);
      return true;
    });
  }
});

test("piped: the prompt is not printed (nobody is there to read it)", async () => {
  const stderr = sink();
  await readSecretInput({ prompt: "Secret: ", stdin: piped("v1234\n"), stderr, isTTY: false });
  assert.equal(stderr.text(), "");
});

// A terminal: a stream that records raw-mode switches and receives keys as a terminal in raw mode sends them.
function terminal() {
  const stdin = new PassThrough() as PassThrough & {
    isTTY: boolean;
    setRawMode(mode: boolean): void;
    modes: boolean[];
  };
  stdin.isTTY = true;
  stdin.modes = [];
  stdin.setRawMode = (mode: boolean) => void stdin.modes.push(mode);
  return stdin;
}

test("terminal: prompts on stderr with echo off, handles backspace, ignores arrow keys, ends at Enter", async () => {
  const stdin = terminal();
  const stderr = sink();
  const result = readSecretInput({ prompt: "Secret for clinic-db: ", stdin, stderr });
  stdin.write("ab");
  stdin.write("x\u007f");
  stdin.write("\u001b[D"); // left arrow
  stdin.write("c\r");
  assert.equal(await result, "abc");
  assert.deepEqual(stdin.modes, [true, false], "raw mode on while typing, off afterwards");
  assert.equal(stderr.text(), "Secret for clinic-db: \n");
});

test("terminal: Ctrl-C cancels with a usage error and restores the terminal", async () => {
  const stdin = terminal();
  const result = readSecretInput({ prompt: "Secret: ", stdin, stderr: sink() });
  stdin.write("half-typed\u0003");
  await assert.rejects(result, (e: unknown) => {
    assert.ok(e instanceof LifeboatError);
    assert.equal(e.code, "USAGE");
    assert.equal(e.message, "cancelled");
    return true;
  });
  assert.deepEqual(stdin.modes, [true, false]);
});

test("terminal: Enter on an empty line is a usage error", async () => {
  const stdin = terminal();
  const result = readSecretInput({ prompt: "Secret: ", stdin, stderr: sink() });
  stdin.write("\r");
  await assert.rejects(
    result,
    (e: unknown) => e instanceof LifeboatError && e.code === "USAGE" && /No secret was entered/.test(e.message),
  );
});
