/**
 * The whole alert path with the real programs (Debian's Prometheus 2.42 and
 * Alertmanager 0.25): Prometheus evaluates the rules the stack renders on
 * series that make each catalogue alert fire (the catalogue's own promtool
 * test series), and sends to Alertmanagers loaded with what a cluster runs:
 * - for the AlertmanagerConfig output, the configuration the Prometheus
 *   Operator builds from it under each matcher strategy (operator-config.ts);
 * - for the Secret output, the alertmanager.yaml the Secret holds.
 * PagerDuty (Events API v2) and the warning receiver are HTTP servers in this
 * process that record what they receive.
 *
 * Everything the alerts are made of is what the stack renders (expressions,
 * labels, severity, annotations, routing tree, receivers, inhibition), with
 * three changes to make it run in seconds instead of hours:
 * - `for:` is dropped from the rules Prometheus loads: the promtool unit tests
 *   prove the `for` timing; here it would only make the test wait 10 minutes;
 * - `group_wait` is 5s and `group_interval` 1s in the Alertmanager copy: they
 *   delay notifications, never decide where they go;
 * - each series is replayed one step per second instead of per minute, from
 *   its first sample (leading absent steps only say "the series is new", which
 *   it is when Prometheus starts). Rates come out 60 times higher, which only
 *   moves the firing series further past their thresholds.
 * The PagerDuty endpoint is set with `global.pagerduty_url`, which leaves the
 * receivers as rendered.
 */
import { ChildProcess, spawn } from 'child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'fs';
import { createServer, IncomingMessage, Server, ServerResponse } from 'http';
import { AddressInfo, createServer as createNetServer } from 'net';
import { tmpdir } from 'os';
import * as path from 'path';
import { Duration, Testing } from 'cdk8s';
import { parse, stringify } from 'yaml';
import { routesTo } from './amtool';
import { OPERATOR_BASE_CONFIG, operatorAlertmanagerConfig } from './operator-config';
import {
  AlertingOutput, AlertmanagerMatcherStrategy, AlertReceiver, AlertSeverity, SecurityMonitoringStack, SecurityMonitoringStackProps,
} from '../../src';
import { findObject, Manifest, synth } from '../util';
import { ALERTMANAGER, describeLive, PROMETHEUS } from '../util/live-tools';

jest.setTimeout(90_000);

const ROUTING_KEY = 'e2e-routing-key';
const ALERTMANAGER_NAMESPACE = 'monitoring';
/**
 * Two alerts of one name, critical and warning: the warning, which starts
 * firing while the critical one fires, must be inhibited.
 */
const INHIBITION_PROBE = 'InhibitionProbe';
/** Seconds after synthesis when the warning probe starts firing. */
const WARNING_PROBE_DELAY = 10;

/** An alert the catalogue's unit tests make fire, with what they expect of it. */
interface FiringCase {
  readonly alertname: string;
  readonly severity: string;
  readonly series: Array<{ series: string; values: string }>;
  readonly labels: Record<string, string>;
  readonly annotations: Record<string, string>;
}

/** A way to run the stack's routing in a cluster: which stack output, and how the cluster's Alertmanager loads it. */
interface Scenario {
  readonly name: string;
  readonly output: 'AlertmanagerConfig' | 'Secret';
  readonly strategy?: AlertmanagerMatcherStrategy;
}

const SCENARIOS: Scenario[] = [
  { name: 'on-namespace', output: 'AlertmanagerConfig', strategy: AlertmanagerMatcherStrategy.ON_NAMESPACE },
  { name: 'except-am-namespace', output: 'AlertmanagerConfig', strategy: AlertmanagerMatcherStrategy.ON_NAMESPACE_EXCEPT_FOR_ALERTMANAGER_NAMESPACE },
  { name: 'none', output: 'AlertmanagerConfig', strategy: AlertmanagerMatcherStrategy.NONE },
  { name: 'secret', output: 'Secret' },
];

/**
 * The stack a user writes: defaults, plus PagerDuty and a warning receiver; the Secret output reads
 * credentials from `secretsDir`. The inhibition probe's warning fires from `warningProbeAt` (Unix seconds).
 */
