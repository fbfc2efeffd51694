import type { Server } from "node:net";

/**
 * Listens on 127.0.0.1, on `port` if given. A remembered port (`portIsPreference`) that another program took
 * meanwhile gives way to any free one: the sandbox prints its ports again.
 */
export async function listenLocal(server: Server, port = 0, portIsPreference = false): Promise<number> {
  const listen = (p: number) =>
    new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(p, "127.0.0.1", () => {
        server.off("error", reject);
        resolve();
      });
    });
  try {
    await listen(port);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== "EADDRINUSE" || !portIsPreference) throw e;
    await listen(0);
  }
  const address = server.address();
  return typeof address === "object" && address ? address.port : 0;
}
