// The renderer's only door to the engine. In Electron the preload has put `window.lifeboat` there; in a browser the
// same interface is spoken over the loopback host. Screens never know which: they call `bridge().invoke(...)`.
// Neither path ever hands the renderer a secret: secrets travel one way, into `secrets.set`.
import { BRIDGE_GLOBAL, type LifeboatBridge } from "../../../shared/api/bridge.ts";
import { createHttpBridge, linkFromHash } from "./http-bridge.ts";

const TOKEN_KEY = "lifeboat.session-token";

/**
 * The one-time session link's code arrives in the URL fragment; it is wiped from the address bar and history at once
 * (it is spent by the exchange anyway). The session token it is exchanged for is kept in sessionStorage: this tab
 * only, gone when the tab closes, there for a reload.
 */
export function takeCredentials(
  loc: Pick<Location, "hash" | "pathname" | "search">,
  storage: Pick<Storage, "getItem">,
  history?: Pick<History, "replaceState">,
): { link?: string; token?: string } {
  const link = linkFromHash(loc.hash);
  if (link) history?.replaceState(null, "", loc.pathname + loc.search);
  const token = storage.getItem(TOKEN_KEY) ?? undefined;
  return { ...(link ? { link } : {}), ...(token ? { token } : {}) };
}

export function pickBridge(win: Window = window): LifeboatBridge {
  const preload = (win as unknown as Record<string, LifeboatBridge | undefined>)[BRIDGE_GLOBAL];
  if (preload) return preload;
  const creds = takeCredentials(win.location, win.sessionStorage, win.history);
  return createHttpBridge({ ...creds, onToken: (t) => win.sessionStorage.setItem(TOKEN_KEY, t) });
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
