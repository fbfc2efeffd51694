// Throughput of Lifeboat's native age streams, and of the stock age CLI decrypting what they write.
// Run alone: node --import tsx test/bench/crypto-throughput.ts   (LIFEBOAT_BENCH_CRYPTO_MIB=64 for a quicker run)
// MB/s here is 10^6 bytes of plaintext per second.
import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { createReadStream, createWriteStream, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Readable, Writable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { pathToFileURL } from "node:url";
import { createAgeDecryptStream } from "../../src/main/crypto/age-decrypt.ts";
import { createAgeEncryptStream } from "../../src/main/crypto/age-encrypt.ts";
import { generateIdentity } from "../../src/main/crypto/age-keys.ts";

const MiB = 1024 * 1024;

function plaintextSource(mib: number, block: Buffer): Readable {
  return Readable.from(
    (function* () {
      for (let i = 0; i < mib; i++) yield block;
    })(),
  );
}

function countingSink(): Writable & { bytes: number } {
  const sink = new Writable({
    highWaterMark: MiB,
    write(chunk: Buffer, _enc, cb) {
      sink.bytes += chunk.length;
      cb();
    },
  }) as Writable & { bytes: number };
  sink.bytes = 0;
  return sink;
}

async function timed(fn: () => Promise<number>): Promise<{ seconds: number; bytes: number }> {
  const start = process.hrtime.bigint();
  const bytes = await fn();
  return { seconds: Number(process.hrtime.bigint() - start) / 1e9, bytes };
}

function ageCliDecrypt(keyFile: string, file: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn("age", ["-d", "-i", keyFile, file], { stdio: ["ignore", "pipe", "pipe"] });
    let bytes = 0;
    let stderr = "";
    child.stdout.on("data", (c: Buffer) => (bytes += c.length));
    child.stderr.on("data", (c: Buffer) => (stderr += c.toString()));
    child.on("error", reject);
    child.on("close", (code) =>
      code === 0 ? resolve(bytes) : reject(new Error(`age -d exited ${code}: ${stderr.trim()}`)),
    );
  });
}

export async function benchCrypto(): Promise<Record<string, number>> {
  const mib = Number(process.env.LIFEBOAT_BENCH_CRYPTO_MIB ?? 256);
  const expected = mib * MiB;
  const block = randomBytes(MiB);
  const key = generateIdentity();
  const dir = mkdtempSync(join(tmpdir(), "lifeboat-bench-crypto-"));
  const keyFile = join(dir, "key.txt");
  const encFile = join(dir, "payload.age");
  writeFileSync(keyFile, `${key.identity}\n`, { mode: 0o600 });
  const check = (what: string, r: { bytes: number }) => {
    if (r.bytes !== expected) throw new Error(`${what}: ${r.bytes} bytes out, expected ${expected}`);
  };
  const mbps = (r: { seconds: number }) => Math.round(expected / 1e6 / r.seconds);

  try {
    const encrypt = await timed(async () => {
      const sink = countingSink();
      await pipeline(plaintextSource(mib, block), createAgeEncryptStream([key.recipient]), sink);
      // Ciphertext is plaintext plus 16 bytes a chunk plus the header; the rate is reported in plaintext bytes.
      if (sink.bytes < expected + (expected / (64 * 1024)) * 16)
        throw new Error(`native encrypt: only ${sink.bytes} bytes out`);
      return expected;
    });
    await pipeline(plaintextSource(mib, block), createAgeEncryptStream([key.recipient]), createWriteStream(encFile));

    const decrypt = await timed(async () => {
      const sink = countingSink();
      await pipeline(createReadStream(encFile, { highWaterMark: MiB }), createAgeDecryptStream([key.identity]), sink);
      return sink.bytes;
    });
    check("native decrypt", decrypt);

    const ageCli = await timed(() => ageCliDecrypt(keyFile, encFile));
    check("age -d", ageCli);

    const result = {
      crypto_mib: mib,
      native_encrypt_mb_s: mbps(encrypt),
      native_decrypt_mb_s: mbps(decrypt),
      age_cli_decrypt_mb_s: mbps(ageCli),
      native_decrypt_over_age_cli: Math.round((ageCli.seconds / decrypt.seconds) * 100) / 100,
    };
    console.log(`age crypto, ${mib} MiB of plaintext:`);
    console.log(`  native encrypt           ${result.native_encrypt_mb_s} MB/s`);
    console.log(`  native decrypt           ${result.native_decrypt_mb_s} MB/s`);
    console.log(`  age CLI decrypt (ours)   ${result.age_cli_decrypt_mb_s} MB/s`);
    console.log(`  native / age CLI decrypt ${result.native_decrypt_over_age_cli}x`);
    return result;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  benchCrypto().catch((err: unknown) => {
    console.error(err);
    process.exitCode = 1;
  });
}
