/**
 * Escape hatches (issue #26): every construct the package exports exposes each
 * Kubernetes object it creates as a public `ApiObject` property, so a user can
 * set a field the props do not model with `ApiObject.addJsonPatch`; its
 * primary object has the id `Resource`, so `node.defaultChild` finds it; the
 * other children are named after their kind (`config-map`, `cluster-role-binding`).
 *
 * The constructs are read from the jsii assembly: a new construct whose
 * objects are not all exposed fails here.
 */
import { ApiObject, JsonPatch } from 'cdk8s';
import { Construct, IConstruct } from 'constructs';
import * as lib from '../src';
import { callEntryPoint, consume, freshChart, sampleArguments } from './security/entry-point-samples';
import { Manifest, synth } from './util';
import { entryPoints, jsiiAssembly, JsiiProperty, JsiiType } from './util/jsii-assembly';

const assembly = jsiiAssembly();
const API_OBJECT = 'cdk8s.ApiObject';

function extendsConstruct(type: JsiiType): boolean {
  for (let base = type.base; base !== undefined; base = assembly.types[base]?.base) {
    if (base === 'constructs.Construct') return true;
  }
  return false;
}

/** Every construct class the package exports. */
const CONSTRUCTS = Object.values(assembly.types).filter((t) => t.kind === 'class' && extendsConstruct(t)).map((t) => t.name).sort();

/**
 * The property holding each construct's primary object, the one `node.defaultChild`
 * finds (through a nested construct of the package, itself by its `defaultChild`).
 */
const PRIMARY: Record<string, string> = {
  AnomalyDetector: 'workload',
  ApiServerAudit: 'configMap',
  DaemonSetHealthCheck: 'check.healthCheck',
  FalcoDeployment: 'workload',
  FalcoTalon: 'workload',
  Falcosidekick: 'workload',
  FilebeatPipeline: 'workload',
  KubeBenchCronJob: 'workload',
  KuberhealthyCheck: 'healthCheck',
  PagerDutyAlerting: 'apiObject',
  SecurityAlerts: 'apiObject',
  SecurityKpiRules: 'rule.apiObject',
  SecurityPrometheusRule: 'apiObject',
  SiemPipeline: 'workload',
};

/** Constructs that create several objects of equal standing and no single primary one: no `defaultChild`. */
const NO_PRIMARY: Record<string, string> = {
  QuarantineNetworkPolicy: 'one NetworkPolicy per namespace, in `networkPolicies`',
  SecurityDashboard: 'one object per delivery (`configMap`, `grafanaDashboard`), each optional',
  SecurityMonitoringStack: 'composes components, each with its own primary object; its own objects are its `namespaces`',
};

