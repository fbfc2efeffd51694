// The kinds of record the journal and the incident module write themselves; engine kinds are free-form.
export const KIND = {
  incidentOpen: "incident.open",
  incidentClose: "incident.close",
  serviceRestored: "incident.service-restored",
  detectedAt: "incident.detected-at",
  note: "operator.note",
  decision: "operator.decision",
  followUp: "operator.follow-up",
  step: "operator.step",
  tornTail: "journal.torn-tail",
  anchorMismatch: "journal.anchor-mismatch",
  exported: "journal.export",
} as const;
