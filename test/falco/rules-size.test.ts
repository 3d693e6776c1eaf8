/**
 * Large rules files reach Falco within Kubernetes' object limits: split over
 * ConfigMaps that Falco loads in `rules_files` order, each small enough for
 * client-side `kubectl apply`, with an error where no split can help.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, Chart, Testing } from 'cdk8s';
import { benchFalcoRule } from '../../bench/lib/workloads';
import { FalcoPriority, FalcoRules, SecurityMonitoringStack } from '../../src';
import { runCheck } from '../../src/cli/check';
import { annotationBytesAfterApply, configMapDataBytes, MAX_ANNOTATION_BYTES, MAX_CONFIG_MAP_DATA_BYTES } from '../../src/common/object-size';
import { layoutRulesFiles, RULES_CONFIG_MAP_BUDGET } from '../../src/falco/rules-layout';
import { expectValidManifests, findObject, Manifest, synth } from '../util';
import { falcoIn, falcoPod, falcoYaml } from './helpers';

const rulesConfigMaps = (manifests: Manifest[]) => manifests.filter((m) => m.kind === 'ConfigMap' && /^falco-rules(-\d+)?$/.test(m.metadata.name));

/** A list entry of about `bytes` bytes: one long list of made-up process names. */
const bigList = (name: string, bytes: number) => ({ name, items: Array.from({ length: Math.ceil(bytes / 12) }, (_, i) => `proc-${String(i).padStart(6, '0')}`) });

describe('the 10,000-rule benchmark stack', () => {
  const chart = Testing.chart();
  const stack = new SecurityMonitoringStack(chart, 'stack');
  const rules = new FalcoRules();
  for (let i = 0; i < 10_000; i++) rules.addRule(benchFalcoRule(i));
  stack.falco!.addRules('custom-rules', rules);
  const manifests = synth(chart);
  const configMaps = rulesConfigMaps(manifests);

  test('every object is within Kubernetes\' limits (and valid)', () => expectValidManifests(manifests));

  test('the rules are spread over ConfigMaps that client-side kubectl apply accepts', () => {
    expect(configMaps.length).toBeGreaterThan(4);
    for (const configMap of configMaps) {
      expect(configMapDataBytes(configMap)).toBeLessThanOrEqual(MAX_CONFIG_MAP_DATA_BYTES);
      expect(annotationBytesAfterApply(configMap)).toBeLessThanOrEqual(MAX_ANNOTATION_BYTES);
    }
    expect(stack.warnings).toEqual([]);
  });

  test('Falco loads the parts in order and they add up to the whole file', () => {
    const files: string[] = falcoYaml(manifests).rules_files;
    const parts = files.filter((f) => f.startsWith('/etc/falco/rules.d/'));
    expect(parts[0]).toBe('/etc/falco/rules.d/custom-rules.01.yaml');
    const data = Object.assign({}, ...configMaps.map((c) => c.data));
    expect(Object.keys(data).sort()).toEqual(parts.map((p) => p.slice('/etc/falco/rules.d/'.length)).sort());
    expect(parts.map((p) => data[p.slice('/etc/falco/rules.d/'.length)]).join('')).toEqual(rules.toYaml());
  });

  test('one projected volume mounts every rules ConfigMap in the rules directory', () => {
    const volume = findObject(manifests, 'DaemonSet').spec.template.spec.volumes.find((v: any) => v.name === 'rules-volume');
    expect(volume.projected.sources.map((s: any) => s.configMap.name)).toEqual(configMaps.map((c) => c.metadata.name));
  });
});