/** Props beyond the walk's samples (test/security/entry-point-samples.ts) so that every optional object is created too. */
const VARIANTS: Record<string, Array<(chart: Construct) => IConstruct>> = {
  SiemPipeline: [(chart) => new lib.SiemPipeline(chart, 'subject', {
    destinations: [lib.SiemDestination.splunkHec({ host: 'splunk.example.com', tokenSecret: { secretName: 'splunk', key: 'token' } })],
    serviceMonitor: lib.PrometheusSelector.none(),
  })],
  KubeBenchCronJob: [(chart) => new lib.KubeBenchCronJob(chart, 'subject', { namespace: 'security-monitoring', targets: [lib.KubeBenchTarget.NODE] })],
  KuberhealthyCheck: [(chart) => new lib.KuberhealthyCheck(chart, 'subject', {
    name: 'scripted',
    namespace: 'security-monitoring',
    image: 'docker.io/library/busybox:1.36.1',
    scripts: { 'check.sh': 'exit 0' },
    api: lib.KuberhealthyApi.v2Legacy(),
  })],
  PagerDutyAlerting: [(chart) => new lib.PagerDutyAlerting(chart, 'subject', {
    pagerDuty: { routingKeySecret: { secretName: 'pagerduty', key: 'routing-key' } }, namespace: 'monitoring', output: lib.AlertingOutput.configSecret(),
  })],
  SecurityPrometheusRule: [(chart) => new lib.SecurityPrometheusRule(chart, 'subject', { ruleFileConfigMap: true })],
  SecurityDashboard: [(chart) => new lib.SecurityDashboard(chart, 'subject', {
    deliveries: [lib.DashboardDelivery.grafanaSidecar(), lib.DashboardDelivery.grafanaOperator({ instanceSelector: { dashboards: 'grafana' } })],
  })],
  QuarantineNetworkPolicy: [(chart) => new lib.QuarantineNetworkPolicy(chart, 'subject', { namespaces: ['apps', 'payments'] })],
  // A DaemonSet watched after construction brings the Role of its namespace.
  DaemonSetHealthCheck: [(chart) => {
    const check = new lib.DaemonSetHealthCheck(chart, 'subject', { namespace: 'security-monitoring', daemonSets: [{ namespace: 'falco', name: 'falco' }] });
    check.addDaemonSet({ namespace: 'security-logging', name: 'filebeat' });
    return check;
  }],
  // Every part: the stack's own objects and each component's, reached through the stack's properties.
  SecurityMonitoringStack: [(chart) => new lib.SecurityMonitoringStack(chart, 'subject', {
    siem: { destinations: [lib.SiemDestination.splunkHec({ host: 'splunk.example.com', tokenSecret: { secretName: 'splunk', key: 'token' } })] },
    alerting: { pagerDuty: { routingKeySecret: { secretName: 'pagerduty', key: 'routing-key' } } },
    anomalyDetection: {},
    response: {
      enabled: true,
      talon: { rules: [{ name: 'Label shells', match: { rules: ['Terminal shell in container'] }, actions: [{ name: 'label', actionner: lib.TalonActionner.label({ 'security.quarantine': 'true' }) }] }] },
    },
    compliance: { enabled: true },
  })],
};

/** The construct built from the walk's sample arguments (and used as the walk uses it), then each variant. */
function instances(name: string): IConstruct[] {
  const entry = entryPoints(assembly).find((e) => e.kind === 'constructor' && e.id === name)!;
  const fromSamples = () => {
    const chart = freshChart();
    const construct = callEntryPoint(entry, sampleArguments(assembly, entry, chart), chart) as IConstruct;
    // As the walk uses it: a FalcoTalon gets the rule it needs to synthesize.
    consume(construct, chart);
    return construct;
  };
  return [fromSamples(), ...(VARIANTS[name] ?? []).map((build) => build(freshChart()))];
}

/** Public properties of a class, its own and inherited ones. */
function publicProperties(type: JsiiType): JsiiProperty[] {
  const base = type.base ? assembly.types[type.base] : undefined;
  return [...(base ? publicProperties(base) : []), ...(type.properties ?? []).filter((p) => !p.static)];
}

/**
 * The objects a construct exposes, by property path: `ApiObject` properties,
 * arrays and maps of them, and the properties of the package's constructs it
 * nests (`check.healthCheck`).
 */
function exposedObjects(construct: IConstruct): Map<ApiObject, string> {
  const exposed = new Map<ApiObject, string>();
  const visit = (subject: IConstruct, prefix: string) => {
    const type = Object.values(assembly.types).find((t) => t.kind === 'class' && t.name === subject.constructor.name)!;
    for (const property of publicProperties(type)) {
      const value = (subject as any)[property.name];
      const path = `${prefix}${property.name}`;
      const elementType = property.type.collection?.elementtype.fqn ?? property.type.fqn;
      if (elementType === API_OBJECT) {
        const objects: Array<[string, ApiObject]> = value instanceof ApiObject ? [[path, value]]
          : Object.entries(value ?? {}).map(([key, object]) => [`${path}[${key}]`, object as ApiObject]);
        for (const [where, object] of objects) exposed.set(object, where);
      } else if (value instanceof Construct && CONSTRUCTS.includes(value.constructor.name) && value.node.scopes.includes(construct)) {
        visit(value, `${path}.`);
      }
    }
  };
  visit(construct, '');
  return exposed;
}

const apiObjectsUnder = (construct: IConstruct) => construct.node.findAll().filter((c): c is ApiObject => c instanceof ApiObject);
const describeObject = (o: ApiObject) => `${o.kind} "${o.name}" (${o.node.path})`;

/** Objects created under the construct that no public property exposes. */
function unexposed(construct: IConstruct): string[] {
  const exposed = exposedObjects(construct);
  return apiObjectsUnder(construct).filter((o) => !exposed.has(o)).map(describeObject);
}

