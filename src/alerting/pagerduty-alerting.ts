import { ApiObject, Duration, Lazy } from 'cdk8s';
import { k8s } from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { AlertMatcher } from './matcher';
import { AlertingOutput } from './output';
import { AlertReceiver, DEFAULT_PAGERDUTY_DESCRIPTION, PagerDutyReceiverOptions } from './receiver';
import { AlertRouteOptions, AlertRouteTiming, renderMatcherCrd, renderRouteCrd, renderRouteFile, RouteLike, validateRoute, validateRouteTiming } from './route';
import { constructScope, optionalArgument, requiredArgument } from '../common/arguments';
import { SecretKeyReference } from '../common/secret-key-reference';
import { AlertSeverity } from '../common/severity';
import { validateDnsLabel, validateDnsSubdomain, validateInstance, validateLabels, validatePrometheusLabelName, ValidationError, validationError } from '../common/validation';
import { toYaml } from '../common/yaml';
import type * as alertmanagerImports from '../imports/alertmanagerconfigs-monitoring.coreos.com';

/** Properties of `PagerDutyAlerting`. */
export interface PagerDutyAlertingProps extends AlertRouteTiming {
  /** The PagerDuty receiver that critical alerts page. */
  readonly pagerDuty: PagerDutyReceiverOptions;

  /**
   * Which object the routing is rendered into.
   * @default AlertingOutput.alertmanagerConfig()
   */
  readonly output?: AlertingOutput;

  /**
   * Name of the AlertmanagerConfig or Secret.
   * @default 'security-alerting'
   */
  readonly name?: string;

  /**
   * Namespace of the AlertmanagerConfig or Secret. The credential Secrets must
   * be in this namespace (AlertmanagerConfig output) or mounted into the
   * Alertmanager (Secret output).
   * A `SecurityMonitoringStack` passes its own namespace.
   * @default - none: required
   */
  readonly namespace?: string;

  /**
   * Labels of the AlertmanagerConfig or Secret, beside those the output
   * needs (e.g. the label an Alertmanager selects its configs by).
   * @default - only the output's labels
   */
  readonly labels?: { [key: string]: string };

  /**
   * Receiver of warning alerts (a Slack channel, a ticket webhook).
   * @default - warnings do not notify
   */
  readonly warningReceiver?: AlertReceiver;

  /**
   * Receiver of the always-firing `Watchdog` alert: a dead-man's-switch
   * service that alarms when the Watchdog stops arriving, proving the whole
   * Prometheus -> Alertmanager -> receiver pipeline is alive.
   * @default - the Watchdog is discarded
   */
  readonly deadMansSwitch?: AlertReceiver;

  /**
   * Whether a firing critical alert silences the warning and info alerts, and
   * a warning the info alerts, with the same `alertname` and `namespace`, so
   * that one incident is one page.
   * @default true
   */
  readonly inhibit?: boolean;

  /**
   * Labels that say where an alert comes from, e.g. `['cluster']` when the
   * alerts of many clusters meet in one Alertmanager: alerts are grouped by
   * them (one page never mixes two clusters), inhibition stays within them,
   * and the PagerDuty summary and custom details show them (unless
   * `pagerDuty.description` or the same detail is set).
   * @default - none; a `SecurityMonitoringStack` with a `cluster` passes its identity labels
   */
  readonly identityLabels?: string[];
}

/** Options of `routeTeam`. */
export interface TeamRouteOptions {
  /**
   * The label that names the owning team.
   * @default 'team'
   */
  readonly label?: string;
  /**
   * The severity whose alerts go to the team's receiver.
   * @default AlertSeverity.CRITICAL
   */
  readonly severity?: AlertSeverity;
}

/** An alert's labels and the receiver the routing tree must pick for it. */
export interface RoutingExpectation {
  /** Labels of the alert. */
  readonly labels: { [key: string]: string };
  /** The receiver it must reach. */
  readonly receiver: string;
}

/** The `Watchdog` alert of kube-prometheus: always firing, so that silence means a broken pipeline. */
const WATCHDOG = AlertMatcher.equal('alertname', 'Watchdog');

