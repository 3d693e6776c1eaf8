/**
 * The jsii assembly (`.jsii`): the public API as Python, Java, C# and Go see
 * it. `npx projen compile` (jsii) writes it; it is not committed. Tests that
 * walk the public API read it here, and compile it first when it is missing
 * or older than a source file, so they hold on a fresh clone too (about 20 s,
 * once: later runs reuse it until a source file changes).
 */
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';

const ROOT = path.join(__dirname, '..', '..');
const ASSEMBLY = path.join(ROOT, '.jsii');
const LOCK = path.join(ROOT, '.jsii.lock');

export interface JsiiTypeReference {
  readonly primitive?: string;
  readonly fqn?: string;
  readonly collection?: { readonly kind: 'array' | 'map'; readonly elementtype: JsiiTypeReference };
  readonly union?: { readonly types: JsiiTypeReference[] };
}
export interface JsiiParameter {
  readonly name: string;
  readonly optional?: boolean;
  readonly variadic?: boolean;
  readonly type: JsiiTypeReference;
}
export interface JsiiCallable {
  readonly name?: string;
  readonly static?: boolean;
  readonly protected?: boolean;
  readonly parameters?: JsiiParameter[];
  readonly docs?: { readonly summary?: string; readonly remarks?: string };
}
export interface JsiiProperty {
  readonly name: string;
  readonly optional?: boolean;
  readonly static?: boolean;
  readonly type: JsiiTypeReference;
  readonly docs?: { readonly summary?: string; readonly remarks?: string; readonly default?: string };
}
export interface JsiiType {
  readonly fqn: string;
  readonly name: string;
  readonly kind: 'class' | 'interface' | 'enum';
  readonly abstract?: boolean;
  readonly datatype?: boolean;
  readonly initializer?: JsiiCallable;
  readonly methods?: JsiiCallable[];
  readonly properties?: JsiiProperty[];
  readonly interfaces?: string[];
  readonly base?: string;
}
export interface JsiiAssembly {
  readonly name: string;
  readonly types: Record<string, JsiiType>;
}

function newestSourceTime(dir: string): number {
  let newest = 0;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const file = path.join(dir, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestSourceTime(file));
    else if (entry.name.endsWith('.ts')) newest = Math.max(newest, fs.statSync(file).mtimeMs);
  }
  return newest;
}

function isFresh(): boolean {
  return fs.existsSync(ASSEMBLY) && fs.statSync(ASSEMBLY).mtimeMs >= newestSourceTime(path.join(ROOT, 'src'));
}

/** Compiles with jsii unless another test file is doing it (a lock directory), then waits for it. */
function compile(): void {
  const deadline = Date.now() + 5 * 60_000;
  for (;;) {
    try {
      fs.mkdirSync(LOCK);
      break;
    } catch {
      if (Date.now() > deadline) throw new Error(`${LOCK} held for 5 minutes: remove it if no jsii compile is running`);
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 500);
      if (isFresh()) return;
    }
  }
  try {
    if (isFresh()) return;
    execFileSync(path.join(ROOT, 'node_modules', '.bin', 'jsii'), ['--silence-warnings=reserved-word'], { cwd: ROOT, stdio: 'pipe' });
  } finally {
    fs.rmdirSync(LOCK);
  }
}

let loaded: JsiiAssembly | undefined;

/** The assembly of the library's current source. */
export function jsiiAssembly(): JsiiAssembly {
  if (!loaded) {
    if (!isFresh()) compile();
    loaded = JSON.parse(fs.readFileSync(ASSEMBLY, 'utf8')) as JsiiAssembly;
  }
  return loaded;
}

/** A struct's properties, including those of the structs it extends. */
export function structProperties(assembly: JsiiAssembly, fqn: string): JsiiProperty[] {
  const type = assembly.types[fqn];
  const inherited = (type.interfaces ?? []).flatMap((base) => structProperties(assembly, base));
  const own = type.properties ?? [];
  return [...inherited.filter((p) => !own.some((o) => o.name === p.name)), ...own];
}

/** A public entry point: a constructor, a static factory or a method. */
export interface EntryPoint {
  /** `Class`, `Class.factory` or `Class#method`. */
  readonly id: string;
  readonly type: JsiiType;
  readonly callable: JsiiCallable;
  readonly kind: 'constructor' | 'static' | 'method';
}

/** Every public entry point of the assembly that takes arguments or not, in a stable order. */
export function entryPoints(assembly: JsiiAssembly): EntryPoint[] {
  const result: EntryPoint[] = [];
  for (const type of Object.values(assembly.types).sort((a, b) => a.fqn.localeCompare(b.fqn))) {
    if (type.kind !== 'class') continue;
    if (type.initializer && !type.initializer.protected && !type.abstract) {
      result.push({ id: type.name, type, callable: type.initializer, kind: 'constructor' });
    }
    for (const method of type.methods ?? []) {
      if (method.protected) continue;
      result.push({ id: `${type.name}${method.static ? '.' : '#'}${method.name}`, type, callable: method, kind: method.static ? 'static' : 'method' });
    }
  }
  return result;
}
