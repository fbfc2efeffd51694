// The one API contract between the console (renderer) and the engine: every channel's request and result schema and
// what it does. The Electron preload, the browser host and the router all read this map; nothing else defines a channel.
import type { z } from "zod";
import { appChannels } from "./channels/app-channels.ts";
import { backupChannels, restoreChannels } from "./channels/backup-channels.ts";
import { complianceChannels, runbookExportChannels } from "./channels/compliance-channels.ts";
import { dashboardChannels } from "./channels/dashboard-channels.ts";
import { doctorChannels } from "./channels/doctor-channels.ts";
import { incidentChannels, runbookChannels } from "./channels/incident-channels.ts";
import { journalChannels } from "./channels/journal-channels.ts";
import { forensicsChannels } from "./channels/forensics-channels.ts";
import { drillChannels, neonChannels } from "./channels/neon-channels.ts";
import { practiceChannels } from "./channels/practice-channels.ts";
import { leftoverChannels } from "./channels/leftover-channels.ts";
import { monitoringChannels } from "./channels/monitoring-channels.ts";
import {
  keychainChannels,
  keyChannels,
  profileChannels,
  secretChannels,
  toolChannels,
} from "./channels/profile-channels.ts";
import { scheduleChannels, schedulePlatformChannels } from "./channels/schedule-channels.ts";
import { verdictChannels } from "./channels/verdict-channels.ts";
import { repairChannels } from "./channels/repair-channels.ts";
import { protectionChannels } from "./channels/protection-channels.ts";
import { replicaChannels } from "./channels/replica-channels.ts";
import { attachmentChannels } from "./channels/attachment-channels.ts";
import { keysChannels } from "./channels/keys-channels.ts";
import { retentionChannels } from "./channels/retention-channels.ts";

export const CHANNELS = {
  ...appChannels,
  ...profileChannels,
  ...secretChannels,
  ...keychainChannels,
  ...keyChannels,
  ...toolChannels,
  ...dashboardChannels,
  ...backupChannels,
  ...restoreChannels,
  ...journalChannels,
  ...incidentChannels,
  ...leftoverChannels,
  ...runbookChannels,
  ...neonChannels,
  ...drillChannels,
  ...verdictChannels,
  ...forensicsChannels,
  ...practiceChannels,
  ...scheduleChannels,
  ...schedulePlatformChannels,
  ...monitoringChannels,
  ...repairChannels,
  ...retentionChannels,
  ...protectionChannels,
  ...replicaChannels,
  ...attachmentChannels,
  ...keysChannels,
  ...complianceChannels,
  ...runbookExportChannels,
  ...doctorChannels,
} as const;

export type Channels = typeof CHANNELS;
export type ChannelName = keyof Channels;
/** What the renderer sends (defaults may be omitted). */
export type RequestOf<C extends ChannelName> = z.input<Channels[C]["request"]>;
/** What the renderer gets in `value`. */
export type ResultOf<C extends ChannelName> = z.output<Channels[C]["result"]>;

export const CHANNEL_NAMES = Object.keys(CHANNELS) as ChannelName[];

export function isChannelName(name: unknown): name is ChannelName {
  return typeof name === "string" && Object.prototype.hasOwnProperty.call(CHANNELS, name);
}

/** Channels that stream progress events while they run. */
export function isLongChannel(name: ChannelName): boolean {
  return "long" in CHANNELS[name] && CHANNELS[name].long === true;
}
