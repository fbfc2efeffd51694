// The renderer's only door to the engine. In Electron the preload has put `window.lifeboat` there; in a browser the
// same interface is spoken over the loopback host. Screens never know which: they call `bridge().invoke(...)`.
// Neither path ever hands the renderer a secret: secrets travel one way, into `secrets.set`.
import { BRIDGE_GLOBAL, type LifeboatBridge } from "../../../shared/api/bridge.ts";
import { createHttpBridge, tokenFromHash } from "./http-bridge.ts";

const TOKEN_KEY = "lifeboat.session-token";

/**
 * The browser-mode token arrives once in the URL fragment. It is moved to sessionStorage (this tab only, gone when the
 * tab closes) and wiped from the address bar and history, so a copied URL or a screenshot does not carry it.
 */
export function takeToken(
  loc: Pick<Location, "hash" | "pathname" | "search">,
  storage: Pick<Storage, "getItem" | "setItem">,
  history?: Pick<History, "replaceState">,
): string | undefined {
  const fromHash = tokenFromHash(loc.hash);
  if (fromHash) {
    storage.setItem(TOKEN_KEY, fromHash);
    history?.replaceState(null, "", loc.pathname + loc.search);
    return fromHash;
  }
  return storage.getItem(TOKEN_KEY) ?? undefined;
}

export function pickBridge(win: Window = window): LifeboatBridge {
  const preload = (win as unknown as Record<string, LifeboatBridge | undefined>)[BRIDGE_GLOBAL];
  if (preload) return preload;
  const token = takeToken(win.location, win.sessionStorage, win.history);
  return createHttpBridge({ token: token ?? "" });
}

let current: LifeboatBridge | undefined;

export function bridge(): LifeboatBridge {
  current ??= pickBridge();
  return current;
}

/** The shell this console runs in, for the few places that word things differently. */
export function isElectron(win: Window = window): boolean {
  return BRIDGE_GLOBAL in win;
}