/**
 * Where an alert keeps the namespace its expression returned (the workload's)
 * once its `namespace` label names the AlertmanagerConfig's namespace: the
 * name Prometheus itself gives a target label that a scraped one displaced.
 */
export const EXPORTED_NAMESPACE_LABEL = 'exported_namespace';
const INHIBIT_RULES: ReadonlyArray<[AlertMatcher, AlertMatcher]> = [
  [AlertMatcher.equal('severity', AlertSeverity.CRITICAL), AlertMatcher.regex('severity', `${AlertSeverity.WARNING}|${AlertSeverity.INFO}`)],
  [AlertMatcher.equal('severity', AlertSeverity.WARNING), AlertMatcher.equal('severity', AlertSeverity.INFO)],
];

const SEVERITIES = [AlertSeverity.CRITICAL, AlertSeverity.WARNING, AlertSeverity.INFO];

/** The generated AlertmanagerConfig class: 1 MB of code, loaded when one is made, not with the library. */
function alertmanagerConfig(): typeof alertmanagerImports.AlertmanagerConfig {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require('../imports/alertmanagerconfigs-monitoring.coreos.com').AlertmanagerConfig;
}

/**
 * Routes security alerts to people: critical alerts page PagerDuty (Events API
 * v2), warnings go to an optional second receiver, info alerts never notify.
 * Teams can take their own alerts with `routeTeam`, and inhibition makes one
 * incident one page.
 *
 * The routing key is only ever referenced, never rendered: see
 * `PagerDutyReceiverOptions.routingKeySecret` and `requiredSecrets`.
 *
 * @example
 * const alerting = new PagerDutyAlerting(stack, 'alerting', {
 *   pagerDuty: { routingKeySecret: { secretName: 'pagerduty', key: 'routing-key' } },
 *   warningReceiver: AlertReceiver.slack('security-slack', { urlSecret: { secretName: 'slack', key: 'url' } }),
 * });
 * alerting.routeTeam('payments', AlertReceiver.pagerDuty('payments-pager', { routingKeySecret: { secretName: 'payments-pd', key: 'key' } }));
 */
export class PagerDutyAlerting extends Construct {
  /**
   * The AlertmanagerConfig or (with `AlertingOutput.configSecret()`) Secret that
   * holds the routing, the primary object (`node.defaultChild`): an escape hatch
   * for a field the props do not model, e.g.
   * `alerting.apiObject.addJsonPatch(JsonPatch.add('/metadata/annotations/owner', 'security'))`.
   */
  public readonly apiObject: ApiObject;

  /** The PagerDuty receiver of critical alerts. */
  public readonly pagerDutyReceiver: AlertReceiver;

  /** The receiver that discards alerts: the root of the tree, and info alerts. */
  public readonly nullReceiver: AlertReceiver = AlertReceiver.none();

  /** Namespace of the AlertmanagerConfig or Secret. */
  public readonly namespace: string;

  private readonly output: AlertingOutput;
  private readonly rootTiming: AlertRouteTiming;
  private readonly inhibit: boolean;
  private readonly identityLabels: string[];
  private readonly receivers = new Map<string, AlertReceiver>();
  private readonly routes: AlertRouteOptions[] = [];
  private readonly severityReceivers = new Map<AlertSeverity, string>();

