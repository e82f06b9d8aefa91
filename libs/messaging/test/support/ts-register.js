// Lets a child process of a test run TypeScript from this repo (jest is not there to compile it):
// resolves the @app/* aliases and transpiles .ts files on require.
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const ts = require('typescript');
const tsconfigPaths = require('tsconfig-paths');

const root = path.resolve(__dirname, '..', '..', '..', '..');
const { config } = ts.readConfigFile(path.join(root, 'tsconfig.json'), ts.sys.readFile);
tsconfigPaths.register({ baseUrl: root, paths: config.compilerOptions.paths });

const compilerOptions = {
  ...ts.convertCompilerOptionsFromJson(config.compilerOptions, root).options,
  module: ts.ModuleKind.CommonJS,
  sourceMap: false,
  inlineSourceMap: true,
};

require.extensions['.ts'] = (module, filename) => {
  const { outputText } = ts.transpileModule(fs.readFileSync(filename, 'utf8'), { compilerOptions, fileName: filename });
  module._compile(outputText, filename);
};
