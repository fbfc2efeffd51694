import { access, constants } from "node:fs/promises";
import { delimiter, join } from "node:path";

// zstd runs as its own process: it compresses on the second core while pg_dump uses the first, and the archive it
// writes is plain zstd that `zstd -d` (the standard tool) reads. Node 20 has no zstd in zlib, and the npm zstd
// bindings need a native download at install time.
const EXTRA_DIRS = ["/opt/homebrew/bin", "/usr/local/bin", "/usr/bin", "C:\\Program Files\\zstd"];

export async function findZstd(env: NodeJS.ProcessEnv = process.env): Promise<string | null> {
  const exe = process.platform === "win32" ? "zstd.exe" : "zstd";
  if (env.LIFEBOAT_ZSTD) return env.LIFEBOAT_ZSTD;
  const dirs = [...(env.PATH ?? "").split(delimiter).filter(Boolean), ...EXTRA_DIRS];
  for (const d of dirs) {
    const p = join(d, exe);
    try {
      await access(p, constants.X_OK);
      return p;
    } catch {
      /* keep looking */
    }
  }
  return null;
}

export const ZSTD_LEVEL = 1;

export function zstdCompressArgs(level = ZSTD_LEVEL): string[] {
  // -T0: all cores; zstd's own threads overlap with pg_dump. -q: no progress noise on stderr.
  return [`-${level}`, "-T0", "-q", "-c", "-"];
}

export function zstdDecompressArgs(): string[] {
  return ["-d", "-q", "-c", "-"];
}
