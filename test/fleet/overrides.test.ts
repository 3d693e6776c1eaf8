import { Duration } from 'cdk8s';
import { FalcoDriver, SiemDestination } from '../../src';
import { applyOverrides, describeOverrides, describeValue } from '../../src/stack/fleet/overrides';

const splunk = (index: string) => SiemDestination.splunkHec({ host: 'splunk.example.com', tokenSecret: { secretName: 'splunk', key: 'token' }, index });

describe('a cluster\'s overrides over the fleet\'s base', () => {
  const base = {
    namespace: 'security',
    falco: { priority: 'warning', driver: FalcoDriver.modernEbpf(), disabledRules: ['a', 'b'] },
    siem: { destinations: [splunk('security')], flushInterval: Duration.seconds(5) },
    alerting: { namespace: 'monitoring' },
  };

  test('plain objects merge key by key, to any depth; lists and the library\'s objects replace; undefined removes', () => {
    const kmod = FalcoDriver.kmod();
    const dev = splunk('dev');
    const merged = applyOverrides<any>(base, { falco: { driver: kmod, disabledRules: ['c'] }, siem: { destinations: [dev] }, alerting: undefined });
    expect(merged).toEqual({
      namespace: 'security',
      falco: { priority: 'warning', driver: kmod, disabledRules: ['c'] },
      siem: { destinations: [dev], flushInterval: Duration.seconds(5) },
    });
    expect(merged.falco.driver).toBe(kmod);
    expect('alerting' in merged).toBe(false);
  });

  test('neither the base nor the overrides change, so one base serves every cluster', () => {
    const before = JSON.stringify(base);
    const overrides = { falco: { priority: 'error' } };
    applyOverrides<any>(base, overrides);
    expect(JSON.stringify(base)).toBe(before);
    expect(overrides).toEqual({ falco: { priority: 'error' } });
  });

  test('the summary lists each changed leaf with the base value, and leaves out what an override sets to the base value', () => {
    expect(describeOverrides(base, { falco: { priority: 'warning', driver: FalcoDriver.kmod() }, alerting: undefined, dashboard: { enabled: false } })).toEqual([
      { path: 'falco.driver', base: 'FalcoDriver(kind: "modern_ebpf", leastPrivileged: true)', value: 'FalcoDriver(kind: "kmod", leastPrivileged: false)' },
      { path: 'alerting', base: '{ namespace: "monitoring" }', value: undefined },
      { path: 'dashboard.enabled', base: undefined, value: 'false' },
    ]);
  });

  test('two destinations that differ only inside show the difference', () => {
    const [change] = describeOverrides(base, { siem: { destinations: [splunk('dev')] } });
    expect(change.path).toBe('siem.destinations');
    expect(change.base).toContain('index: "security"');
    expect(change.value).toContain('index: "dev"');
  });

  test('values are described without functions, constructs or cycles', () => {
    const cyclic: any = { name: 'a' };
    cyclic.self = cyclic;
    expect(describeValue(cyclic)).toMatch(/^\{ name: "a", self: \{ name: "a", self: .*\.\.\./);
    expect(describeValue({ fn: () => 1, n: 1 })).toBe('{ n: 1 }');
  });
});
