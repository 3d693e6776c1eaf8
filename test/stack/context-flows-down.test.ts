/**
 * Components never reach up to the stack: the stack passes namespace, labels,
 * placement and cluster identity to them through their props, so a component
 * behaves the same inside and outside a stack, and one built by hand gets the
 * stack's wiring from the same props.
 */
import * as fs from 'fs';
import * as path from 'path';
import { ApiObject, Chart, Testing } from 'cdk8s';
import { Construct } from 'constructs';
import {
  AuditPolicy, FilebeatPipeline, PagerDutyAlerting, PagerDutyAlertingProps, SecurityMonitoringStack, SiemDestination, SiemPipeline, SiemPipelineProps,
  SiemSource,
} from '../../src';

const SRC = path.join(__dirname, '..', '..', 'src');
const CLUSTER = { name: 'prod-eu-1', labels: { environment: 'prod' } };
const splunk = () => SiemDestination.splunkHec({ host: 'splunk.example.com', tokenSecret: { secretName: 'splunk', key: 'token' } });
const pagerDuty = { routingKeySecret: { secretName: 'pagerduty', key: 'routing-key' } };

/** The Kubernetes objects a construct created, as cdk8s renders them. */
function objectsOf(construct: Construct): unknown[] {
  return construct.node.findAll().filter((c): c is ApiObject => c instanceof ApiObject).map((o) => o.toJson());
}

/** A stack with nothing of its own that could be mistaken for the component under test. */
function bareStack(chart: Chart): SecurityMonitoringStack {
  return new SecurityMonitoringStack(chart, 'stack', {
    cluster: CLUSTER,
    falco: { enabled: false },
    auditPolicy: { policy: AuditPolicy.production(), maxEventBytes: 262144 },
    alerts: { enabled: false },
    dashboard: { enabled: false },
  });
}

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(full);
    return entry.name.endsWith('.ts') ? [full] : [];
  });
}

/** Relative module specifiers a file imports (also `import type` and re-exports). */
function importsOf(file: string): string[] {
  const text = fs.readFileSync(file, 'utf8');
  return [...text.matchAll(/^(?:import|export)\b[^;]*?\bfrom\s+'(\.[^']+)'/gms)].map((m) => path.resolve(path.dirname(file), m[1]));
}

describe('no component imports the stack', () => {
  test('only src/index.ts imports from src/stack/ (the fleet, which composes whole stacks, lives in src/stack/fleet)', () => {
    const stackDir = path.join(SRC, 'stack');
    const offenders = sourceFiles(SRC)
      .filter((file) => !file.startsWith(stackDir + path.sep) && file !== path.join(SRC, 'index.ts'))
      .flatMap((file) => importsOf(file).filter((target) => target === stackDir || target.startsWith(stackDir + path.sep))
        .map((target) => `${path.relative(SRC, file)} -> ${path.relative(SRC, target)}`));
    expect(offenders).toEqual([]);
  });

  test('the scan sees imports: the stack\'s imports of the components, the fleet\'s of the stack', () => {
    const stackImports = importsOf(path.join(SRC, 'stack', 'security-monitoring-stack.ts'));
    expect(stackImports.some((p) => p.startsWith(path.join(SRC, 'siem')))).toBe(true);
    expect(stackImports.some((p) => p.startsWith(path.join(SRC, 'alerting')))).toBe(true);
    expect(importsOf(path.join(SRC, 'stack', 'fleet', 'security-monitoring-fleet.ts'))).toContain(path.join(SRC, 'stack', 'security-monitoring-stack'));
  });
});

