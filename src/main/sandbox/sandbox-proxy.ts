// Wires the connection proxy to the project: which endpoint a name means, waking its compute, its PgBouncer.
import { startNeonProxy, type NeonProxy } from "./proxy/neon-proxy.ts";
import { sandboxCert } from "./proxy/tls-cert.ts";
import type { SandboxProject } from "./sandbox-project.ts";

export async function startProjectProxy(project: SandboxProject): Promise<NeonProxy> {
  const cert = await sandboxCert(project.layout.root);
  project.certPath = cert.certPath;
  const state = project.state;
  const branchOf = (endpointId: string) => state.branches.find((b) => b.endpoint?.id === endpointId);
  const proxy = await startNeonProxy(
    {
      lookup: (id) => {
        const b = branchOf(id);
        return b ? { role: state.role.name, password: project.rolePassword(b) } : undefined;
      },
      computePort: async (id) => {
        const b = branchOf(id);
        if (!b) throw new Error(`endpoint ${id} not found`);
        return project.wakeCompute(b);
      },
      poolerPort: async (id, computePort) => {
        const b = branchOf(id);
        if (!b) throw new Error(`endpoint ${id} not found`);
        return project.poolers.ensure(id, computePort, state.role.name, project.rolePassword(b));
      },
    },
    {
      cert: cert.cert,
      key: cert.key,
      ...(state.proxyPort !== undefined ? { port: state.proxyPort, portIsPreference: true } : {}),
    },
  );
  project.proxyPort = proxy.port;
  state.proxyPort = proxy.port;
  return proxy;
}
