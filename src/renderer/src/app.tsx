import { lazy, Suspense, useCallback, useEffect, useMemo, useState, type ComponentType } from "react";
import { AppContext, SCREEN_LABELS, type AppState, type Screen } from "./app-context.tsx";
import { SideNav } from "./components/side-nav.tsx";
import { TopBar } from "./components/top-bar.tsx";
import { useApi } from "./hooks/use-api.ts";
import type { RunbookExecutor } from "../../shared/runbooks/runbook-executor.ts";
import { DashboardScreen } from "./screens/dashboard/dashboard-screen.tsx";

const PROFILE_KEY = "lifeboat.profile";

// The dashboard is what an operator opens the console for, so it is in the first bundle; the other screens load on
// first use, which keeps the first paint fast.
const screen = <K extends string>(load: () => Promise<Record<K, ComponentType>>, name: K) =>
  lazy(async () => ({ default: (await load())[name] }));

const SCREEN_VIEWS: Record<Screen, ComponentType> = {
  dashboard: DashboardScreen,
  fleet: screen(() => import("./screens/fleet/fleet-screen.tsx"), "FleetScreen"),
  backups: screen(() => import("./screens/backups/backups-screen.tsx"), "BackupsScreen"),
  restore: screen(() => import("./screens/restore/restore-screen.tsx"), "RestoreScreen"),
  runbooks: screen(() => import("./screens/runbooks/runbooks-screen.tsx"), "RunbooksScreen"),
  journal: screen(() => import("./screens/journal/journal-screen.tsx"), "JournalScreen"),
  compliance: screen(() => import("./screens/compliance/compliance-screen.tsx"), "ComplianceScreen"),
  settings: screen(() => import("./screens/settings/settings-screen.tsx"), "SettingsScreen"),
};

export function App() {
  const info = useApi("app.info", {});
  const profilesQ = useApi("profiles.list", {});
  const [chosen, setChosen] = useState(() => localStorage.getItem(PROFILE_KEY) ?? "");
  const [screen, setScreen] = useState<Screen>("dashboard");
  const [params, setParams] = useState<Record<string, string>>({});
  const [run, setRun] = useState<RunbookExecutor>();

  const profiles = useMemo(() => profilesQ.data?.profiles ?? [], [profilesQ.data]);
  const profile = profiles.find((p) => p.name === chosen) ?? profiles[0];

  const selectProfile = useCallback((name: string) => {
    localStorage.setItem(PROFILE_KEY, name);
    setChosen(name);
  }, []);
  const go = useCallback((s: Screen, p: Record<string, string> = {}) => {
    setScreen(s);
    setParams(p);
  }, []);

  useEffect(() => {
    document.title = `${SCREEN_LABELS[screen]} · Lifeboat`;
  }, [screen]);
  // For the renderer benchmark: when the real screen (not the static "starting" line) was first committed.
  useEffect(() => void performance.mark("lifeboat:app-rendered"), []);

  const state: AppState = {
    info: info.data,
    profiles,
    profilesError: profilesQ.error?.message,
    profile,
    selectProfile,
    reloadProfiles: profilesQ.reload,
    screen,
    go,
    params,
    run,
    setRun,
  };
  const View = SCREEN_VIEWS[screen];
  return (
    <AppContext.Provider value={state}>
      <a className="skip-link" href="#main">
        Skip to the {SCREEN_LABELS[screen]} screen
      </a>
      <div className="app">
        <TopBar />
        <SideNav />
        <main className="main" id="main" aria-label={SCREEN_LABELS[screen]} tabIndex={-1}>
          <Suspense fallback={<p role="status">Loading {SCREEN_LABELS[screen]}…</p>}>
            <View />
          </Suspense>
        </main>
      </div>
    </AppContext.Provider>
  );
}