describe('SiemPipeline', () => {
  const props: SiemPipelineProps = {
    destinations: [splunk()],
    sources: [SiemSource.containerLogs(), SiemSource.auditLog(), SiemSource.falcoEvents()],
  };

  test('inside a stack it renders exactly what it renders outside one', () => {
    const outside = new SiemPipeline(Testing.chart(), 'siem', props);
    const inside = new SiemPipeline(bareStack(Testing.chart()), 'siem', props);
    expect(inside.config).toEqual(outside.config);
    expect(objectsOf(inside)).toEqual(objectsOf(outside));
    // None of the stack's context leaked in: no cluster field, no stack labels, the pipeline's own ClusterRole name.
    expect(inside.config).not.toContain('prod-eu-1');
    expect(JSON.stringify(objectsOf(inside))).not.toContain('app.kubernetes.io/part-of');
  });

  test('built by hand with the props a stack passes, it renders what the stack\'s own pipeline renders', () => {
    const stack = new SecurityMonitoringStack(Testing.chart(), 'stack', {
      cluster: CLUSTER,
      auditPolicy: { maxEventBytes: 262144 },
      falcoNamespace: 'runtime-security',
      siem: { destinations: [splunk()], sources: [SiemSource.auditLog(), SiemSource.falcoEvents()] },
    });
    const byHand = new SiemPipeline(Testing.chart(), 'siem', {
      destinations: [splunk()],
      sources: [SiemSource.auditLog(), SiemSource.falcoEvents()],
      serviceMonitor: stack.prometheus.selector,
      labels: stack.labelsFor('siem'),
      clusterRoleName: stack.clusterScopedName('fluent-bit'),
      falcoNamespace: stack.falcoNamespace,
      auditMaxEventBytes: stack.auditPolicy!.maxEventBytes,
      cluster: CLUSTER,
    });
    expect(byHand.config).toEqual(stack.siem!.config);
    expect(objectsOf(byHand)).toEqual(objectsOf(stack.siem!));
    // The wiring is really there: Falco's namespace, the audit event size, the cluster, the stack's names.
    expect(byHand.config).toContain('/var/log/containers/*_runtime-security_');
    expect(byHand.config).toMatch(/alias: security_audit[\s\S]*buffer_max_size: 26214\d\n/); // not the 1 MiB default
    expect(byHand.config).toContain('prod-eu-1');
    expect(JSON.stringify(objectsOf(byHand))).toContain('"name":"security-monitoring-fluent-bit"');
    expect(stack.podSecurityLevelOf(stack.siem!.namespace)).toBe('privileged');
  });

  test('an audit source smaller than the given audit event size is refused, as inside a stack', () => {
    expect(() => new SiemPipeline(Testing.chart(), 'siem', {
      destinations: [splunk()], sources: [SiemSource.auditLog({ maxEventBytes: 65536 })], auditMaxEventBytes: 262144,
    })).toThrow(/auditLog maxEventBytes is smaller than the audit policy's maxEventBytes \(262144\)/);
  });
});

describe('FilebeatPipeline', () => {
  test('inside a stack it renders exactly what it renders outside one', () => {
    const props = { elasticsearch: { host: 'elasticsearch.example.com' } };
    const outside = new FilebeatPipeline(Testing.chart(), 'filebeat', props);
    const inside = new FilebeatPipeline(bareStack(Testing.chart()), 'filebeat', props);
    expect(inside.config).toEqual(outside.config);
    expect(objectsOf(inside)).toEqual(objectsOf(outside));
  });

  test('takes the same context props as SiemPipeline', () => {
    const filebeat = new FilebeatPipeline(Testing.chart(), 'filebeat', {
      elasticsearch: { host: 'elasticsearch.example.com' },
      labels: { team: 'security' },
      clusterRoleName: 'prod-filebeat',
      cluster: CLUSTER,
    });
    const objects = objectsOf(filebeat) as Array<{ kind: string; metadata: { name: string; labels: Record<string, string> } }>;
    expect(objects.find((o) => o.kind === 'ClusterRole')!.metadata.name).toBe('prod-filebeat');
    expect(objects.every((o) => o.metadata.labels.team === 'security' && o.metadata.labels['app.kubernetes.io/component'] === 'siem')).toBe(true);
    expect(filebeat.config).toContain('prod-eu-1');
  });
});

describe('PagerDutyAlerting', () => {
  const props: PagerDutyAlertingProps = { pagerDuty, namespace: 'monitoring' };

  test('inside a stack it renders exactly what it renders outside one', () => {
    const outside = new PagerDutyAlerting(Testing.chart(), 'alerting', props);
    const inside = new PagerDutyAlerting(bareStack(Testing.chart()), 'alerting', props);
    expect(objectsOf(inside)).toEqual(objectsOf(outside));
  });

  test('needs a namespace wherever it is: it does not borrow the enclosing stack\'s', () => {
    expect(() => new PagerDutyAlerting(Testing.chart(), 'alerting', { pagerDuty })).toThrow(/alerting: namespace is missing/);
    expect(() => new PagerDutyAlerting(bareStack(Testing.chart()), 'alerting', { pagerDuty })).toThrow(/alerting: namespace is missing/);
  });

  test('built by hand with the props a stack passes, it renders what the stack\'s own alerting renders', () => {
    const stack = new SecurityMonitoringStack(Testing.chart(), 'stack', { cluster: CLUSTER, alerting: { pagerDuty } });
    const byHand = new PagerDutyAlerting(Testing.chart(), 'alerting', {
      pagerDuty, namespace: stack.namespace, labels: stack.labelsFor('alerting'), identityLabels: Object.keys(stack.clusterLabels),
    });
    expect(objectsOf(byHand)).toEqual(objectsOf(stack.alerting!));
    expect(JSON.stringify(objectsOf(byHand))).toContain('"app.kubernetes.io/component":"alerting"');
  });
});
