import { useCallback, useEffect, useMemo, useState } from "react";
import { AppContext, SCREEN_LABELS, type AppState, type Screen } from "./app-context.tsx";
import { SideNav } from "./components/side-nav.tsx";
import { TopBar } from "./components/top-bar.tsx";
import { useApi } from "./hooks/use-api.ts";
import type { RunbookExecutor } from "../../shared/runbooks/runbook-executor.ts";
import { BackupsScreen } from "./screens/backups/backups-screen.tsx";
import { DashboardScreen } from "./screens/dashboard/dashboard-screen.tsx";
import { JournalScreen } from "./screens/journal/journal-screen.tsx";
import { RestoreScreen } from "./screens/restore/restore-screen.tsx";
import { RunbooksScreen } from "./screens/runbooks/runbooks-screen.tsx";
import { SettingsScreen } from "./screens/settings/settings-screen.tsx";

const PROFILE_KEY = "lifeboat.profile";

const SCREEN_VIEWS: Record<Screen, () => React.JSX.Element> = {
  dashboard: DashboardScreen,
  backups: BackupsScreen,
  restore: RestoreScreen,
  runbooks: RunbooksScreen,
  journal: JournalScreen,
  settings: SettingsScreen,
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
      <div className="app">
        <TopBar />
        <SideNav />
        <main className="main" id="main" aria-label={SCREEN_LABELS[screen]}>
          <View />
        </main>
      </div>
    </AppContext.Provider>
  );
}
