// The import boundaries of server/ (README.md, «Where things are»), checked by `npm run check:boundaries`.
// server/text/ is the pure text model; server/pdf/ renders it; neither touches the database or HTTP.

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
      comment: 'server/text/ and server/pdf/ are pure: no database, no Express, no feature model, store, service or routes.',
      severity: 'error',
      from: { path: '^server/(text|pdf)/' },
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
      comment: 'pdf/ renders what server/text/ describes; it does not reach into the documents feature.',
      severity: 'error',
      from: { path: '^server/pdf/' },
      to: { path: '^server/documents/' },
    },
    {
      name: 'documents-uses-pdf-to-render',
      comment:
        'documents/ imports pdf/ where it renders (pdf-routes.ts). The one other use is the check that a text is printable ' +
        'in the PDF fonts (service.ts → pdf/glyphs.ts).',
      severity: 'error',
      from: { path: '^server/documents/', pathNot: '^server/documents/pdf-routes\\.ts$' },
      to: { path: '^server/pdf/', pathNot: '^server/pdf/glyphs\\.ts$' },
    },
    {
      name: 'no-other-features-routes',
      comment: "A feature never imports another feature's routes; what both need lives outside either (server/common/, server/http/).",
      severity: 'error',
      from: { path: '^server/([^/]+)/' },
      to: { path: ['^server/[^/]+/routes\\.ts$', '^server/[^/]+/.+-routes\\.ts$'], pathNot: '^server/$1/' },
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
