// Folder-level dependency rules, checked by test/folder-cycles.test.ts (and `npm run lint:cycles`).
// A folder (with its subfolders) may depend on another only if that one does not depend back on it: a cycle between
// folders means neither can be understood, tested or moved on its own. Type-only imports count: they couple too.
/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: "no-folder-cycles",
      scope: "folder",
      severity: "error",
      comment: "Two folders of src depend on each other; move the shared piece down into a folder both may use.",
      from: { path: "^src/" },
      to: { circular: true },
    },
  ],
  options: {
    includeOnly: "^src/",
    doNotFollow: { path: "node_modules" },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: "tsconfig.json" },
  },
};
