// The journal works offline: it is a local file, so review, search, verification and export never need the network.
import { useState } from "react";
import { EMPTY_FILTER, type FilterFields } from "./journal-filters.tsx";
import { IncidentsTab } from "./incidents-tab.tsx";
import { RecordsTab } from "./records-tab.tsx";

type Tab = "records" | "incidents";

export function JournalScreen() {
  const [tab, setTab] = useState<Tab>("records");
  const [fields, setFields] = useState<FilterFields>(EMPTY_FILTER);
  const tabButton = (t: Tab, label: string) => (
    <button
      type="button"
      role="tab"
      id={`tab-${t}`}
      aria-selected={tab === t}
      aria-controls={`panel-${t}`}
      className={`tab ${tab === t ? "active" : ""}`}
      onClick={() => setTab(t)}
    >
      {label}
    </button>
  );
  return (
    <>
      <div className="screen-header">
        <h1>Journal</h1>
        <span className="muted">Every recovery action, tamper-evident, on this machine.</span>
      </div>
      <div role="tablist" aria-label="Journal views" className="tabs">
        {tabButton("records", "Records")}
        {tabButton("incidents", "Incidents")}
      </div>
      <div role="tabpanel" id={`panel-${tab}`} aria-labelledby={`tab-${tab}`}>
        {tab === "records" ? (
          <RecordsTab fields={fields} onFields={setFields} />
        ) : (
          <IncidentsTab
            onShowRecords={(incident) => {
              setFields({ ...EMPTY_FILTER, incident });
              setTab("records");
            }}
          />
        )}
      </div>
    </>
  );
}
