import { Duration, Testing } from 'cdk8s';
import { grafanaDashboardProblems, panelQueries } from './grafana-json';
import { DashboardDelivery, PanelKind, PromQL, SecurityDashboard, SecurityDashboardProps, SecurityMonitoringStack, SiemDestination } from '../../src';
import { complianceKpiPanels } from '../../src/dashboards/compliance-kpis';
import { expectDeterministic, expectValidManifests, findObject, synth } from '../util';

function dashboardIn(props?: SecurityDashboardProps): SecurityDashboard {
  return new SecurityDashboard(Testing.chart(), 'dashboard', props);
}

const OPERATOR = DashboardDelivery.grafanaOperator({ instanceSelector: { dashboards: 'grafana' }, folder: 'Security', resyncPeriod: Duration.minutes(30) });

describe('the Kubernetes Security Overview dashboard', () => {
  const dashboard = dashboardIn();
  const json = dashboard.toJson();

  test('is a valid Grafana 10 dashboard: uid, schemaVersion, unique ids, grid, targets, datasource variable', () => {
    expect(grafanaDashboardProblems(json)).toEqual([]);
    expect(json).toMatchObject({ title: 'Kubernetes Security Overview', uid: 'k8s-security-overview', schemaVersion: 39 });
  });

  test('every panel query is valid PromQL once Grafana substitutes its interval variables (synth leaves this check to the tests)', () => {
    const custom = dashboardIn({ falcoNamespace: 'runtime-security-0', logShippingNamespace: 'logs' }).toJson();
    const queries = [...panelQueries(json), ...panelQueries(custom)];
    expect(queries.length).toBeGreaterThanOrEqual(30);
    for (const { title, expr } of queries) expect(() => PromQL.validate(expr, title)).not.toThrow();
  });

  test('covers the security signals on real metrics', () => {
    const exprs = panelQueries(json).map((q) => q.expr).join('\n');
    for (const metric of [
      'authentication_attempts{result="failure"}', 'apiserver_request_total{code=~"401|403"}', 'falcosecurity_falco_rules_matches_total',
      'ALERTS{alertstate="firing"}', 'fluentbit_input_records_total', 'fluentbit_output_proc_records_total',
      'container_cpu_usage_seconds_total', 'container_memory_working_set_bytes', 'falcosecurity_scap_n_drops_total',
    ]) expect(exprs).toContain(metric);
  });

  test('names Falco priorities, which the metrics carry as numbers 0 (EMERGENCY) to 7 (DEBUG)', () => {
    const byPriority = json.panels.find((p: any) => p.title === 'Falco events by priority');
    expect(byPriority.targets.map((t: any) => [t.legendFormat, t.expr.match(/priority="(\d)"/)[1]])).toEqual([
      ['EMERGENCY', '0'], ['ALERT', '1'], ['CRITICAL', '2'], ['ERROR', '3'], ['WARNING', '4'], ['NOTICE', '5'], ['INFORMATIONAL', '6'], ['DEBUG', '7'],
    ]);
    const critical = json.panels.find((p: any) => p.title === 'Falco critical or worse events');
    expect(critical.targets[0].expr).toContain('priority=~"0|1|2"');
  });

  test('the overhead panels select the agents in the given namespaces', () => {
    const custom = dashboardIn({ falcoNamespace: 'runtime', logShippingNamespace: 'logs' }).toJson();
    const cpu = custom.panels.find((p: any) => p.title === 'CPU of the security agents');
    expect(cpu.targets[0].expr).toContain('namespace=~"runtime|logs", container=~"falco|fluent-bit|filebeat"');
  });

  test('is delivered by default as one ConfigMap for the Grafana sidecar', () => {
    const manifests = synth(dashboard);
    expect(manifests.map((m) => m.kind)).toEqual(['ConfigMap']);
    const configMap = manifests[0];
    expect(configMap.metadata).toEqual({
      name: 'security-overview-dashboard', namespace: 'security-monitoring', labels: { grafana_dashboard: '1' },
    });
    expect(JSON.parse(configMap.data['k8s-security-overview.json'])).toEqual(json);
    expectValidManifests(manifests);
  });

  test('matches the snapshot', () => {
    expect(synth(dashboard)).toMatchSnapshot();
  });
});