function userStack(output: Scenario['output'], receiverBase: string, secretsDir: string, warningProbeAt = 0): SecurityMonitoringStack {
  const props: SecurityMonitoringStackProps = {
    alerting: {
      pagerDuty: { routingKeySecret: { secretName: 'pagerduty', key: 'routing-key' } },
      warningReceiver: AlertReceiver.webhook('security-warnings', { url: `${receiverBase}/warning` }),
      ...(output === 'Secret' ? { output: AlertingOutput.configSecret({ secretsMountDir: secretsDir }) } : {}),
    },
  };
  const stack = new SecurityMonitoringStack(Testing.chart(), 'stack', props);
  for (const severity of [AlertSeverity.CRITICAL, AlertSeverity.WARNING]) {
    stack.alerts!.addAlert({
      alert: INHIBITION_PROBE,
      expr: severity === AlertSeverity.CRITICAL ? 'vector(1)' : `vector(time()) > ${warningProbeAt}`,
      severity,
      summary: `inhibition probe (${severity})`,
      description: 'Fires at two severities: only the critical one may notify.',
      runbookUrl: 'https://runbooks.example/inhibition-probe',
      tests: [{ name: 'always fires', series: [], evalTime: Duration.minutes(1), expectedAlerts: [{}] }],
    });
  }
  return stack;
}

/** The alerts the catalogue's own promtool tests show firing, with their series. */
function firingCases(stack: SecurityMonitoringStack): FiringCase[] {
  const tests: any[] = parse(stack.alerts!.toUnitTestFile('rules.yaml')).tests;
  const cases = new Map<string, FiringCase>();
  for (const test of tests) {
    const { alertname, exp_alerts: expected } = test.alert_rule_test[0];
    if (expected.length === 0) continue;
    const { exp_labels: labels, exp_annotations: annotations } = expected[0];
    cases.set(`${alertname}/${labels.severity}`, { alertname, severity: labels.severity, series: test.input_series ?? [], labels, annotations });
  }
  return [...cases.values()];
}

/** promtool's expanding notation as one value per step; undefined where the series is absent. */
function expand(values: string): Array<number | undefined> {
  const out: Array<number | undefined> = [];
  for (const token of values.trim().split(/\s+/)) {
    const blank = /^_(?:x(\d+))?$/.exec(token);
    if (blank) {
      out.push(...Array<undefined>(blank[1] === undefined ? 1 : Number(blank[1])).fill(undefined));
      continue;
    }
    if (token === 'stale') {
      out.push(undefined);
      continue;
    }
    const series = /^([+-]?[\d.e+-]+?)(?:([+-][\d.e+-]+)?x(\d+))?$/.exec(token);
    if (!series) throw new Error(`unexpected series value ${token}`);
    const [, start, step, times] = series;
    if (times === undefined) out.push(Number(start));
    else for (let i = 0; i <= Number(times); i++) out.push(Number(start) + i * Number(step ?? 0));
  }
  // From the first sample: a leading absence only says the series is new.
  const first = out.findIndex((v) => v !== undefined);
  return first < 0 ? [] : out.slice(first);
}

/** The exposition of every firing series at `step` seconds after the start (last value held). */
function exposition(cases: FiringCase[], step: number): string {
  const series = new Map<string, Array<number | undefined>>();
  for (const c of cases) {
    for (const input of c.series) {
      // Prometheus writes `up` itself: a scraped one would be refused.
      if (input.series.startsWith('up{') || input.series === 'up') continue;
      const values = expand(input.values);
      const earlier = series.get(input.series);
      if (earlier && JSON.stringify(earlier) !== JSON.stringify(values)) throw new Error(`two alerts feed ${input.series} different values`);
      series.set(input.series, values);
    }
  }
  const lines: string[] = [];
  for (const [name, values] of series) {
    const value = values[Math.min(step, values.length - 1)];
    if (value !== undefined) lines.push(`${name} ${value}`);
  }
  return `${lines.join('\n')}\n`;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createNetServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      server.close(() => resolve(port));
    }).on('error', reject);
  });
}