  constructor(scope: Construct, id: string, props: PagerDutyAlertingProps) {
    super(constructScope('PagerDutyAlerting', scope, id), id);
    props = requiredArgument(this, 'props', props, '{ pagerDuty: { routingKeySecret: { secretName, key } } }');
    if (props?.pagerDuty === undefined) {
      throw validationError(this, 'pagerDuty is missing', undefined,
        'pass pagerDuty: { routingKeySecret: { secretName: "<secret>", key: "<key>" } } naming the Secret that holds the Events API v2 routing key');
    }
    const namespace = props.namespace;
    if (namespace === undefined) {
      throw validationError(this, 'namespace is missing', undefined, 'pass the namespace the alerting config goes to');
    }
    const labels = validateLabels(this, 'labels', props.labels ?? {});
    const name = validateDnsSubdomain(this, 'name', props.name ?? 'security-alerting');
    this.output = validateInstance(this, 'output', props.output ?? AlertingOutput.alertmanagerConfig(), AlertingOutput,
      'use AlertingOutput.alertmanagerConfig() or AlertingOutput.configSecret()');
    this.identityLabels = (props.identityLabels ?? []).map((label, i) => validatePrometheusLabelName(this, `identityLabels[${i}]`, label));
    this.namespace = validateDnsLabel(this, 'namespace', namespace);
    this.rootTiming = validateRouteTiming(this.node.path, {
      groupBy: props.groupBy ?? ['alertname', ...this.identityLabels, ...this.namespaceLabels()],
      groupWait: props.groupWait ?? Duration.seconds(30),
      groupInterval: props.groupInterval ?? Duration.minutes(5),
      repeatInterval: props.repeatInterval ?? Duration.hours(4),
    });
    this.inhibit = props.inhibit ?? true;
    // Routes may name receivers added later, so the check waits for synth; as a validation it
    // reports like every other deferred check instead of failing inside serialization.
    this.node.addValidation({ validate: () => this.unknownReceiverErrors() });

    this.addReceiver(this.nullReceiver);
    this.pagerDutyReceiver = AlertReceiver.pagerDuty('pagerduty', withIdentity(props.pagerDuty, this.identityLabels));
    this.routeSeverity(AlertSeverity.CRITICAL, this.pagerDutyReceiver);
    this.routeSeverity(AlertSeverity.WARNING, props.warningReceiver ?? this.nullReceiver);
    this.routeSeverity(AlertSeverity.INFO, this.nullReceiver);
    if (props.deadMansSwitch) {
      this.addReceiver(props.deadMansSwitch);
      // Ping often and never group with other alerts: the switch alarms on silence.
      const ping = { groupWait: Duration.seconds(0), groupInterval: Duration.minutes(1), repeatInterval: Duration.minutes(1) };
      this.routes.push({ matchers: [WATCHDOG], receiver: props.deadMansSwitch.name, ...ping });
    }

    const metadata = {
      name,
      namespace: this.namespace,
      labels: { ...labels, ...this.output._labels },
    };
    this.checkMatcherStrategy(metadata.namespace);
    this.apiObject = this.output._kind === 'Secret'
      ? new k8s.KubeSecret(this, 'Resource', {
        metadata,
        type: 'Opaque',
        stringData: { 'alertmanager.yaml': Lazy.any({ produce: () => this.toAlertmanagerYaml() }) },
      })
      : new (alertmanagerConfig())(this, 'Resource', { metadata, spec: Lazy.any({ produce: () => this.renderCrd() }) });
  }

  /**
   * Adds a receiver that routes can name. Adding the same receiver again is a
   * no-op; another receiver with the same name is an error.
   */
  public addReceiver(receiver: AlertReceiver): void {
    receiver = requiredArgument(this, 'receiver', receiver, 'an AlertReceiver, e.g. AlertReceiver.slack(name, { ... })');
    validateInstance(this, 'receiver', receiver, AlertReceiver, 'build it with an AlertReceiver factory, e.g. AlertReceiver.slack(name, { ... })');
    const existing = this.receivers.get(receiver?.name);
    if (existing === receiver) return;
    if (existing !== undefined) {
      throw validationError(this, `receiver "${receiver.name}" is already defined`, receiver.name, 'give each receiver a unique name, or pass the same AlertReceiver object again');
    }
    this.receivers.set(receiver.name, receiver);
  }

  /**
   * Adds a route, evaluated after the Watchdog route and the routes added
   * before it, and before the severity routes.
   */
  public addRoute(route: AlertRouteOptions): void {
    route = requiredArgument(this, 'route', route, '{ matchers: [AlertMatcher.equal("team", "db")], receiver: "<name>" }');
    this.routes.push(validateRoute(this.node.path, route));
  }

