// The journal kinds the compliance work writes, each its evidence for a control.
/** A runbook exported as a document (DR documentation): its id, version and the document's sha256. */
export const RUNBOOK_EXPORT_KIND = "runbook.export";
/** A runbook run in the sandbox to its end (team training): operator, runbook version, achieved RTO. */
export const TRAINING_KIND = "training.run";
/** An operator's attestation for a control Lifeboat records nothing of (the criticality analysis). */
export const ATTEST_KIND = "compliance.attest";
/** A compliance report handed out: its format and sha256. */
export const COMPLIANCE_EXPORT_KIND = "compliance.export";
