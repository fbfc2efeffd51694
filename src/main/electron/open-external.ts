import type { ElectronApi } from "./electron-api.ts";

/**
 * The one way the desktop app opens anything outside itself: https links only, in the default browser. Everything else
 * (http, file, javascript, custom handlers like ms-msdt: or smb:) is refused, because the OS would hand it to whatever
 * program claims the scheme.
 */
export function openExternalSafe(shell: Pick<ElectronApi["shell"], "openExternal">, url: string): boolean {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return false;
  }
  if (u.protocol !== "https:" || !u.hostname || u.username || u.password) return false;
  void shell.openExternal(u.toString()).catch(() => undefined);
  return true;
}
