// Import rules of LVS-DR Studio, checked by dependency-cruiser in the lint tier (`npm run lint`).
// Every rule is an error: a violation fails the lint tier.
//
// server/ (no `vscode`: the language server and the lvsdr CLI run it) is layered, lowest first;
// a layer imports only layers below it, never one above or beside it:
//
//   shared      leaf utilities shared by several layers (shell quoting, process liveness):
//               they import nothing from the project, so any layer may use them
//   language    tokens, lexer, parser, AST, value helpers (values.ts)
//   protocol    every contract crossing a process or bundle boundary (designer messages,
//               the CLI event stream, the secret environment names): valibot schemas and the
//               types derived from them; it may import valibot and the language's leaf modules
//               only (values.ts, names.ts, vocabulary.ts, which import nothing), because the
//               webview bundle (media/) and the VS Code client load it too
//   model       the cluster model built from the AST
//   validation  the rules and the registry that runs them
//   generate    files for each host        diagram   the designer's view of a file
//   lsp         language features          deploy    the SSH engine        lab   the local lab
//   export      other tools' projects made from a .lvs file (export/ansible: an Ansible project
//               putting the generated files); only the CLI drives it
//   import      adopting an existing cluster: keepalived.conf and ipvsadm rules become .lvs text
//               (formatted by lsp/formatting.ts, the formatter's one definition)
//   live        the running cluster: status snapshots, runtime findings, operator actions;
//               it uses the deploy engine's connections (and through targets.ts the lab)
//   cli         the lvsdr commands
//   server.ts and cli.ts: the two process entry points; nothing imports them
//
// Outside server/: client/ (the VS Code adapter) may import server/protocol and server/shared;
// media/ (the webview, a browser bundle) may import server/protocol and server/language/values.ts;
// neither imports the other. test/ may import anything.

/** Path pattern of the server layers a layer may import, besides itself. */
const only = (...dirs) => `^server/(${dirs.join('|')})/`;

