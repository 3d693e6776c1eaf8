import { ApiObject, Duration, Lazy } from 'cdk8s';
import { Construct } from 'constructs';
import { guardApplySize } from './apply-size';
import { DashboardDelivery } from './dashboard-delivery';
import { DashboardItem, DashboardSettings, renderDashboard } from './dashboard-json';
import { addOverviewPanels } from './overview-panels';
import { DashboardPanelProps } from './panel';
import { PanelSpec, resolvePanel } from './panel-spec';
import { constructScope, optionalArgument, requiredArgument } from '../common/arguments';
import { singleUnitDuration } from '../common/duration';
import { describeLocation, validateDnsLabel, validateDnsSubdomain, validateLabels, validatePrometheusLabelName, validationError } from '../common/validation';

/** Grafana's dashboard uid: at most 40 letters, digits, '-' or '_'. */
const UID = /^[A-Za-z0-9_-]{1,40}$/;
/** Relative start of the time range, e.g. `now-6h`. */
const TIME_FROM = /^now-\d+[smhdwMy]$/;

/** Options of a `SecurityDashboard` that do not depend on where it is installed. */
export interface SecurityDashboardOptions {
  /**
   * Dashboard title.
   * @default 'Kubernetes Security Overview'
   */
  readonly title?: string;

  /**
   * Dashboard uid, the stable part of its URL: at most 40 letters, digits, '-' or '_'.
   * @default 'k8s-security-overview'
   */
  readonly uid?: string;

  /**
   * Name of the delivered objects (ConfigMap, GrafanaDashboard).
   * @default 'security-overview-dashboard'
   */
  readonly name?: string;

  /**
   * How the dashboard reaches Grafana: one object per delivery.
   * @default [DashboardDelivery.grafanaSidecar()]
   */
  readonly deliveries?: DashboardDelivery[];

  /**
   * Include the overview panels (authentication, Falco, alerts, log shipping,
   * the stack's own overhead). Turn off to build a dashboard of your own panels.
   * @default true
   */
  readonly overviewPanels?: boolean;

  /**
   * Dashboard tags, for Grafana's search.
   * @default ['security', 'kubernetes']
   */
  readonly tags?: string[];

  /**
   * Auto-refresh interval, in whole seconds, written in one unit as Grafana
   * reads it (`Duration.minutes(90)` is `90m`).
   * @default Duration.minutes(1)
   */
  readonly refresh?: Duration;

  /**
   * Start of the default time range, e.g. `now-24h`.
   * @default 'now-6h'
   */
  readonly timeFrom?: string;
}

/** Properties of a `SecurityDashboard`. */
export interface SecurityDashboardProps extends SecurityDashboardOptions {
  /**
   * Namespace of the delivered objects.
   * @default 'security-monitoring'
   */
  readonly namespace?: string;

  /**
   * Labels of the delivered objects.
   * @default - none
   */
  readonly labels?: { [key: string]: string };

  /**
   * Namespace Falco runs in; the overhead panels select its containers' CPU and memory.
   * @default 'falco'
   */
  readonly falcoNamespace?: string;

  /**
   * Namespace the log shipping agent (Fluent Bit) runs in, for the overhead panels.
   * @default 'security-logging'
   */
  readonly logShippingNamespace?: string;

  /**
   * The label that names the cluster (`cluster` in this library): the
   * dashboard gets a "Cluster" variable of its values and every overview
   * query filters on it; your panels may use `$<label>` too. A
   * `SecurityMonitoringStack` with a `cluster` sets it.
   * @default - no cluster variable
   */
  readonly clusterLabel?: string;
}

/**
 * A Grafana dashboard of the cluster's security signals, delivered as a
 * ConfigMap for the Grafana sidecar and/or a grafana-operator
 * `GrafanaDashboard`. Every query you add is validated as PromQL when it is added.
 *
 * @example
 * const dashboard = new SecurityDashboard(chart, 'dashboard');
 * dashboard.addPanel({ title: 'Denied requests', queries: [{ expr: 'sum(rate(apiserver_request_total{code="403"}[$__rate_interval]))' }] });
 */
export class SecurityDashboard extends Construct {
  /** Dashboard uid. */
  public readonly uid: string;

  /** Dashboard title. */
  public readonly title: string;

  /** Name of the delivered objects. */
  public readonly name: string;

  /** Namespace of the delivered objects. */
  public readonly namespace: string;

  /**
   * The ConfigMap the Grafana sidecar loads: an escape hatch for a field the
   * props do not model, e.g. `dashboard.configMap.addJsonPatch(JsonPatch.add('/metadata/annotations/owner', 'security'))`.
   * @default - none, without a `DashboardDelivery.grafanaSidecar()` delivery
   */
  public readonly configMap?: ApiObject;

  /**
   * The grafana-operator `GrafanaDashboard`.
   * @default - none, without a `DashboardDelivery.grafanaOperator()` delivery
   */
  public readonly grafanaDashboard?: ApiObject;

  private readonly items: DashboardItem[] = [];
  private jsonCache?: { readonly itemCount: number; readonly text: string };
  private readonly settings: Omit<DashboardSettings, 'uid' | 'title'>;
  /** The dashboard's own variables that a query may use (label values). */
  private readonly labelVariables: string[];

