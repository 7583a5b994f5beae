// The import boundaries of server/ (README.md, «Where things are»), checked by `npm run check:boundaries`.
// server/text/ is the pure text model; server/pdf/ and server/docx/ render it; none touches the database or HTTP.

/** The features: one folder each, each with its model, service and routes (docs/architecture.md). */
const FEATURES = '(auth|users|delegations|committee|documents|comments|ballots|publishing|catalogue|programme|jobs|demo)';

/** Packages that do I/O, and a feature's persistence or HTTP surface (model.ts, links-model.ts, pdf-routes.ts…). */
const IO_PACKAGES = '(^|/)node_modules/(@types/)?(mongoose|mongodb|express|express-serve-static-core|express-session|connect-mongo|nodemailer|agenda)/';
const FEATURE_IO_FILES = ['^server/[^/]+/(model|store|service|routes)\\.ts$', '^server/[^/]+/.+-(model|routes)\\.ts$'];

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'no-cycles',
      comment: 'No module imports itself through others (type-only imports count too).',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
    {
      name: 'text-and-pdf-no-io',
      comment: 'server/text/, server/pdf/ and server/docx/ are pure: no database, no Express, no feature model, store, service or routes.',
      severity: 'error',
      from: { path: '^server/(text|pdf|docx)/' },
      to: { path: [IO_PACKAGES, '^server/db/', ...FEATURE_IO_FILES], pathNot: '^server/text/' },
    },
    {
      name: 'text-stands-alone',
      comment: 'The text model uses only itself, the interface strings, time and the error types; documents/ and pdf/ build on it.',
      severity: 'error',
      from: { path: '^server/text/' },
      to: { path: '^server/', pathNot: '^server/(text/|i18n/|time/|errors\\.ts$)' },
    },
    {
      name: 'pdf-not-documents',
      comment: 'pdf/ and docx/ render what server/text/ describes; they do not reach into the documents feature.',
      severity: 'error',
      from: { path: '^server/(pdf|docx)/' },
      to: { path: '^server/documents/' },
    },
    {
      name: 'documents-uses-pdf-to-render',
      comment:
        'documents/ imports pdf/ where it renders (pdf-routes.ts, and docx-routes.ts for the Word copy). The one other use is ' +
        'the check that a text is printable in the PDF fonts (service.ts → pdf/glyphs.ts).',
      severity: 'error',
      from: { path: '^server/documents/', pathNot: '^server/documents/(pdf|docx)-routes\\.ts$' },
      to: { path: '^server/pdf/', pathNot: '^server/pdf/glyphs\\.ts$' },
    },
    {
      name: 'features-through-service-or-index',
      comment:
        "A feature uses another feature only through its service.ts or index.ts (types included): never its model, store, " +
        'routes or other files. What several features share lives outside any of them (server/common/, server/http/, …).',
      severity: 'error',
      from: { path: `^server/${FEATURES}/` },
      to: { path: `^server/${FEATURES}/`, pathNot: ['^server/$1/', `^server/${FEATURES}/(service|index)\\.ts$`] },
    },
    {
      name: 'feature-internals-stay-inside',
      comment:
        "Outside the features, only the composition roots (app.ts, system.ts, main.ts, cli/) import a feature's routes or " +
        "listeners, and only the lifecycle the documents' model (it writes their state and history); the rest of the " +
        'platform (http, db, text, pdf, time, notices, mail, common) uses no feature beyond its service or index.',
      severity: 'error',
      from: { path: '^server/', pathNot: [`^server/${FEATURES}/`, '^server/(app|system|main)\\.ts$', '^server/cli/'] },
      to: { path: `^server/${FEATURES}/`, pathNot: [`^server/${FEATURES}/(service|index)\\.ts$`, '^server/documents/model\\.ts$'] },
    },
    {
      name: 'only-lifecycle-uses-documents-model',
      comment: "Outside the documents feature, only server/lifecycle/ reads or writes the documents' model.",
      severity: 'error',
      from: { path: '^server/', pathNot: ['^server/documents/', '^server/lifecycle/'] },
      to: { path: '^server/documents/model\\.ts$' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    // TypeScript 7 has no compiler API for dependency-cruiser; swc parses the sources, type-only imports included.
    parser: 'swc',
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
  },
};
