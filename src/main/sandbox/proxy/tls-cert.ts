// The sandbox's TLS certificate: made once per sandbox folder with the openssl CLI (Node has no way to make one) and
// reused, so a client that trusts it once (sslrootcert) keeps trusting it. Self-signed, valid for 127.0.0.1,
// localhost and every name under .localhost (the endpoints' host names).
import { existsSync } from "node:fs";
import { chmod, mkdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { LifeboatError } from "../../../shared/errors.ts";
import { runToCompletion } from "../../process/child.ts";

export interface SandboxCert {
  certPath: string;
  cert: Buffer;
  key: Buffer;
}

export async function sandboxCert(root: string): Promise<SandboxCert> {
  const dir = join(root, "tls");
  const certPath = join(dir, "cert.pem");
  const keyPath = join(dir, "key.pem");
  if (!existsSync(certPath) || !existsSync(keyPath)) {
    await mkdir(dir, { recursive: true, mode: 0o700 });
    const r = await runToCompletion(
      "openssl",
      [
        "req",
        "-x509",
        "-newkey",
        "ec",
        "-pkeyopt",
        "ec_paramgen_curve:prime256v1",
        "-nodes",
        "-sha256",
        "-days",
        "3650",
        "-subj",
        "/CN=localhost/O=Lifeboat Neon sandbox",
        "-addext",
        "subjectAltName=DNS:localhost,DNS:*.localhost,IP:127.0.0.1",
        "-keyout",
        keyPath,
        "-out",
        certPath,
      ],
      { cwd: dir },
    ).catch((e: Error) => ({ code: -1, stdout: "", stderr: e.message }));
    if (r.code !== 0)
      throw new LifeboatError(
        "TOOLS_MISSING",
        `could not make the sandbox's TLS certificate with openssl: ${r.stderr.trim().split("\n").slice(-2).join(" ")}`,
        "Install openssl (Debian: apt-get install openssl).",
      );
    await chmod(keyPath, 0o600);
  }
  return { certPath, cert: await readFile(certPath), key: await readFile(keyPath) };
}
