import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { parseAllDocuments } from 'yaml';
import { buildDefaultApp } from '../../examples/default/main';
import { expectValidManifests } from '../util';

describe('examples/default', () => {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'default-example-'));
  afterAll(() => fs.rmSync(outdir, { recursive: true, force: true }));

  test('writes security-monitoring.k8s.yaml whose objects all validate', () => {
    buildDefaultApp(outdir).synth();
    expect(fs.readdirSync(outdir)).toEqual(['security-monitoring.k8s.yaml']);
    const docs = parseAllDocuments(fs.readFileSync(path.join(outdir, 'security-monitoring.k8s.yaml'), 'utf8')).map((d) => d.toJS());
    expect(docs.map((d) => `${d.kind}/${d.metadata.name}`)).toEqual(expect.arrayContaining(['Namespace/security-monitoring', 'Namespace/falco']));
    expectValidManifests(docs);
  });

  test('is byte-identical across two synths', () => {
    expect(buildDefaultApp(outdir).synthYaml()).toEqual(buildDefaultApp(outdir).synthYaml());
  });
});
