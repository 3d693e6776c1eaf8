/**
 * Runs TypeScript sources with a persistent transpile cache:
 * `node -r ./examples/ts-cache.js examples/default/main.ts` (what `npm run synth` does).
 *
 * Each .ts file is transpiled on its own (as `ts-node --transpile-only` does: no type
 * check, that is `npm test`'s job) into .tmp/ts-cache/, keyed by its path, size and
 * modification time. A run with nothing changed loads neither TypeScript nor the
 * sources' text: the main job costs what running compiled JavaScript costs. The
 * first run after a clone or an edit transpiles what changed.
 */
const crypto = require('crypto');
const fs = require('fs');
const Module = require('module');
const path = require('path');

const CACHE_DIR = path.join(__dirname, '..', '.tmp', 'ts-cache');
const TS_VERSION = require('typescript/package.json').version;
const COMPILER_OPTIONS = { module: 'CommonJS', target: 'ES2022', esModuleInterop: true, experimentalDecorators: true, inlineSourceMap: false };

let typescript;
let compilerOptions;
/** TypeScript and the options, loaded on the first cache miss only (loading TypeScript alone takes longer than a cached synth). */
function transpile(source, filename) {
  if (!typescript) {
    typescript = require('typescript');
    compilerOptions = typescript.convertCompilerOptionsFromJson(COMPILER_OPTIONS, __dirname).options;
  }
  return typescript.transpileModule(source, { compilerOptions, fileName: filename }).outputText;
}

/** What a cached file must start with to be current: the source's size and mtime, TypeScript's version, the options. */
function cacheHeader(stat) {
  return `// ${stat.size} ${stat.mtimeMs} ${TS_VERSION} ${JSON.stringify(COMPILER_OPTIONS)}\n`;
}

Module._extensions['.ts'] = function loadTypeScript(module, filename) {
  const cached = path.join(CACHE_DIR, `${crypto.createHash('sha1').update(filename).digest('hex')}.js`);
  const header = cacheHeader(fs.statSync(filename));
  let code;
  try {
    code = fs.readFileSync(cached, 'utf8');
  } catch {
    code = undefined;
  }
  if (code === undefined || !code.startsWith(header)) {
    code = header + transpile(fs.readFileSync(filename, 'utf8'), filename);
    fs.mkdirSync(CACHE_DIR, { recursive: true });
    // Write then rename, so that a concurrent run never reads half a file.
    const partial = `${cached}.${process.pid}`;
    fs.writeFileSync(partial, code);
    fs.renameSync(partial, cached);
  }
  module._compile(code, filename);
};
