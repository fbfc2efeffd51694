// Every channel's handler, loaded by the channel's prefix only when a channel of that prefix is first invoked: the
// router behind `lifeboat journal list` then loads the journal's handlers, not the AWS SDK, pg and the keychain. The
// type makes a channel without a handler a compile error, as a static table would.
import type { ChannelName } from "../../../shared/api/channels.ts";
import type { HandlerGroup } from "../handler-types.ts";

type PrefixOf<C> = C extends `${infer P}.${string}` ? P : never;
export type ChannelPrefix = PrefixOf<ChannelName>;
type GroupOf<P extends ChannelPrefix> = HandlerGroup<Extract<ChannelName, `${P}.${string}`>>;

export const HANDLER_MODULES: { [P in ChannelPrefix]: () => Promise<GroupOf<P>> } = {
  app: async () => (await import("./app-handlers.ts")).appHandlers,
  operations: async () => (await import("./app-handlers.ts")).appHandlers,
  profiles: async () => (await import("./profiles-handlers.ts")).profilesHandlers,
  secrets: async () => (await import("./secrets-handlers.ts")).secretsHandlers,
  keychain: async () => (await import("./secrets-handlers.ts")).secretsHandlers,
  keys: async () => ({
    ...(await import("./secrets-handlers.ts")).secretsHandlers,
    ...(await import("./keys-handlers.ts")).keysHandlers,
  }),
  tools: async () => (await import("./secrets-handlers.ts")).secretsHandlers,
  dashboard: async () => (await import("./dashboard-handlers.ts")).dashboardHandlers,
  alerts: async () => (await import("./dashboard-handlers.ts")).dashboardHandlers,
  backups: async () => (await import("./backups-handlers.ts")).backupsHandlers,
  restore: async () => (await import("./restore-handlers.ts")).restoreHandlers,
  journal: async () => (await import("./journal-handlers.ts")).journalHandlers,
  incidents: async () => ({
    ...(await import("./incidents-handlers.ts")).incidentsHandlers,
    ...(await import("./leftovers-handlers.ts")).leftoversHandlers,
  }),
  runbooks: async () => (await import("./runbooks-handlers.ts")).runbooksHandlers,
  neon: async () => (await import("./neon-handlers.ts")).neonHandlers,
  drill: async () => ({
    ...(await import("./neon-handlers.ts")).neonHandlers,
    ...(await import("./verdict-handlers.ts")).verdictHandlers,
  }),
  forensics: async () => (await import("./forensics-handlers.ts")).forensicsHandlers,
  sandbox: async () => (await import("./practice-handlers.ts")).practiceHandlers,
  demo: async () => (await import("./practice-handlers.ts")).practiceHandlers,
  schedule: async () => (await import("./schedule-handlers.ts")).scheduleHandlers,
  monitoring: async () => (await import("./monitoring-handlers.ts")).monitoringHandlers,
  fleet: async () => (await import("./monitoring-handlers.ts")).monitoringHandlers,
  retention: async () => (await import("./retention-handlers.ts")).retentionHandlers,
  protection: async () => (await import("./protection-handlers.ts")).protectionHandlers,
  replicas: async () => (await import("./replicas-handlers.ts")).replicasHandlers,
  attachments: async () => (await import("./attachments-handlers.ts")).attachmentsHandlers,
  compliance: async () => (await import("./compliance-handlers.ts")).complianceHandlers,
  doctor: async () => (await import("./doctor-handlers.ts")).doctorHandlers,
};

export function prefixOf(channel: ChannelName): ChannelPrefix {
  return channel.slice(0, channel.indexOf(".")) as ChannelPrefix;
}