  /** Sends alerts of one severity to `receiver` (replacing its earlier receiver). */
  public routeSeverity(severity: AlertSeverity, receiver: AlertReceiver): void {
    severity = requiredArgument(this, 'severity', severity, 'an AlertSeverity, e.g. AlertSeverity.CRITICAL');
    receiver = requiredArgument(this, 'receiver', receiver, 'an AlertReceiver, e.g. AlertReceiver.pagerDuty(name, { ... })');
    if (!SEVERITIES.includes(severity)) {
      throw validationError(this, 'severity is not an AlertSeverity', severity, `use one of ${SEVERITIES.join(', ')}`);
    }
    this.addReceiver(receiver);
    this.severityReceivers.set(severity, receiver.name);
  }

  /** Sends a team's alerts (critical ones by default) to the team's own receiver. */
  public routeTeam(team: string, receiver: AlertReceiver, options: TeamRouteOptions = {}): void {
    team = requiredArgument(this, 'team', team, 'the value of the team label, e.g. "db"');
    receiver = requiredArgument(this, 'receiver', receiver, 'an AlertReceiver, e.g. AlertReceiver.slack(name, { ... })');
    options = optionalArgument(this, 'options', options) ?? {};
    this.addReceiver(receiver);
    this.addRoute({
      matchers: [AlertMatcher.equal(options.label ?? 'team', team), AlertMatcher.equal('severity', options.severity ?? AlertSeverity.CRITICAL)],
      receiver: receiver.name,
    });
  }

  /**
   * Labels every alert rule must carry for this routing to see its alerts
   * under any matcher strategy of the Prometheus Operator: pass them as
   * `ruleLabels` of your own `SecurityPrometheusRule` (a
   * `SecurityMonitoringStack` does this for its rules).
   *
   * With the AlertmanagerConfig output, `namespace` is the config's namespace,
   * because the operator's default strategy (`OnNamespace`) routes only alerts
   * whose `namespace` label is the config's; and `exported_namespace` keeps the
   * namespace the expression returned (`{{ $labels.namespace }}`, absent when
   * it returned none), as the operator's `enforcedNamespaceLabel` would not.
   * With the Secret output, which the operator does not rewrite, none.
   */
  public get routedAlertLabels(): { [key: string]: string } {
    return this.output._kind === 'Secret' ? {} : { namespace: this.namespace, [EXPORTED_NAMESPACE_LABEL]: '{{ $labels.namespace }}' };
  }

  /** Every Secret the rendered configuration reads a credential from, sorted. */
  public get requiredSecrets(): SecretKeyReference[] {
    const refs = new Map<string, SecretKeyReference>();
    for (const receiver of this.receivers.values()) {
      for (const ref of receiver.requiredSecrets) refs.set(`${ref.secretName}/${ref.key}`, ref);
    }
    return [...refs.keys()].sort().map((k) => refs.get(k)!);
  }

  /**
   * What the routing tree must do, one case per route: the input of
   * `amtool config routes test --verify.receivers=<receiver> <labels>`.
   */
  public routingExpectations(): RoutingExpectation[] {
    const severityCases = SEVERITIES.map((severity) => ({
      labels: { alertname: 'SecurityTestAlert', severity },
      receiver: this.severityReceivers.get(severity)!,
    }));
    const routeCases = this.routes.map((route) => ({
      labels: Object.fromEntries([['alertname', 'SecurityTestAlert'], ...route.matchers.map(exampleLabel)]),
      receiver: route.receiver,
    }));
    return [...routeCases, ...severityCases];
  }

  /**
   * The routing as a complete `alertmanager.yaml`: what the Secret output
   * holds. For the AlertmanagerConfig output it is the same tree before the
   * operator adds its namespace matcher, for checking with amtool.
   */
  public toAlertmanagerYaml(): string {
    const mountDir = this.output._secretsMountDir;
    return toYaml({
      route: renderRouteFile(this.rootRoute()),
      receivers: this.usedReceivers().map((r) => r._renderFile(mountDir)),
      ...(this.inhibit ? {
        inhibit_rules: INHIBIT_RULES.map(([source, target]) => ({
          source_matchers: [source.toString()], target_matchers: [target.toString()], equal: this.inhibitEqual(),
        })),
      } : {}),
    });
  }