describe('custom panels', () => {
  test('keep the queries that were validated: a later change to the caller\'s objects does not reach the dashboard', () => {
    const dashboard = dashboardIn({ overviewPanels: false });
    const query = { expr: 'sum(rate(apiserver_request_total{code="403"}[5m]))' };
    const queries = [query];
    dashboard.addPanel({ title: 'Denied', queries });
    query.expr = 'not ( valid promql';
    queries.push({ expr: 'up' });
    expect(panelQueries(dashboard.toJson()).map((q) => q.expr)).toEqual(['sum(rate(apiserver_request_total{code="403"}[5m]))']);
  });

  test('are laid out after the others, left to right, with typed kinds', () => {
    const dashboard = dashboardIn({ overviewPanels: false });
    dashboard.addRow('Mine');
    dashboard.addPanel({ title: 'Denied', width: 16, queries: [{ expr: 'sum(rate(apiserver_request_total{code="403"}[$__rate_interval]))' }] });
    dashboard.addPanel({ title: 'Top users', kind: PanelKind.TABLE, width: 16, unit: 'reqps', queries: [{ expr: 'topk(5, sum by (user) (rate(apiserver_request_total[${__range}])))' }] });
    const json = dashboard.toJson();
    expect(grafanaDashboardProblems(json)).toEqual([]);
    expect(json.panels.map((p: any) => [p.id, p.type, p.gridPos])).toEqual([
      [1, 'row', { h: 1, w: 24, x: 0, y: 0 }],
      [2, 'timeseries', { h: 8, w: 16, x: 0, y: 1 }],
      [3, 'table', { h: 8, w: 16, x: 0, y: 9 }],
    ]);
    expect(json.panels[2].targets[0]).toMatchObject({ refId: 'A', instant: true, range: false, format: 'table' });
    expect(json.panels[2].fieldConfig.defaults.unit).toBe('reqps');
  });

  test('the compliance KPI panels, waiting for their recording rules, are valid panels', () => {
    const dashboard = dashboardIn();
    complianceKpiPanels().forEach((panel) => dashboard.addPanel(panel));
    expect(grafanaDashboardProblems(dashboard.toJson())).toEqual([]);
  });

  test('a panel added after construction reaches the delivered JSON', () => {
    const dashboard = dashboardIn();
    dashboard.addPanel({ title: 'Late', queries: [{ expr: 'up' }] });
    const data = findObject(synth(dashboard), 'ConfigMap').data['k8s-security-overview.json'];
    expect(JSON.parse(data).panels.at(-1).title).toBe('Late');
  });

  test('an invalid query is rejected with the PromQL error, naming the panel and query', () => {
    const dashboard = dashboardIn({ overviewPanels: false });
    expect(() => dashboard.addPanel({ title: 'Broken', queries: [{ expr: 'up' }, { expr: 'rate(up[$__rate_interval])' }, { expr: 'sum(rate(up[5m]) by' }] }))
      .toThrow('test/dashboard panel "Broken" query C: unexpected "by" at column 18 (got "sum(rate(up[5m]) by"): '
        + 'fix the syntax at the marked position');
  });

  test('a query using a variable the dashboard does not define is rejected', () => {
    const dashboard = dashboardIn({ overviewPanels: false });
    expect(() => dashboard.addPanel({ title: 'Per namespace', queries: [{ expr: 'sum(up{namespace="$namespace"})' }] }))
      .toThrow('test/dashboard panel "Per namespace" query A: query uses the Grafana variable "$namespace" which the dashboard does not define '
        + '(got "sum(up{namespace=\\"$namespace\\"})"): use one of $__rate_interval, $__interval, $__range or a literal value');
  });
});

