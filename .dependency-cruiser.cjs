/** Architecture rules, checked in CI (`npm run lint`): the hexagon's inside knows no infrastructure. */
module.exports = {
  forbidden: [
    {
      name: 'domain-and-ports-know-no-infrastructure',
      comment: 'src/domain and src/ports must not import the AWS SDK, inversify, HTTP or adapters/entrypoints.',
      severity: 'error',
      from: { path: '^src/(domain|ports)/' },
      to: { path: ['@aws-sdk/', 'node_modules/inversify', 'node_modules/@inversifyjs', '^src/(adapters|entrypoints)/', '^(node:)?https?$'] },
    },
    {
      name: 'domain-does-not-depend-on-ports-errors-only',
      comment: 'The domain may use port types and port errors, nothing else outside src/domain.',
      severity: 'error',
      from: { path: '^src/domain/' },
      to: { path: '^src/', pathNot: ['^src/domain/', '^src/ports/'] },
    },
    {
      name: 'adapters-do-not-know-entrypoints',
      severity: 'error',
      from: { path: '^src/adapters/' },
      to: { path: '^src/entrypoints/' },
    },
    {
      name: 'only-entrypoints-use-inversify',
      severity: 'error',
      from: { path: '^src/', pathNot: '^src/entrypoints/' },
      to: { path: ['node_modules/inversify', 'node_modules/@inversifyjs'] },
    },
    { name: 'no-circular', severity: 'error', from: {}, to: { circular: true } },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'require', 'node', 'default', 'types'], extensions: ['.ts', '.js'] },
    moduleSystems: ['es6', 'cjs'],
  },
};
