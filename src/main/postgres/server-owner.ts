import { readFileSync } from "node:fs";

export interface ServerOwner {
  name: string;
  uid: number;
  gid: number;
}

/**
 * initdb and postgres refuse to run as root. When Lifeboat itself runs as root (containers, CI), the local cluster
 * runs as an unprivileged account instead: LIFEBOAT_PG_OS_USER, else "postgres", else "nobody". null = not root.
 */
export function serverOwner(env: NodeJS.ProcessEnv = process.env): ServerOwner | null {
  if (typeof process.getuid !== "function" || process.getuid() !== 0) return null;
  let passwd: string;
  try {
    passwd = readFileSync("/etc/passwd", "utf8");
  } catch {
    return null;
  }
  const users = new Map<string, ServerOwner>();
  for (const line of passwd.split("\n")) {
    const [name, , uid, gid] = line.split(":");
    if (name && uid && gid) users.set(name, { name, uid: Number(uid), gid: Number(gid) });
  }
  for (const name of [env.LIFEBOAT_PG_OS_USER, "postgres", "nobody"]) {
    const u = name ? users.get(name) : undefined;
    if (u && u.uid !== 0) return u;
  }
  return null;
}