describe('rules layout', () => {
  const text = (entries: number, size: number) => Array.from({ length: entries }, (_, i) => `- list: l${i}\n  items: [${'x'.repeat(size)}]\n`).join('');

  test('a file that fits stays whole, under its own name', () => {
    const layout = layoutRulesFiles([['a', text(3, 10)], ['b', text(3, 10)]], 1000);
    expect(layout.parts.map((p) => p.key)).toEqual(['a.yaml', 'b.yaml']);
    expect(layout.configMaps.map((c) => c.map((p) => p.key))).toEqual([['a.yaml', 'b.yaml']]);
  });

  test('a file that fits a ConfigMap of its own is moved, not split', () => {
    const layout = layoutRulesFiles([['a', text(6, 100)], ['b', text(6, 100)]], 1000);
    expect(layout.configMaps.map((c) => c.map((p) => p.key))).toEqual([['a.yaml'], ['b.yaml']]);
  });

  test('a larger file is split between entries into numbered parts, in order', () => {
    const whole = text(30, 100);
    const layout = layoutRulesFiles([['a', whole]], 1000);
    // Entries of 125 or 126 bytes as JSON (names l0 to l29): parts of at most 1,000 bytes.
    expect(layout.parts.map((p) => p.key)).toEqual(['a.01.yaml', 'a.02.yaml', 'a.03.yaml', 'a.04.yaml', 'a.05.yaml']);
    expect(layout.parts.map((p) => p.bytes)).toEqual([1000, 880, 882, 882, 126]);
    expect(layout.parts.map((p) => p.text).join('')).toEqual(whole);
    expect(layout.parts.every((p) => p.text.startsWith('- list: ') && p.bytes <= 1000)).toBe(true);
  });
});

describe('entries no split can deliver', () => {
  test('an entry over 1 MiB is an error that names it', () => {
    const falco = falcoIn();
    falco.addRules('big', new FalcoRules().addList(bigList('huge_binaries', 1_200_000)));
    expect(() => synth(falco)).toThrow(/rules file "big" has an entry larger than the 1048576 bytes a ConfigMap holds, so no split can deliver it \(got "- list: huge_binaries"\): shorten the entry \(\d+ bytes\): split a long list into several lists and name them in one list, or a long condition into macros/);
  });

  test('an entry over 256 KiB gets a ConfigMap of its own and a warning naming server-side apply', () => {
    const chart = Testing.chart();
    const stack = new SecurityMonitoringStack(chart, 'stack');
    stack.falco!.addRules('lists', new FalcoRules().addList({ name: 'small', items: ['a'] }).addList(bigList('many_binaries', 300_000)));
    stack.falco!.addRule({ name: 'R', description: 'd', condition: 'evt.type = execve and proc.name in (many_binaries)', output: 'o', priority: FalcoPriority.WARNING });
    const manifests = synth(chart);
    expectValidManifests(manifests);
    const configMaps = rulesConfigMaps(manifests);
    expect(configMaps.map((c) => Object.keys(c.data))).toEqual([['lists.01.yaml'], ['lists.02.yaml'], ['custom-rules.yaml']]);
    const entryBytes = JSON.stringify(configMaps[1].data['lists.02.yaml']).length - 2;
    expect(stack.warnings).toEqual(['test/stack/falco: ConfigMap falco-rules-2 is too large for client-side kubectl apply, which copies it into an annotation of at most 262144 bytes: '
      + `its entry "- list: many_binaries" alone takes ${entryBytes} bytes as JSON (got "${annotationBytesAfterApply(configMaps[1])} bytes"): `
      + `apply with "kubectl apply --server-side" (or your GitOps tool's server-side apply), or shorten that entry below ${RULES_CONFIG_MAP_BUDGET} bytes`]);
    expect(falcoPod(manifests).pod.volumes.find((v: any) => v.name === 'rules-volume').projected.sources)
      .toEqual([{ configMap: { name: 'falco-rules' } }, { configMap: { name: 'falco-rules-2' } }, { configMap: { name: 'falco-rules-3' } }]);
  });
});

test('the check CLI reads split rules files in rules_files order, across ConfigMaps', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'split-rules-'));
  try {
    const app = new App({ outdir: dir });
    const stack = new SecurityMonitoringStack(new Chart(app, 'security'), 'stack');
    // The macro is in the first part, the rule that uses it in the last: checked apart, the rule's macro would be undefined.
    const rules = new FalcoRules().addMacro({ name: 'bench_shell', condition: 'proc.name = bash' });
    for (let i = 0; i < 1_000; i++) rules.addRule(benchFalcoRule(i));
    rules.addRule({ name: 'Shell', description: 'd', condition: 'evt.type = execve and bench_shell', output: 'shell %proc.name', priority: FalcoPriority.WARNING });
    stack.falco!.addRules('custom', rules);
    app.synth();
    expect(rulesConfigMaps(synth(stack)).length).toBeGreaterThan(1);
    expect(runCheck([dir], { tools: false }).diagnostics.filter((d) => d.message.includes('bench_shell'))).toEqual([]);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
