/** Layer rules of CONVENTIONS.md: a wrong arrow fails `npm run lint`. */
module.exports = {
  forbidden: [
    {
      name: 'core-is-pure',
      comment: 'src/core imports only src/core and small pure libraries',
      severity: 'error',
      from: { path: '^src/core/' },
      to: {
        pathNot: ['^src/core/', '^node_modules/zod/', '^node_modules/luxon/', '^node_modules/p-queue/', '^node_modules/lru-cache/'],
        dependencyTypesNot: ['type-only'],
      },
    },
    {
      name: 'core-no-frameworks',
      severity: 'error',
      from: { path: '^src/core/' },
      to: { path: '^node_modules/(telegraf|@slack|express|mongoose|mongodb|agenda|@agendajs|pino|prom-client)/' },
    },
    {
      name: 'core-no-node-builtins',
      severity: 'error',
      from: { path: '^src/core/' },
      to: { dependencyTypes: ['core'] },
    },
    {
      name: 'adapters-only-core-entry',
      comment: 'adapters import the core public entry, their SDK, never the store, scheduler, http or another adapter',
      severity: 'error',
      from: { path: '^adapters/([^/]+)/' },
      to: { path: '^(src/(store|scheduler|http|app|main|config)|adapters/(?!$1/))' },
    },
    {
      name: 'adapters-not-core-internals',
      severity: 'error',
      from: { path: '^adapters/' },
      to: { path: '^src/core/', pathNot: '^src/core/index\\.ts$' },
    },
    {
      name: 'only-mongo-store-touches-mongo',
      severity: 'error',
      from: { path: '^(src|adapters)/', pathNot: '^src/store/mongo/' },
      to: { path: '^node_modules/(mongoose|mongodb)/' },
    },
    {
      name: 'only-main-knows-everything',
      comment: 'the composition (app.ts, main.ts) is imported by nobody in src or adapters',
      severity: 'error',
      from: { path: '^(src|adapters)/', pathNot: '^src/(main|app)\\.ts$' },
      to: { path: '^src/(main|app)\\.ts$' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'require', 'node', 'default', 'types'], extensions: ['.ts', '.js', '.json'] },
  },
};