describe('delivery', () => {
  test('sidecar options: label, value and folder annotation', () => {
    const dashboard = dashboardIn({
      deliveries: [DashboardDelivery.grafanaSidecar({ label: 'dashboards', labelValue: 'security', folder: 'Security', folderAnnotation: 'grafana_folder' })],
      labels: { team: 'sec' },
    });
    const configMap = findObject(synth(dashboard), 'ConfigMap');
    expect(configMap.metadata.labels).toEqual({ team: 'sec', dashboards: 'security' });
    expect(configMap.metadata.annotations).toEqual({ grafana_folder: 'Security' });
    expect(findObject(synth(dashboardIn({ deliveries: [DashboardDelivery.grafanaSidecar({ folder: 'Security' })] })), 'ConfigMap')
      .metadata.annotations).toEqual({ 'k8s-sidecar-target-directory': 'Security' });
  });

  test('grafana-operator: a GrafanaDashboard with the instance selector, and both at once', () => {
    const dashboard = dashboardIn({ deliveries: [DashboardDelivery.grafanaSidecar(), OPERATOR] });
    const manifests = synth(dashboard);
    expectValidManifests(manifests);
    const operator = findObject(manifests, 'GrafanaDashboard', 'security-overview-dashboard');
    expect(operator.apiVersion).toBe('grafana.integreatly.org/v1beta1');
    expect(operator.spec).toEqual({
      instanceSelector: { matchLabels: { dashboards: 'grafana' } },
      folder: 'Security',
      resyncPeriod: '30m',
      json: dashboard.toJsonString(),
    });
    expect(findObject(manifests, 'ConfigMap').data['k8s-security-overview.json']).toBe(dashboard.toJsonString());
  });

  test('is byte-identical across synths', () => {
    expectDeterministic(() => dashboardIn({ deliveries: [DashboardDelivery.grafanaSidecar({ folder: 'Security' }), OPERATOR] }));
  });

  test('refuses an object that client-side kubectl apply could not annotate', () => {
    const dashboard = dashboardIn({ deliveries: [OPERATOR] });
    dashboard.addPanel({ title: 'Huge', description: 'x'.repeat(250_000), queries: [{ expr: 'up' }] });
    expect(() => synth(dashboard)).toThrow(/test\/dashboard\/grafana-dashboard: GrafanaDashboard is too large for client-side kubectl apply \(got "\d+ bytes"\): its last-applied-configuration annotation must stay within 262144 bytes: split the panels over several SecurityDashboards \(one dashboard per object\), or apply with "kubectl apply --server-side"/);
  });

  test('the overview dashboard is far below the limit', () => {
    const configMap = findObject(synth(dashboardIn()), 'ConfigMap');
    expect(JSON.stringify(configMap).length).toBeLessThan(262_144 / 4);
  });
});

test('refresh and resyncPeriod are written as Grafana and the operator read them', () => {
  const dashboard = dashboardIn({
    refresh: Duration.minutes(90),
    deliveries: [DashboardDelivery.grafanaOperator({ instanceSelector: { dashboards: 'grafana' }, resyncPeriod: Duration.days(1) })],
  });
  // Grafana reads one number and one unit (1h30m would be an hour); the operator's CRD a Go duration (no "d").
  expect(JSON.parse(dashboard.toJsonString()).refresh).toBe('90m');
  expect(findObject(synth(dashboard), 'GrafanaDashboard').spec.resyncPeriod).toBe('24h');
});

