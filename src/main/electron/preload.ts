// The sandboxed preload (bundled into one CommonJS file): exposes exactly one object, window.lifeboat, and nothing else.
import { contextBridge, ipcRenderer } from "electron";
import { BRIDGE_GLOBAL } from "../../shared/api/bridge.ts";
import { CHANNEL_NAMES } from "../../shared/api/channels.ts";
import { buildBridge } from "./preload-bridge.ts";

contextBridge.exposeInMainWorld(BRIDGE_GLOBAL, buildBridge(ipcRenderer, CHANNEL_NAMES));
