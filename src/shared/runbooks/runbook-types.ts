// A runbook is data: an ordered list of steps that either run an engine action through the API or ask the operator to
// confirm or record something. One executor (runbook-executor.ts) walks any of them; the console draws any of them.
import type { ChecklistItem, Scenario, Severity } from "../incident.ts";

/** Engine values an action's payload is built from: `"{{results.audit.suggestedRecoveryPoint}}"`, see template.ts. */
export type Template = string | number | boolean | null | Template[] | { [key: string]: Template };

export type ValueFormat = "text" | "datetime" | "bytes" | "number" | "duration-ms" | "boolean" | "code";

/** How an action's result is shown to the operator. Paths are dotted, into the action's value. */
export type ResultView =
  | { kind: "fields"; fields: { label: string; path: string; format?: ValueFormat }[] }
  | { kind: "table"; path: string; columns: { label: string; path: string; format?: ValueFormat }[]; empty: string }
  | { kind: "counts"; path: string }
  /** A list of sentences (failures, warnings) under a heading; nothing at all when the list is empty. */
  | { kind: "list"; path: string; label: string }
  | { kind: "download"; path: string; label: string }
  /** A repair plan (forensics.plan's `plan`): per-table classes, row drill-down, decisions, export. */
  | { kind: "repair-plan"; path: string }
  /** What forensics.verify found still damaged, per table, with the rows to decide on. */
  | { kind: "repair-remaining" }
  /** Copy buttons for the connection strings of the branch whose id is at `path` (the value itself never shown). */
  | { kind: "branch-connection"; path: string }
  /** A computed PASS/FAIL: `path` holds { pass, reason, checks? }. */
  | { kind: "verdict"; path: string }
  | { kind: "message"; text: string };

/** A condition on the run context (see template.ts for the paths). */
export type Condition =
  | { path: string; equals: string | number | boolean }
  | { path: string; notEquals: string | number | boolean }
  | { path: string; truthy: true };

/** What an action's result must show for the step to count as passed (an error-free call is not always a success). */
export interface Expectation {
  path: string;
  op: "eq" | "ne" | "gt" | "gte" | "lte" | "truthy" | "falsy";
  value?: number | string | boolean;
  /** Shown when the expectation fails: what it means for the recovery. */
  failure: string;
}

export interface StepBase {
  id: string;
  title: string;
  /** What the operator should understand before acting, in plain words (the seed's explanation). */
  guidance: string;
  /** The seed's manual command or SQL, shown for reference and for when the engine can't reach something. */
  reference?: string;
  /** May be skipped with a reason (journaled). */
  optional?: boolean;
  /** Shown only when this holds; otherwise skipped automatically. */
  when?: Condition;
}

export interface ActionStep extends StepBase {
  kind: "action";
  /** An API channel name. */
  channel: string;
  payload: Template;
  /** One view, or several shown one after another. */
  show: ResultView | ResultView[];
  /** Result stored as `results.<saveAs>` (default: the step id). */
  saveAs?: string;
  expect?: Expectation[];
  /** A failed call is a finding (e.g. "the database is down"), not a blocker: the step completes either way. */
  failureIsFinding?: boolean;
  /** The operator must type `confirmText` (resolved) before the action runs: for writes into production. */
  destructive?: { warning: string; confirmText: Template; confirmLabel: string; payloadKey: string };
  /** The action reports progress events (backup, restore, verify). */
  progress?: boolean;
  /** Label of the button that runs the action. */
  actionLabel: string;
  /**
   * When this step fails, the way on is to run an earlier action again (Scenario 1: a refused or red repair is
   * re-planned): one button that starts over from `step`, which then runs at once.
   */
  redo?: { step: string; label: string };
}

export type RecordField =
  | {
      name: string;
      label: string;
      type: "text";
      required?: boolean;
      multiline?: boolean;
      default?: Template;
      placeholder?: string;
    }
  | { name: string; label: string; type: "timestamp"; required?: boolean; default?: Template }
  | { name: string; label: string; type: "checkbox"; required?: boolean }
  | {
      name: string;
      label: string;
      type: "choice";
      required?: boolean;
      options: { value: string; label: string }[];
      default?: Template;
    };

export interface RecordStep extends StepBase {
  kind: "record";
  fields: RecordField[];
  /**
   * Journal what was recorded through this engine action instead of a plain runbook record, e.g. a recovery point
   * decision that the incident's RPO is computed from. `inputs.<step id>` already holds the submitted values.
   */
  journal?: { channel: string; payload: Template };
  submitLabel: string;
}

/** A list the operator ticks item by item; each tick is journaled by the item's id. */
export interface ChecklistStep extends StepBase {
  kind: "checklist";
  items: readonly ChecklistItem[];
}

export type RunbookStep = ActionStep | RecordStep | ChecklistStep;

export interface RunbookDefinition {
  id: string;
  /**
   * Raised with every change to the steps: exported documents, practice runs and the compliance report name it, so
   * an auditor sees which procedure was documented and practised. A test fails when the steps change and it does not.
   */
  version: string;
  title: string;
  /** One line: when to use this runbook. */
  summary: string;
  scenario: Scenario;
  defaultSeverity: Severity;
  /** The seed's expected time to recover, shown next to the RTO clock. */
  expectedMinutes: [number, number];
  /** How this problem is usually noticed (the seed's "Detection"). */
  detection: string[];
  steps: RunbookStep[];
}