const kebab = (kind: string) => kind.replace(/([a-z0-9])([A-Z])/g, '$1-$2').toLowerCase();

/** Where a pod template's tolerations are, by workload kind (Kuberhealthy's v3 HealthCheck and v2 KuberhealthyCheck too). */
const POD_SPEC: Record<string, string> = {
  DaemonSet: '/spec/template/spec',
  Deployment: '/spec/template/spec',
  CronJob: '/spec/jobTemplate/spec/template/spec',
  HealthCheck: '/spec/podSpec/spec',
  KuberhealthyCheck: '/spec/podSpec',
};
const ANNOTATION = 'escape-hatch.example.com/property';
const TOLERATION = { key: 'example.com/dedicated', operator: 'Exists', effect: 'NoSchedule' };

/** Adds, through `addJsonPatch`, an annotation naming the property (and a toleration to a workload's pods). */
function patch(object: ApiObject, property: string): void {
  const json = object.toJson();
  object.addJsonPatch(json.metadata?.annotations === undefined
    ? JsonPatch.add('/metadata/annotations', { [ANNOTATION]: property })
    : JsonPatch.add(`/metadata/annotations/${ANNOTATION.replace('/', '~1')}`, property));
  const podSpec = POD_SPEC[object.kind];
  if (podSpec) {
    const tolerations = podSpec.split('/').slice(1).reduce((at, key) => at?.[key], json)?.tolerations;
    object.addJsonPatch(tolerations === undefined ? JsonPatch.add(`${podSpec}/tolerations`, [TOLERATION]) : JsonPatch.add(`${podSpec}/tolerations/-`, TOLERATION));
  }
}

function manifestOf(manifests: Manifest[], object: ApiObject): Manifest {
  const found = manifests.filter((m) => m.kind === object.kind && m.apiVersion === object.apiVersion
    && m.metadata?.name === object.name && m.metadata?.namespace === object.metadata.namespace);
  expect(found).toHaveLength(1);
  return found[0];
}

test('the assembly has the constructs the test expects', () => {
  expect(CONSTRUCTS).toEqual(expect.arrayContaining(['SiemPipeline', 'Falcosidekick', 'KuberhealthyCheck', 'SecurityMonitoringStack']));
  expect(CONSTRUCTS.length).toBeGreaterThanOrEqual(17);
  expect([...Object.keys(PRIMARY), ...Object.keys(NO_PRIMARY)].sort()).toEqual(CONSTRUCTS);
});

describe.each(CONSTRUCTS)('%s', (name) => {
  test('every object it creates is a public ApiObject property', () => {
    for (const construct of instances(name)) {
      expect(apiObjectsUnder(construct).length).toBeGreaterThan(0);
      expect(unexposed(construct)).toEqual([]);
    }
  });

  test('a field added with addJsonPatch on each property reaches the synthesized manifest', () => {
    for (const construct of instances(name)) {
      const exposed = exposedObjects(construct);
      for (const [object, property] of exposed) patch(object, property);
      const manifests = synth(construct);
      for (const [object, property] of exposed) {
        const manifest = manifestOf(manifests, object);
        expect(manifest.metadata.annotations[ANNOTATION]).toBe(property);
        const podSpec = POD_SPEC[object.kind];
        if (podSpec) expect(podSpec.split('/').slice(1).reduce((at, key) => at[key], manifest).tolerations).toContainEqual(TOLERATION);
      }
    }
  });

  test('its primary object is node.defaultChild; the other children are named after their kind', () => {
    for (const construct of instances(name)) {
      let primary: IConstruct | undefined = construct.node.defaultChild;
      while (primary !== undefined && !(primary instanceof ApiObject)) primary = primary.node.defaultChild;
      const exposed = exposedObjects(construct);
      if (NO_PRIMARY[name]) {
        expect(primary).toBeUndefined();
      } else {
        expect(primary && exposed.get(primary)).toBe(PRIMARY[name]);
      }
      for (const object of apiObjectsUnder(construct).filter((o) => o !== primary && o.node.id !== 'Resource')) {
        expect(`${object.kind}: ${object.node.id}`).toMatch(new RegExp(`^${object.kind}: ([a-z0-9-]+-)?${kebab(object.kind)}$`));
      }
    }
  });
});