  constructor(scope: Construct, id: string, props: SecurityDashboardProps = {}) {
    super(constructScope('SecurityDashboard', scope, id), id);
    props = optionalArgument(this, 'props', props) ?? {};
    this.title = validateTitle(this, props.title ?? 'Kubernetes Security Overview');
    this.uid = validatePattern(this, 'uid', props.uid ?? 'k8s-security-overview', UID, "use 1-40 letters, digits, '-' or '_'");
    this.name = validateDnsSubdomain(this, 'name', props.name ?? 'security-overview-dashboard');
    this.namespace = validateDnsLabel(this, 'namespace', props.namespace ?? 'security-monitoring');
    const labels = validateLabels(this, 'labels', props.labels ?? {});
    this.settings = {
      description: 'Authentication failures, Falco detections, firing alerts, log shipping and the cost of the monitoring stack itself.',
      tags: props.tags ?? ['security', 'kubernetes'],
      refresh: singleUnitDuration(this, 'refresh', props.refresh ?? Duration.minutes(1), 'Duration.seconds(30)'),
      timeFrom: validatePattern(this, 'timeFrom', props.timeFrom ?? 'now-6h', TIME_FROM, 'use "now-" and a duration, e.g. "now-6h" or "now-7d"'),
      clusterLabel: props.clusterLabel === undefined ? undefined : validatePrometheusLabelName(this, 'clusterLabel', props.clusterLabel),
    };
    this.labelVariables = this.settings.clusterLabel === undefined ? [] : [this.settings.clusterLabel];

    const deliveries = props.deliveries ?? [DashboardDelivery.grafanaSidecar()];
    const kinds = deliveries.map((d) => d.kind);
    const duplicate = kinds.find((kind, i) => kinds.indexOf(kind) !== i);
    if (deliveries.length === 0 || duplicate) {
      throw validationError(this, deliveries.length === 0 ? 'deliveries is empty' : `deliveries has ${duplicate} twice`, kinds,
        'pass at most one grafanaSidecar() and one grafanaOperator(); for a second copy create a second SecurityDashboard');
    }
    // Rendered at synthesis time, so panels added after construction are part of the JSON.
    const json: string = Lazy.any({ produce: () => this.toJsonString() });
    for (const delivery of deliveries) {
      const object = delivery._render(this, { name: this.name, namespace: this.namespace, labels, uid: this.uid, json });
      guardApplySize(object);
      if (object.kind === 'ConfigMap') this.configMap = object;
      else this.grafanaDashboard = object;
    }

    if (props.overviewPanels ?? true) {
      // The overview's queries are fixed text but for the namespaces, DNS labels inside label
      // matchers; the test suite checks them as PromQL, so synth does not parse them again.
      addOverviewPanels({
        addRow: (title) => this.addRow(title),
        addPanel: (panel) => this.addSpec(resolvePanel(describeLocation(this), panel, false)),
      }, {
        falcoNamespace: validateDnsLabel(this, 'falcoNamespace', props.falcoNamespace ?? 'falco'),
        logShippingNamespace: validateDnsLabel(this, 'logShippingNamespace', props.logShippingNamespace ?? 'security-logging'),
        clusterLabel: this.settings.clusterLabel,
      });
    }
  }

  /**
   * Adds a panel after the existing ones (left to right, wrapping at 24 columns).
   * @throws ValidationError if a query is not valid PromQL, the title is taken, or the size does not fit the grid
   */
  public addPanel(panel: DashboardPanelProps): void {
    panel = requiredArgument(this, 'panel', panel, '{ title, queries: [{ expr }] }');
    this.addSpec(resolvePanel(describeLocation(this), panel, true, this.labelVariables));
  }

  /** Starts a new row: a full-width header above the panels added next. */
  public addRow(title: string): void {
    title = requiredArgument(this, 'title', title, 'the row title, e.g. "Falco"');
    this.items.push({ row: validateTitle(this, title) });
  }

  private addSpec(spec: PanelSpec): void {
    if (this.items.some((item) => item.panel?.title === spec.title)) {
      throw validationError(this, 'a panel with this title already exists', spec.title, 'give each panel its own title');
    }
    this.items.push({ panel: spec });
  }

  /** The dashboard JSON model, as Grafana imports it. */
  public toJson(): any {
    return renderDashboard({ uid: this.uid, title: this.title, ...this.settings }, this.items);
  }

  /** The dashboard JSON as the delivered objects carry it. */
  public toJsonString(): string {
    // Items are only ever appended, so their count identifies the content; each
    // delivery's object and its size check render the JSON during one synth.
    if (this.jsonCache?.itemCount !== this.items.length) {
      this.jsonCache = { itemCount: this.items.length, text: JSON.stringify(this.toJson(), undefined, 2) };
    }
    return this.jsonCache.text;
  }
}

function validateTitle(where: Construct, title: unknown): string {
  if (typeof title !== 'string' || title.trim() === '') {
    throw validationError(where, 'title is empty', title, 'pass a title that says what the dashboard or row shows');
  }
  return title.trim();
}

function validatePattern(where: Construct, field: string, value: unknown, pattern: RegExp, fix: string): string {
  if (typeof value !== 'string' || !pattern.test(value)) {
    throw validationError(where, `${field} is not valid`, value, fix);
  }
  return value;
}
