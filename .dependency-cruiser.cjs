/* global module */
// The layers of the bot, checked in `npm test` (`npm run deps`): no import cycles (type-only imports included),
// a leaf toolkit, templates that depend on the toolkit and on types only, and domain code that never reaches up
// into handlers, jobs, the scheduler, the HTTP edge, the CLI or the sandbox.
const DOMAIN =
  '^src/(attendance|leave|reports|announce|warnings|rollup|digest|calendar|policy|roster|sheet|charts|problems|assess|notices)/';
const UPPER = '^(handlers/|src/(jobs|schedule|http|cli|sandbox)/|src/app[.]ts$)';
// What templates may read types from: the toolkit and the domain's models (never the core, which runs templates).
const TEMPLATE_TYPES = `^(templates/|src/kit/|${DOMAIN.slice(1)})`;

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      severity: 'error',
      comment: 'No import cycles, type-only imports included: each module can be read and tested below its importers.',
      from: {},
      to: { circular: true },
    },
    {
      name: 'kit-is-a-leaf',
      severity: 'error',
      comment: 'src/kit/ (dates, text, roles, help and report-tag helpers) imports npm packages and itself only.',
      from: { path: '^src/kit/' },
      to: {
        dependencyTypesNot: ['npm', 'npm-dev', 'npm-optional', 'npm-peer', 'npm-bundled', 'core'],
        pathNot: '^src/kit/',
      },
    },
    {
      name: 'templates-run-on-kit',
      severity: 'error',
      comment: 'At run time templates/ use only other templates, src/kit/ and npm packages.',
      from: { path: '^templates/' },
      to: {
        dependencyTypesNot: ['type-only', 'npm', 'npm-dev', 'npm-optional', 'npm-peer', 'npm-bundled', 'core'],
        pathNot: '^(templates|src/kit)/',
      },
    },
    {
      name: 'templates-types-from-models',
      severity: 'error',
      comment: 'Types in templates/ come from src/kit/ and the domain folders, never from the core or upper layers.',
      from: { path: '^templates/' },
      to: {
        dependencyTypesNot: ['npm', 'npm-dev', 'npm-optional', 'npm-peer', 'npm-bundled', 'core'],
        pathNot: TEMPLATE_TYPES,
      },
    },
    {
      name: 'domain-does-not-reach-up',
      severity: 'error',
      comment: 'Domain code takes plain values; the handlers, jobs, scheduler, HTTP edge, CLI and sandbox adapt.',
      from: { path: DOMAIN },
      to: { path: UPPER },
    },
    {
      name: 'domain-takes-no-handler-context',
      severity: 'error',
      comment: "Domain code does not take a handler's context (src/core/command.ts) or run the bot (src/core/bot.ts).",
      from: { path: DOMAIN },
      to: { path: '^src/core/(command|bot|registry)[.]ts$' },
    },
    {
      name: 'src-does-not-import-tests',
      severity: 'error',
      comment: 'Production code never imports test/ or bench/.',
      from: { path: '^(src|handlers|templates|bin)/' },
      to: { path: '^(test|bench)/' },
    },
    {
      name: 'bench-does-not-import-tests',
      severity: 'error',
      comment: 'The benchmark runs from the sources, without the test helpers.',
      from: { path: '^bench/' },
      to: { path: '^test/' },
    },
    {
      name: 'not-to-unresolvable',
      severity: 'error',
      comment: 'Every relative import resolves (a typo would hide a dependency from the other rules).',
      from: {},
      to: { couldNotResolve: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^(node_modules|var|coverage|test-results)/' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    combinedDependencies: false,
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
    },
  },
};
