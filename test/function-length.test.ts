/**
 * Small functions (issue #26 item 4): no function in `src/` is longer than
 * 100 lines, so each reads in one screen; a longer one is split into named
 * steps (a constructor into settings, pod template, services, metrics...).
 *
 * Measured: every function with a body (function declarations and
 * expressions, arrow functions, methods, constructors, accessors), from its
 * first token after its doc comment to its closing brace. A nested function
 * is measured on its own, and its lines count in its parent too.
 *
 * Not measured:
 * - generated code: `src/imports/` (`cdk8s import`) and `*.generated.ts`;
 * - data tables: a function whose whole body is one `return` of an array or
 *   object literal, such as the alert catalogues in `src/prometheus/catalogue/`.
 *   The literal is a list of entries read one at a time; every function inside
 *   it (an alert's `build`) is still measured.
 */
import * as fs from 'fs';
import * as path from 'path';
import * as ts from 'typescript';

const MAX_LINES = 100;
const SRC = path.join(__dirname, '..', 'src');

const isGenerated = (file: string) => file.startsWith(path.join(SRC, 'imports') + path.sep) || file.endsWith('.generated.ts');

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const file = path.join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(file);
    return entry.name.endsWith('.ts') ? [file] : [];
  }).filter((file) => !isGenerated(file)).sort();
}

type FunctionNode = ts.FunctionLikeDeclaration & { body: ts.Node };

/** A function whose body is `return [...]` or `return {...}` and nothing else. */
function isDataTable(fn: FunctionNode): boolean {
  let returned: ts.Expression | undefined;
  if (ts.isBlock(fn.body)) {
    const [only, ...rest] = fn.body.statements;
    if (rest.length > 0 || !only || !ts.isReturnStatement(only)) return false;
    returned = only.expression;
  } else {
    returned = fn.body as ts.Expression;
  }
  while (returned && (ts.isParenthesizedExpression(returned) || ts.isAsExpression(returned) || ts.isSatisfiesExpression(returned))) {
    returned = returned.expression;
  }
  return returned !== undefined && (ts.isArrayLiteralExpression(returned) || ts.isObjectLiteralExpression(returned));
}

/** How a reader finds the function: `Class.method`, `Class.constructor`, the variable or property it is assigned to. */
function functionName(fn: FunctionNode, file: ts.SourceFile): string {
  const owner = ts.isClassLike(fn.parent) ? `${fn.parent.name?.getText(file) ?? '<anonymous class>'}.` : '';
  if (ts.isConstructorDeclaration(fn)) return `${owner}constructor`;
  if (fn.name) return `${owner}${fn.name.getText(file)}`;
  const parent = fn.parent;
  if ((ts.isVariableDeclaration(parent) || ts.isPropertyAssignment(parent) || ts.isPropertyDeclaration(parent)) && parent.initializer === fn) {
    return parent.name.getText(file);
  }
  return `<${ts.SyntaxKind[fn.kind]}>`;
}

interface LongFunction {
  readonly where: string;
  readonly name: string;
  readonly lines: number;
}

/** The functions of one source text longer than `MAX_LINES`, data tables aside. */
function longFunctions(fileName: string, text: string): LongFunction[] {
  const file = ts.createSourceFile(fileName, text, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
  const found: LongFunction[] = [];
  const visit = (node: ts.Node) => {
    if (ts.isFunctionLike(node) && (node as ts.FunctionLikeDeclaration).body !== undefined) {
      const fn = node as FunctionNode;
      const first = file.getLineAndCharacterOfPosition(fn.getStart(file)).line;
      const lines = file.getLineAndCharacterOfPosition(fn.getEnd()).line - first + 1;
      if (lines > MAX_LINES && !isDataTable(fn)) found.push({ where: `${fileName}:${first + 1}`, name: functionName(fn, file), lines });
    }
    ts.forEachChild(node, visit);
  };
  visit(file);
  return found;
}

describe(`no function in src/ is longer than ${MAX_LINES} lines`, () => {
  test('outside generated code and data tables', () => {
    const files = sourceFiles(SRC);
    expect(files.length).toBeGreaterThan(100);
    const tooLong = files.flatMap((file) => longFunctions(path.relative(path.join(SRC, '..'), file), fs.readFileSync(file, 'utf8')))
      .map((f) => `${f.where} ${f.name} is ${f.lines} lines (at most ${MAX_LINES}): split it into named steps`);
    expect(tooLong).toEqual([]);
  });

  describe('the measure', () => {
    const body = (lines: number) => Array.from({ length: lines - 2 }, (_, i) => `  const v${i} = ${i};`).join('\n');
    const fn = (lines: number) => `function f() {\n${body(lines)}\n}\n`;

    test('counts a function from its first line to its closing brace, doc comment aside', () => {
      expect(longFunctions('a.ts', `/**\n * doc\n */\n${fn(MAX_LINES)}`)).toEqual([]);
      expect(longFunctions('a.ts', `/**\n * doc\n */\n${fn(MAX_LINES + 1)}`)).toEqual([{ where: 'a.ts:4', name: 'f', lines: MAX_LINES + 1 }]);
    });

    test('names methods, constructors, accessors and assigned arrow functions', () => {
      const long = body(MAX_LINES + 1);
      const text = `class Stack {\n  constructor() {\n${long}\n  }\n  private addFalco(): void {\n${long}\n  }\n  get warnings() {\n${long}\n  }\n}\n`
        + `const build = () => {\n${long}\n};\nexport const table = { entry: function () {\n${long}\n} };\n[1].map(() => {\n${long}\n});\n`;
      expect(longFunctions('a.ts', text).map((f) => `${f.name} ${f.lines}`)).toEqual([
        `Stack.constructor ${MAX_LINES + 1}`, `Stack.addFalco ${MAX_LINES + 1}`, `Stack.warnings ${MAX_LINES + 1}`,
        `build ${MAX_LINES + 1}`, `entry ${MAX_LINES + 1}`, `<ArrowFunction> ${MAX_LINES + 1}`,
      ]);
    });

    test('leaves out a data table (one return of a literal), but not the functions inside it, nor a function that also computes', () => {
      const entries = Array.from({ length: MAX_LINES }, (_, i) => `    { alert: 'A${i}' },`).join('\n');
      expect(longFunctions('a.ts', `function alerts() {\n  return [\n${entries}\n  ];\n}\n`)).toEqual([]);
      const fields = Array.from({ length: MAX_LINES }, (_, i) => `  a${i}: ${i},`).join('\n');
      expect(longFunctions('a.ts', `const thresholds = () => ({\n${fields}\n});\n`)).toEqual([]);
      const nested = `function alerts() {\n  return [{ build: () => {\n${body(MAX_LINES + 1)}\n  } }];\n}\n`;
      expect(longFunctions('a.ts', nested)).toEqual([{ where: 'a.ts:2', name: 'build', lines: MAX_LINES + 1 }]);
      const computes = `function alerts() {\n  const x = 1;\n  return [\n${entries}\n  ];\n}\n`;
      expect(longFunctions('a.ts', computes).map((f) => f.name)).toEqual(['alerts']);
    });

    test('leaves out generated code', () => {
      expect(isGenerated(path.join(SRC, 'imports', 'prometheusrules-monitoring.coreos.com.ts'))).toBe(true);
      expect(isGenerated(path.join(SRC, 'anomaly', 'detector-program.generated.ts'))).toBe(true);
      expect(isGenerated(path.join(SRC, 'falco', 'falco-deployment.ts'))).toBe(false);
      expect(sourceFiles(SRC).filter(isGenerated)).toEqual([]);
    });
  });
});
