// What every screen shares: the profiles, which one the operator is looking at, where they are, and the runbook in
// progress (it keeps running, and its RTO clock keeps ticking, while the operator looks at other screens).
import { createContext, useContext } from "react";
import type { Profile } from "../../shared/config.ts";
import type { ResultOf } from "./api/invoke.ts";
import type { RunbookExecutor } from "../../shared/runbooks/runbook-executor.ts";

export const SCREENS = [
  "dashboard",
  "fleet",
  "backups",
  "restore",
  "runbooks",
  "journal",
  "compliance",
  "settings",
] as const;
export type Screen = (typeof SCREENS)[number];

export const SCREEN_LABELS: Record<Screen, string> = {
  dashboard: "Dashboard",
  fleet: "Fleet",
  backups: "Backups",
  restore: "Restore",
  runbooks: "Runbooks",
  journal: "Journal",
  compliance: "Compliance",
  settings: "Settings",
};

export interface AppState {
  info: ResultOf<"app.info"> | undefined;
  profiles: Profile[];
  profilesError: string | undefined;
  profile: Profile | undefined;
  selectProfile: (name: string) => void;
  reloadProfiles: () => void;
  screen: Screen;
  go: (screen: Screen, params?: Record<string, string>) => void;
  params: Record<string, string>;
  run: RunbookExecutor | undefined;
  setRun: (run: RunbookExecutor | undefined) => void;
}

export const AppContext = createContext<AppState | undefined>(undefined);

export function useApp(): AppState {
  const s = useContext(AppContext);
  if (!s) throw new Error("useApp outside <App>");
  return s;
}