describe('bad input is rejected with the standard error', () => {
  const cases: Array<[string, () => unknown, string]> = [
    ['uid longer than 40', () => dashboardIn({ uid: 'a'.repeat(41) }),
      `test/dashboard: uid is not valid (got "${'a'.repeat(41)}"): use 1-40 letters, digits, '-' or '_'`],
    ['refresh as a string', () => dashboardIn({ refresh: '1m' as any }),
      'test/dashboard: refresh is not a Duration (got "1m"): pass a cdk8s Duration: Duration.minutes(1)'],
    // Grafana's refresh picker counts whole seconds.
    ['refresh of a second and a half', () => dashboardIn({ refresh: Duration.millis(1500) }),
      'test/dashboard: refresh is not a whole number of seconds above zero (got "1500ms"): use e.g. Duration.seconds(30)'],
    ['refresh of zero', () => dashboardIn({ refresh: Duration.seconds(0) }),
      'test/dashboard: refresh is not a whole number of seconds above zero (got "0ms")'],
    ['panel wider than the grid', () => dashboardIn().addPanel({ title: 'Wide', width: 25, queries: [{ expr: 'up' }] }),
      'test/dashboard panel "Wide": width is not a whole number of grid cells from 1 to 24 (got 25): use an integer from 1 to 24 (the dashboard is 24 columns wide)'],
    ['no queries', () => dashboardIn().addPanel({ title: 'Empty', queries: [] }),
      'test/dashboard panel "Empty": a panel needs 1 to 26 queries (got 0): pass queries: [{ expr: "..." }], splitting larger sets over several panels'],
    ['duplicate title', () => dashboardIn().addPanel({ title: 'Alerts firing by severity', queries: [{ expr: 'up' }] }),
      'test/dashboard: a panel with this title already exists (got "Alerts firing by severity"): give each panel its own title'],
    ['bad unit', () => dashboardIn().addPanel({ title: 'U', unit: 'req/s ', queries: [{ expr: 'up' }] }),
      'test/dashboard panel "U": unit is not a Grafana unit id (got "req/s "): use a unit id such as "short", "reqps", "bytes" or "percentunit"'],
    ['two sidecar deliveries', () => dashboardIn({ deliveries: [DashboardDelivery.grafanaSidecar(), DashboardDelivery.grafanaSidecar()] }),
      'test/dashboard: deliveries has grafanaSidecar twice (got ["grafanaSidecar","grafanaSidecar"]): pass at most one grafanaSidecar() and one grafanaOperator(); '
      + 'for a second copy create a second SecurityDashboard'],
    ['no delivery', () => dashboardIn({ deliveries: [] }),
      'test/dashboard: deliveries is empty (got []): pass at most one grafanaSidecar() and one grafanaOperator(); for a second copy create a second SecurityDashboard'],
    ['empty instance selector', () => dashboardIn({ deliveries: [DashboardDelivery.grafanaOperator({ instanceSelector: {} })] }),
      'test/dashboard grafanaOperator: instanceSelector is empty (got {}): pass the labels of your Grafana resource, e.g. { dashboards: "grafana" }, '
      + 'so only those instances import the dashboard'],
    ['folder with a path', () => dashboardIn({ deliveries: [DashboardDelivery.grafanaSidecar({ folder: '../etc' })] }),
      'test/dashboard grafanaSidecar: folder is not a valid folder name (got "../etc"): '
      + "use 1-63 letters, digits, spaces, '_', '.' or '-', starting with a letter or digit (no '/')"],
    ['resync period as a string', () => dashboardIn({ deliveries: [DashboardDelivery.grafanaOperator({ instanceSelector: { a: 'b' }, resyncPeriod: '1d' as any })] }),
      'test/dashboard grafanaOperator: resyncPeriod is not a Duration (got "1d"): pass a cdk8s Duration: Duration.days(1)'],
    ['object name', () => dashboardIn({ name: 'Security_Overview' }),
      'test/dashboard: name is not a valid DNS-1123 subdomain (got "Security_Overview")'],
  ];
  test.each(cases)('%s', (_, act, message) => {
    expect(act).toThrow(message);
  });
});

describe('in a SecurityMonitoringStack', () => {
  test('on by default, in the stack namespace with the stack labels, wired to the agents\' namespaces', () => {
    const stack = new SecurityMonitoringStack(Testing.chart(), 'stack', {
      siem: { namespace: 'logs', destinations: [SiemDestination.http({ host: 'siem.example.com' })] }, falcoNamespace: 'runtime',
    });
    const configMap = findObject(synth(stack), 'ConfigMap', 'security-monitoring-security-overview');
    expect(configMap.metadata.namespace).toBe('security-monitoring');
    expect(configMap.metadata.labels).toMatchObject({ 'app.kubernetes.io/component': 'dashboard', 'grafana_dashboard': '1' });
    expect(configMap.data['k8s-security-overview.json']).toContain('namespace=~\\"runtime|logs\\"');
    expect(stack.dashboard!.namespace).toBe('security-monitoring');
  });

  test('options reach the dashboard; enabled: false renders none', () => {
    const stack = new SecurityMonitoringStack(Testing.chart(), 'stack', { dashboard: { uid: 'sec', deliveries: [OPERATOR] } });
    expect(findObject(synth(stack), 'GrafanaDashboard').spec.json).toContain('"uid": "sec"');
    const disabled = new SecurityMonitoringStack(Testing.chart(), 'stack', { dashboard: { enabled: false } });
    expect(disabled.dashboard).toBeUndefined();
    expect(synth(disabled).filter((m) => m.metadata.labels['app.kubernetes.io/component'] === 'dashboard')).toEqual([]);
  });
});
