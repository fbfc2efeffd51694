import type { Branch } from "@neondatabase/api-client";
import type { NeonConfig } from "../../shared/config.ts";
import { LifeboatError } from "../../shared/errors.ts";
import { findBranch } from "./branch-names.ts";

function names(branches: Branch[]): string {
  const shown = branches.slice(0, 12).map((b) => b.name);
  return shown.join(", ") + (branches.length > shown.length ? `, … (${branches.length} in all)` : "");
}

/** The branch `ref` names (id or name); without one, the profile's defaultBranch, else the one Neon marks default. */
export function resolveBranch(branches: Branch[], config: NeonConfig, ref?: string): Branch {
  const wanted = ref ?? config.defaultBranch;
  if (wanted) {
    const b = findBranch(branches, wanted);
    if (!b) {
      throw new LifeboatError(
        "NEON_NOT_FOUND",
        `project ${config.projectId} has no branch "${wanted}"${ref ? "" : " (neon.defaultBranch in the profile)"}`,
        `Branches: ${names(branches) || "none"}. \`lifeboat neon branches\` lists them with their ids.`,
        { projectId: config.projectId, branch: wanted },
      );
    }
    return b;
  }
  const d = branches.find((b) => b.default) ?? branches.find((b) => b.primary);
  if (!d) {
    throw new LifeboatError(
      "NEON_NOT_FOUND",
      `project ${config.projectId} reports no default branch`,
      'Set neon.defaultBranch in the profile (e.g. "main"), or pass --branch.',
      { projectId: config.projectId },
    );
  }
  return d;
}
