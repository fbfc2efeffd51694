// `lifeboat local-s3`: the local S3 server the demo and the sandbox console use (s3rver with the gaps that matter
// filled in: multipart abort and listing, and listings that page on Node 20+), in the foreground, for trying Lifeboat
// on your own database before there is a bucket. A server to run, not an operation: it stays a command of its own.
import type { Command } from "commander";
import { startLocalS3 } from "../../sandbox/local-s3.ts";
import type { CliContext } from "../cli-context.ts";
import { printResult } from "../output.ts";
import { collect, port } from "./option-helpers.ts";

function waitForSignal(): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      process.off("SIGINT", done);
      process.off("SIGTERM", done);
      resolve();
    };
    process.on("SIGINT", done);
    process.on("SIGTERM", done);
  });
}

export function registerLocalS3Command(program: Command, ctx: CliContext): void {
  program
    .command("local-s3")
    .description("a local S3 server on 127.0.0.1 for trying Lifeboat without a cloud account; Ctrl-C stops it")
    .requiredOption("--dir <path>", "where it keeps the objects (kept when it stops)")
    .option("--port <n>", "port (default 9000)", port, 9000)
    .option("--bucket <name>", "a bucket to create (repeatable; default lifeboat)", collect, [])
    .action(async (o: { dir: string; port: number; bucket: string[] }) => {
      const buckets = o.bucket.length ? o.bucket : ["lifeboat"];
      const s3 = await startLocalS3({ dir: o.dir, port: o.port, buckets });
      try {
        const storage = {
          kind: "s3",
          bucket: buckets[0],
          prefix: "backups",
          region: s3.region,
          endpoint: s3.endpoint,
          forcePathStyle: true,
          accessKeyId: "env:LOCAL_S3_KEY",
          secretAccessKey: "env:LOCAL_S3_SECRET",
        };
        printResult(
          ctx.io,
          ctx,
          {
            endpoint: s3.endpoint,
            buckets,
            dir: o.dir,
            accessKeyId: s3.accessKeyId,
            secretAccessKey: s3.secretAccessKey,
            storage,
          },
          (v) =>
            [
              `local S3 at ${v.endpoint}, bucket(s) ${v.buckets.join(", ")}, objects in ${v.dir}`,
              `its keys: export LOCAL_S3_KEY=${v.accessKeyId} LOCAL_S3_SECRET=${v.secretAccessKey}`,
              `a profile's storage section for it: ${JSON.stringify(v.storage)}`,
              "serving; Ctrl-C stops it",
            ].join("\n"),
        );
        await waitForSignal();
      } finally {
        await s3.stop();
      }
    });
}
