// What the preload exposes, built from an ipcRenderer so it can be tested without Electron. Unknown channels stop here;
// payloads are validated in main, where the renderer cannot interfere.
import type { ApiResult } from "../../shared/api/api-result.ts";
import type { ChannelName, RequestOf, ResultOf } from "../../shared/api/channels.ts";
import { IPC_PREFIX, IPC_PROGRESS, type LifeboatBridge, type ProgressEvent } from "../../shared/api/bridge.ts";

export interface IpcRendererLike {
  invoke(channel: string, ...args: unknown[]): Promise<unknown>;
  on(channel: string, listener: (event: unknown, ...args: unknown[]) => void): unknown;
  removeListener(channel: string, listener: (event: unknown, ...args: unknown[]) => void): unknown;
}

export function buildBridge(ipc: IpcRendererLike, channelNames: readonly string[]): LifeboatBridge {
  const known = new Set(channelNames);
  return {
    invoke<C extends ChannelName>(channel: C, payload: RequestOf<C>): Promise<ApiResult<ResultOf<C>>> {
      if (typeof channel !== "string" || !known.has(channel)) {
        const refused: ApiResult<never> = {
          ok: false,
          error: { code: "USAGE", message: `Unknown API channel ${JSON.stringify(String(channel).slice(0, 80))}.` },
        };
        return Promise.resolve(refused);
      }
      return ipc.invoke(`${IPC_PREFIX}${channel}`, payload) as Promise<ApiResult<ResultOf<C>>>;
    },
    onProgress(listener) {
      // The IPC event object (with its sender) never reaches the page: only the data does.
      const wrapped = (_event: unknown, data: unknown): void => listener(data as ProgressEvent);
      ipc.on(IPC_PROGRESS, wrapped);
      return () => void ipc.removeListener(IPC_PROGRESS, wrapped);
    },
  };
}