function listen(handler: (req: IncomingMessage, body: string, res: ServerResponse) => void): Promise<{ server: Server; url: string }> {
  return new Promise((resolve) => {
    const server = createServer((req, res) => {
      let body = '';
      req.on('data', (chunk) => (body += chunk));
      req.on('end', () => handler(req, body, res));
    }).listen(0, '127.0.0.1', () => resolve({ server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` }));
  });
}

async function waitReady(url: string, child: ChildProcess, what: string): Promise<void> {
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`${what} exited with ${child.exitCode}`);
    try {
      if ((await fetch(`${url}/-/ready`, { signal: AbortSignal.timeout(1000) })).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`${what} not ready within 30 s`);
}

async function stop(child: ChildProcess | undefined): Promise<void> {
  if (!child || child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((r) => child.once('exit', r));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
  await exited;
  clearTimeout(timer);
}

/** The rules Prometheus loads: the PrometheusRule's groups, without `for` (see the file comment). */
function prometheusRuleFile(manifests: Manifest[]): string {
  const groups = findObject(manifests, 'PrometheusRule').spec.groups.map((group: any) => ({
    ...group,
    rules: group.rules.map(({ for: _for, keep_firing_for: _keep, ...rule }: any) => rule),
  }));
  return stringify({ groups });
}

/**
 * Shortens group_wait and group_interval on every route that sets them (see the file comment). group_wait
 * stays longer than Prometheus' resend delay: it is also the time a critical alert
 * has to arrive before the warning it inhibits is sent.
 */
function shortenTiming(route: any): any {
  return {
    ...route,
    ...(route.group_wait === undefined ? {} : { group_wait: '5s' }),
    ...(route.group_interval === undefined ? {} : { group_interval: '1s' }),
    ...(route.routes === undefined ? {} : { routes: route.routes.map(shortenTiming) }),
  };
}

/** What a cluster's Alertmanager loads for this scenario, as it would load it, pointed at the fake PagerDuty. */
function clusterAlertmanagerConfig(scenario: Scenario, manifests: Manifest[], pagerDutyUrl: string): Record<string, any> {
  const config = scenario.output === 'Secret'
    ? parse(findObject(manifests, 'Secret', 'security-alerting').stringData['alertmanager.yaml'])
    : operatorAlertmanagerConfig(manifests.filter((m) => m.kind === 'AlertmanagerConfig'), {
      strategy: scenario.strategy!,
      alertmanagerNamespace: ALERTMANAGER_NAMESPACE,
      secrets: { 'security-monitoring/pagerduty/routing-key': ROUTING_KEY },
      base: OPERATOR_BASE_CONFIG,
    });
  return { ...config, global: { ...config.global, pagerduty_url: pagerDutyUrl }, route: shortenTiming(config.route) };
}

describe('the operator\'s configuration of the default stack routes by severity under every matcher strategy (amtool)', () => {
  const manifests = synth(userStack('AlertmanagerConfig', 'http://127.0.0.1:9/receivers', '/unused'));
  test.each(SCENARIOS.filter((s) => s.output === 'AlertmanagerConfig'))('$name', (scenario) => {
    const config = stringify(clusterAlertmanagerConfig(scenario, manifests, 'http://127.0.0.1:9/pagerduty'));
    // The labels every stack alert carries (routedAlertLabels), whatever namespace its expression returned.
    const alert = (severity: string) => ({ alertname: 'FalcoCriticalEvent', severity, namespace: 'security-monitoring', exported_namespace: 'shop' });
    expect(routesTo(config, alert('critical'))).toEqual(['security-monitoring/security-alerting/pagerduty']);
    expect(routesTo(config, alert('warning'))).toEqual(['security-monitoring/security-alerting/security-warnings']);
    expect(routesTo(config, alert('info'))).toEqual(['security-monitoring/security-alerting/null']);
  });
});

describeLive(PROMETHEUS, 'the stack\'s alerts reach PagerDuty and the warning receiver', (prometheusCommand) => {
  describeLive(ALERTMANAGER, 'through real Alertmanagers loaded as a cluster loads them', (alertmanagerCommand) => {
    const dir = mkdtempSync(path.join(tmpdir(), 'alert-path-'));
    const children: ChildProcess[] = [];
    const servers: Server[] = [];
    /** What each scenario's receivers got: PagerDuty events and warning webhook payloads. */
    const received = new Map<string, { pagerDuty: any[]; warning: any[] }>(SCENARIOS.map((s) => [s.name, { pagerDuty: [], warning: [] }]));
    const stacks = new Map<Scenario['output'], SecurityMonitoringStack>();
    let cases: Map<Scenario['output'], FiringCase[]>;

    beforeAll(async () => {
      const receivers = await listen((req, body, res) => {
        const [, scenario, kind] = req.url!.split('/');
        const payloads = received.get(scenario);
        if (payloads && (kind === 'pagerduty' || kind === 'warning')) {
          (kind === 'pagerduty' ? payloads.pagerDuty : payloads.warning).push(JSON.parse(body));
          res.writeHead(202, { 'content-type': 'application/json' }).end(JSON.stringify({ status: 'success', message: 'Event processed' }));
        } else {
          res.writeHead(404).end();
        }
      });
      servers.push(receivers.server);
      const secretsDir = path.join(dir, 'secrets');
      mkdirSync(path.join(secretsDir, 'pagerduty'), { recursive: true });
      writeFileSync(path.join(secretsDir, 'pagerduty', 'routing-key'), ROUTING_KEY);

      // The warning receiver's URL is rendered into the config, so each scenario's stack names its own path.
      const warningProbeAt = Math.floor(Date.now() / 1000) + WARNING_PROBE_DELAY;
      const manifestsOf = new Map<string, Manifest[]>();
      for (const scenario of SCENARIOS) {
        const stack = userStack(scenario.output, `${receivers.url}/${scenario.name}`, secretsDir, warningProbeAt);
        stacks.set(scenario.output, stack);
        manifestsOf.set(scenario.name, synth(stack));
      }
      cases = new Map([...stacks].map(([output, stack]) => [output, firingCases(stack)]));

      const start = Date.now();
      const metrics = await listen((_req, _body, res) => {
        const step = Math.floor((Date.now() - start) / 1000);
        res.writeHead(200, { 'content-type': 'text/plain; version=0.0.4' }).end(exposition([...cases.values()].flat(), step));
      });
      servers.push(metrics.server);

      const alertmanagers = new Map<Scenario['output'], string[]>();
      for (const scenario of SCENARIOS) {
        const amDir = path.join(dir, `am-${scenario.name}`);
        mkdirSync(amDir);
        const config = clusterAlertmanagerConfig(scenario, manifestsOf.get(scenario.name)!, `${receivers.url}/${scenario.name}/pagerduty`);
        writeFileSync(path.join(amDir, 'alertmanager.yaml'), stringify(config));
        const port = await freePort();
        const am = spawn(alertmanagerCommand, [
          `--config.file=${path.join(amDir, 'alertmanager.yaml')}`, `--storage.path=${amDir}`,
          `--web.listen-address=127.0.0.1:${port}`, '--cluster.listen-address=',
        ], { stdio: 'ignore' });
        children.push(am);
        await waitReady(`http://127.0.0.1:${port}`, am, `alertmanager (${scenario.name})`);
        alertmanagers.set(scenario.output, [...(alertmanagers.get(scenario.output) ?? []), `127.0.0.1:${port}`]);
      }

      // One Prometheus per rule set: the AlertmanagerConfig stack's rules carry the routing labels, the Secret stack's do not.
      for (const [output, targets] of alertmanagers) {
        const promDir = path.join(dir, `prometheus-${output}`);
        mkdirSync(promDir);
        const scenario = SCENARIOS.find((s) => s.output === output)!;
        writeFileSync(path.join(promDir, 'rules.yaml'), prometheusRuleFile(manifestsOf.get(scenario.name)!));
        writeFileSync(path.join(promDir, 'prometheus.yml'), stringify({
          global: { scrape_interval: '1s', evaluation_interval: '1s' },
          rule_files: ['rules.yaml'],
          // honor_labels: the series keep their own instance/job labels, as the catalogue's tests write them.
          scrape_configs: [{ job_name: 'series', honor_labels: true, static_configs: [{ targets: [metrics.url.replace('http://', '')] }] }],
          alerting: { alertmanagers: [{ static_configs: [{ targets }] }] },
        }));
        const port = await freePort();
        const prometheus = spawn(prometheusCommand, [
          `--config.file=${path.join(promDir, 'prometheus.yml')}`, `--storage.tsdb.path=${path.join(promDir, 'data')}`,
          `--web.listen-address=127.0.0.1:${port}`,
          // An alert that fires at the first evaluation (absent(), vector(1)) can be evaluated before the notifier
          // has its Alertmanagers; it is sent again after this delay (1m by default). Alertmanager holds a sent
          // alert for 4 such delays, long enough for a machine under load.
          '--rules.alert.resend-delay=2s',
        ], { stdio: 'ignore' });
        children.push(prometheus);
        await waitReady(`http://127.0.0.1:${port}`, prometheus, `prometheus (${output})`);
      }

      // Until every critical alert has paged and every warning arrived in every scenario, and the warning
      // probe's group_wait is over, then a little more, so that a wrongly routed or uninhibited
      // notification would have arrived too.
      const deadline = Date.now() + 60_000;
      const complete = () => Date.now() / 1000 > warningProbeAt + 6 && SCENARIOS.every((scenario) => {
        const expected = cases.get(scenario.output)!;
        const got = received.get(scenario.name)!;
        const paged = new Set(got.pagerDuty.map((e) => e.payload.group));
        const warned = new Set(got.warning.flatMap((p) => p.alerts.map((a: any) => a.labels.alertname)));
        return expected.filter((c) => c.severity === AlertSeverity.CRITICAL).every((c) => paged.has(c.alertname))
          && expected.filter((c) => c.severity === AlertSeverity.WARNING && c.alertname !== INHIBITION_PROBE).every((c) => warned.has(c.alertname));
      });
      while (!complete() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 500));
      await new Promise((r) => setTimeout(r, 3_000));
    });

    afterAll(async () => {
      await Promise.all(children.map(stop));
      for (const server of servers) server.close();
      rmSync(dir, { recursive: true, force: true });
    });

    const bySeverity = (output: Scenario['output'], severity: string) => cases.get(output)!.filter((c) => c.severity === severity);

    test('the catalogue has alerts of every severity to send', () => {
      for (const output of ['AlertmanagerConfig', 'Secret'] as const) {
        expect(bySeverity(output, AlertSeverity.CRITICAL).length).toBeGreaterThanOrEqual(4);
        expect(bySeverity(output, AlertSeverity.WARNING).length).toBeGreaterThanOrEqual(5);
        expect(bySeverity(output, AlertSeverity.INFO).length).toBeGreaterThanOrEqual(2);
      }
    });

    describe.each(SCENARIOS)('$name', (scenario) => {
      const got = () => received.get(scenario.name)!;

      test('each critical alert produces one PagerDuty event: routing key, severity, summary, the workload\'s namespace as component, its own dedup key', () => {
        const criticals = bySeverity(scenario.output, AlertSeverity.CRITICAL);
        const events = got().pagerDuty;
        for (const c of criticals) {
          const mine = events.filter((e) => e.payload.group === c.alertname);
          expect({ alert: c.alertname, dedupKeys: new Set(mine.map((e) => e.dedup_key)).size }).toEqual({ alert: c.alertname, dedupKeys: 1 });
          expect(mine[0]).toMatchObject({
            routing_key: ROUTING_KEY,
            event_action: 'trigger',
            payload: {
              severity: 'critical',
              class: 'security',
              summary: `${c.alertname}: ${c.annotations.summary}`,
            },
          });
          // Alertmanager leaves an empty component out of the event.
          expect({ alert: c.alertname, component: mine[0].payload.component })
            .toEqual({ alert: c.alertname, component: c.labels.exported_namespace ?? c.labels.namespace });
        }
        expect(new Set(events.map((e) => e.dedup_key)).size).toBe(criticals.length);
        expect([...new Set(events.map((e) => e.payload.group))].sort()).toEqual(criticals.map((c) => c.alertname).sort());
      });

      test('each warning reaches the warning receiver, and only warnings do', () => {
        const alerts = got().warning.flatMap((p) => p.alerts);
        const warned = [...new Set(alerts.map((a: any) => a.labels.alertname))].sort();
        const expected = bySeverity(scenario.output, AlertSeverity.WARNING).map((c) => c.alertname).filter((a) => a !== INHIBITION_PROBE).sort();
        expect(warned).toEqual(expected);
        for (const alert of alerts) expect(alert.labels.severity).toBe(AlertSeverity.WARNING);
      });

      test('info alerts reach nobody', () => {
        const infos = bySeverity(scenario.output, AlertSeverity.INFO).map((c) => c.alertname);
        const warned = got().warning.flatMap((p) => p.alerts.map((a: any) => a.labels.alertname));
        const notified = [...got().pagerDuty.map((e) => e.payload.group), ...warned];
        expect(notified.filter((a) => infos.includes(a))).toEqual([]);
      });

      test('a critical alert inhibits the warning of the same name: it pages, the warning is never sent', () => {
        expect(got().pagerDuty.filter((e) => e.payload.group === INHIBITION_PROBE)).not.toHaveLength(0);
        expect(got().warning.flatMap((p) => p.alerts).filter((a: any) => a.labels.alertname === INHIBITION_PROBE)).toEqual([]);
      });
    });
  });
});
