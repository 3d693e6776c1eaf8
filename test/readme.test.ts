import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { parseAllDocuments } from 'yaml';
import { expectValidManifests } from './util';

const ROOT = path.join(__dirname, '..');
const README = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8');

describe('README', () => {
  test('starts with the install-and-synth command and the test command that CI runs', () => {
    const firstBlock = /```sh\n([\s\S]*?)```/.exec(README)![1];
    expect(firstBlock).toMatch(/^npm install && npm run synth\b/m);
    expect(firstBlock).toMatch(/^npm test\b/m);
    const ci = fs.readFileSync(path.join(ROOT, '.ci', 'run'), 'utf8');
    expect(ci).toMatch(/^npm install$/m);
    expect(ci).toMatch(/^npm run synth$/m);
    expect(ci).toMatch(/^npm test$/m);
  });

  test('the quickstart synthesizes, verbatim but for the package import, into valid manifests', () => {
    const quickstart = README.slice(README.indexOf('## Quickstart'));
    const code = /```ts\n([\s\S]*?)```/.exec(quickstart)![1];
    expect(code).toContain("from 'cdk8s-security-monitoring'");
    const dir = path.join(ROOT, '.tmp', 'readme-quickstart');
    fs.rmSync(dir, { recursive: true, force: true });
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(path.join(dir, 'main.ts'), code.replace("from 'cdk8s-security-monitoring'", `from ${JSON.stringify(path.join(ROOT, 'src'))}`));
    execFileSync(process.execPath, [require.resolve('ts-node/dist/bin'), '--transpile-only', 'main.ts'], { cwd: dir, stdio: 'pipe' });
    const files = fs.readdirSync(path.join(dir, 'dist'));
    expect(files.length).toBeGreaterThan(0);
    const docs = files.flatMap((f) => parseAllDocuments(fs.readFileSync(path.join(dir, 'dist', f), 'utf8')).map((d) => d.toJS()));
    expect(docs.length).toBeGreaterThan(0);
    expectValidManifests(docs);
  }, 60_000);
});