  private renderCrd(): Record<string, unknown> {
    return {
      route: renderRouteCrd(this.rootRoute()),
      receivers: this.usedReceivers().map((r) => r._renderCrd()),
      ...(this.inhibit ? {
        inhibitRules: INHIBIT_RULES.map(([source, target]) => ({
          sourceMatch: [renderMatcherCrd(source)], targetMatch: [renderMatcherCrd(target)], equal: this.inhibitEqual(),
        })),
      } : {}),
    };
  }

  /**
   * Inhibition: each severity silences the lower ones of the same alert about
   * the same place; a critical in one namespace or cluster leaves another's warnings alone.
   */
  private inhibitEqual(): string[] {
    return ['alertname', ...this.namespaceLabels(), ...this.identityLabels];
  }

  /** The labels that say which namespace an alert is about: with routed labels, also the expression's own namespace. */
  private namespaceLabels(): string[] {
    return this.output._kind === 'Secret' ? ['namespace'] : ['namespace', EXPORTED_NAMESPACE_LABEL];
  }

  private unknownReceiverErrors(): string[] {
    try {
      this.rootRoute();
      return [];
    } catch (error) {
      if (error instanceof ValidationError) return [error.message];
      throw error;
    }
  }

  /** The root route: everything not routed below goes to the null receiver. */
  private rootRoute(): RouteLike {
    for (const route of this.routes) {
      if (!this.receivers.has(route.receiver)) {
        throw validationError(this, 'route refers to an unknown receiver', route.receiver,
          `add it with addReceiver() first; known receivers: ${[...this.receivers.keys()].join(', ')}`);
      }
    }
    // The null receiver is the root's, so severities routed there need no route of their own.
    const severityRoutes: AlertRouteOptions[] = SEVERITIES
      .filter((severity) => this.severityReceivers.get(severity) !== this.nullReceiver.name)
      .map((severity) => ({ matchers: [AlertMatcher.equal('severity', severity)], receiver: this.severityReceivers.get(severity)! }));
    return { receiver: this.nullReceiver.name, ...this.rootTiming, routes: [...this.routes, ...severityRoutes] };
  }

  /** Receivers some route uses, in the order they were added (unused ones would be noise in the config). */
  private usedReceivers(): AlertReceiver[] {
    const used = new Set([this.nullReceiver.name, ...this.severityReceivers.values(), ...this.routes.map((r) => r.receiver)]);
    return [...this.receivers.values()].filter((r) => used.has(r.name));
  }

  private checkMatcherStrategy(namespace: string): void {
    const amNamespace = this.output._alertmanagerNamespace;
    if (amNamespace !== undefined && amNamespace !== namespace) {
      throw validationError(this, `the AlertmanagerConfig is in namespace "${namespace}", not in the Alertmanager's namespace`, amNamespace,
        `with ON_NAMESPACE_EXCEPT_FOR_ALERTMANAGER_NAMESPACE only configs in "${amNamespace}" see every alert: set namespace: "${amNamespace}"`);
    }
  }
}

/**
 * The PagerDuty options with the identity labels shown: in front of the
 * default summary (`[prod-eu-1 prod] FalcoCriticalEvent: ...`) and as custom
 * details, which Alertmanager adds to its default details. What the user set wins.
 */
function withIdentity(options: PagerDutyReceiverOptions, labels: string[]): PagerDutyReceiverOptions {
  if (labels.length === 0 || options === undefined) return options;
  const prefix = `[${labels.map((label) => `{{ .CommonLabels.${label} }}`).join(' ')}]`;
  return {
    ...options,
    description: options.description ?? `${prefix} ${DEFAULT_PAGERDUTY_DESCRIPTION}`,
    details: { ...Object.fromEntries(labels.map((label) => [label, `{{ .CommonLabels.${label} }}`])), ...options.details },
  };
}

/** A label value that satisfies a matcher, for generated routing test cases. */
function exampleLabel(m: AlertMatcher): [string, string] {
  if (m.operator === '=') return [m.name, m.value];
  if (m.operator === '=~') return [m.name, m.value.split('|')[0]];
  // Negative matchers: a value that differs from the excluded one.
  return [m.name, `not-${m.value.replace(/[^a-zA-Z0-9_-]/g, '')}`];
}