/** The language's leaf modules (value parsing, the name rule, the value words): no imports, browser-safe. */
const LANGUAGE_LEAVES = '^server/language/(values|names|vocabulary)\\.ts$';

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      comment: 'A cycle ties its modules into one unit that can be neither read, tested nor loaded in part.',
      severity: 'error',
      from: { path: '^(server|client|media)/' },
      to: { circular: true },
    },
    {
      name: 'shared-is-a-leaf',
      comment: 'server/shared/ holds utilities every layer may use; importing a layer would make it part of that layer.',
      severity: 'error',
      from: { path: '^server/shared/' },
      to: { path: '^(server|client|media|test)/', pathNot: '^server/shared/' },
    },
    {
      name: 'language-is-the-base',
      comment: 'The language (lexer, parser, AST, values) knows nothing of what is built on it.',
      severity: 'error',
      from: { path: '^server/language/' },
      to: { path: '^server/', pathNot: only('language', 'shared') },
    },
    {
      name: 'protocol-is-self-contained',
      comment: 'Contracts are loaded by the client and the webview bundle too: they may use the language leaves (and valibot), nothing else of the engine.',
      severity: 'error',
      from: { path: '^server/protocol/' },
      to: { path: '^(server|client|media)/', pathNot: ['^server/protocol/', LANGUAGE_LEAVES] },
    },
    {
      name: 'language-leaves-import-nothing',
      comment: 'values.ts, names.ts and vocabulary.ts reach the webview bundle through the contracts: an import there (chevrotain, the parser) would ship with it.',
      severity: 'error',
      from: { path: LANGUAGE_LEAVES },
      to: { pathNot: '^$' },
    },
    {
      name: 'protocol-needs-only-valibot',
      comment: 'The webview bundle loads the contracts: no Node built-in and no package but valibot.',
      severity: 'error',
      from: { path: '^server/protocol/' },
      to: { dependencyTypes: ['core', 'npm', 'npm-dev', 'npm-optional', 'npm-peer', 'npm-no-pkg', 'npm-unknown'], pathNot: '^node_modules/valibot/' },
    },
    {
      name: 'model-above-language',
      comment: 'The model is built from the AST; validation and everything after it use the model, not the reverse.',
      severity: 'error',
      from: { path: '^server/model/' },
      to: { path: '^server/', pathNot: only('model', 'language', 'protocol', 'shared') },
    },
    {
      name: 'validation-above-model',
      comment: 'Validation judges the model; what consumes its findings (generate, diagram, lsp, deploy) sits above it.',
      severity: 'error',
      from: { path: '^server/validation/' },
      to: { path: '^server/', pathNot: only('validation', 'model', 'language', 'protocol', 'shared') },
    },
    {
      name: 'generate-above-validation',
      comment: 'Generation takes a validated model; it knows neither the designer nor any front end (lsp, deploy, lab, cli).',
      severity: 'error',
      from: { path: '^server/generate/' },
      to: { path: '^server/', pathNot: only('generate', 'validation', 'model', 'language', 'protocol', 'shared') },
    },
    {
      name: 'diagram-above-validation',
      comment: 'The diagram takes the validation result and the document; the language server that serves it sits above it.',
      severity: 'error',
      from: { path: '^server/diagram/' },
      to: { path: '^server/', pathNot: only('diagram', 'validation', 'model', 'language', 'protocol', 'shared') },
    },
    {
      name: 'lsp-below-cli',
      comment: 'The language features use generate and diagram; deploying and the lab are the CLI\'s business.',
      severity: 'error',
      from: { path: '^server/lsp/' },
      to: { path: '^server/', pathNot: only('lsp', 'generate', 'diagram', 'validation', 'model', 'language', 'protocol', 'shared') },
    },
    {
      name: 'deploy-below-cli',
      comment: 'The deploy engine is driven by the CLI (and through it by VS Code); it knows nothing of the language server.',
      severity: 'error',
      from: { path: '^server/deploy/' },
      to: { path: '^server/', pathNot: only('deploy', 'lab', 'generate', 'diagram', 'validation', 'model', 'language', 'protocol', 'shared') },
    },
    {
      name: 'lab-below-cli',
      comment: 'The lab builds hosts from a model; it is driven by the CLI and does not deploy (the deploy engine targets the lab).',
      severity: 'error',
      from: { path: '^server/lab/' },
      to: { path: '^server/', pathNot: only('lab', 'generate', 'diagram', 'validation', 'model', 'language', 'protocol', 'shared') },
    },
    {
      name: 'export-below-cli',
      comment: 'An export turns the generated files into another tool\'s project; it uses generation and below, never the deploy engine, the lab or the language server.',
      severity: 'error',
      from: { path: '^server/export/' },
      to: { path: '^server/', pathNot: only('export', 'generate', 'validation', 'model', 'language', 'protocol', 'shared') },
    },
    {
      name: 'export-used-by-cli-only',
      comment: 'Outside its own layer, only the lvsdr CLI (cli/export.ts) uses the export layer.',
      severity: 'error',
      from: { path: '^server/', pathNot: ['^server/export/', '^server/cli/export\\.ts$'] },
      to: { path: '^server/export/' },
    },
    {
      name: 'import-below-cli',
      comment: 'The importers read files and write .lvs text; they use the formatter and the validator, and only the CLI drives them.',
      severity: 'error',
      from: { path: '^server/import/' },
      to: { path: '^server/', pathNot: [only('import', 'generate', 'validation', 'model', 'language', 'protocol', 'shared'), '^server/lsp/formatting\\.ts$'] },
    },
    {
      name: 'live-below-cli',
      comment: 'The live status engine reads the running cluster over the deploy engine\'s connections; the CLI drives it, nothing below imports it.',
      severity: 'error',
      from: { path: '^server/live/' },
      to: { path: '^server/', pathNot: only('live', 'deploy', 'generate', 'validation', 'model', 'language', 'protocol', 'shared') },
    },
    {
      name: 'live-used-by-cli-only',
      comment: 'Outside its own layer, only the lvsdr CLI uses the live engine.',
      severity: 'error',
      from: { path: '^server/', pathNot: ['^server/live/', '^server/cli/'] },
      to: { path: '^server/live/' },
    },
    {
      name: 'import-used-by-cli-only',
      comment: 'Outside its own layer, only the lvsdr CLI (cli/import.ts, and cli/import-live.ts for live hosts) uses the import layer, through server/import/index.ts.',
      severity: 'error',
      from: { path: '^server/', pathNot: ['^server/import/', '^server/cli/import(-live)?\\.ts$'] },
      to: { path: '^server/import/' },
    },
    {
      name: 'import-through-its-public-module',
      comment: 'The CLI uses the import layer through server/import/index.ts only.',
      severity: 'error',
      from: { path: '^server/cli/' },
      to: { path: '^server/import/', pathNot: '^server/import/index\\.ts$' },
    },
    {
      name: 'lab-through-its-public-module',
      comment: 'Outside the lab and its own command (cli/lab.ts), the lab is used through server/lab/index.ts only, so its internals can change.',
      severity: 'error',
      from: { path: '^server/', pathNot: ['^server/lab/', '^server/cli/lab\\.ts$'] },
      to: { path: '^server/lab/', pathNot: '^server/lab/index\\.ts$' },
    },
    {
      name: 'entry-points-are-not-libraries',
      comment: 'server.ts and cli.ts start a process when loaded; what they wire together lives in lsp/ and cli/.',
      severity: 'error',
      from: { path: '^(server|client|media)/' },
      to: { path: '^server/(server|cli)\\.ts$' },
    },
    {
      name: 'server-is-editor-neutral',
      comment: 'The engine runs in the language server and the lvsdr CLI, outside VS Code: no vscode API, no client or webview code.',
      severity: 'error',
      from: { path: '^server/' },
      to: { path: ['^client/', '^media/', '^vscode$', '^node_modules/@types/vscode/'] },
    },
    {
      name: 'client-uses-contracts',
      comment: 'The VS Code client talks to the engine over LSP and the CLI\'s event stream: it imports their contracts, never engine code.',
      severity: 'error',
      from: { path: '^client/' },
      to: { path: '^(server|media)/', pathNot: ['^server/protocol/', '^server/shared/'] },
    },
    {
      name: 'media-uses-contracts',
      comment: 'The webview is a browser bundle fed by messages: it imports their contracts and the value helpers, never client or engine code.',
      severity: 'error',
      from: { path: '^media/' },
      to: { path: '^(server|client)/', pathNot: ['^server/protocol/', '^server/language/values\\.ts$'] },
    },
    {
      name: 'media-is-browser-code',
      comment: 'The webview runs in a browser: Node built-ins and the vscode API do not exist there.',
      severity: 'error',
      from: { path: '^media/' },
      to: { dependencyTypes: ['core'] },
    },
    {
      name: 'products-do-not-import-tests',
      comment: 'Test code is not shipped; a product module that imports it would break in the bundle.',
      severity: 'error',
      from: { path: '^(server|client|media)/' },
      to: { path: '^test/' },
    },
    {
      name: 'no-unresolvable',
      comment: 'An import that does not resolve is a typo or a missing dependency.',
      severity: 'error',
      from: { path: '^(server|client|media)/' },
      to: { couldNotResolve: true },
    },
  ],
  options: {
    // Type-only imports count: they tie modules together as much as value imports do.
    tsPreCompilationDeps: true,
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^(dist|out|\\.vscode-test|test-artifacts|generated)/' },
    // Packages with an `exports` map (chevrotain, vscode-languageserver) resolve like Node does.
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
      extensions: ['.ts', '.js', '.mjs', '.cjs', '.json', '.d.ts'],
      mainFields: ['module', 'main', 'types', 'typings'],
    },
  },
};
