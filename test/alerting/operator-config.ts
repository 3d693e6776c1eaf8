/**
 * The alertmanager.yaml the Prometheus Operator generates from an
 * AlertmanagerConfig, for tests that run the real Alertmanager on what a
 * cluster will run. Facts from prometheus-operator pkg/alertmanager/amcfg.go
 * (v0.93): receiver names become `<namespace>/<name>/<receiver>`; the config's
 * top route gets `continue: true` under every strategy and is placed before
 * the base configuration's routes; the matcher strategy's enforcer appends
 * `namespace="<the config's namespace>"` to that top route and to both sides
 * of each inhibition rule (`OnNamespace`, the default; under
 * `OnNamespaceExceptForAlertmanagerNamespace` except for configs in the
 * Alertmanager's namespace; never under `None`); credentials referenced by a
 * SecretKeySelector are read from the config's namespace and rendered inline.
 */
import { AlertmanagerMatcherStrategy } from '../../src';
import { Manifest } from '../util';

/** What the operator knows besides the AlertmanagerConfig objects. */
export interface OperatorSetting {
  /** `Alertmanager.spec.alertmanagerConfigMatcherStrategy.type`. */
  readonly strategy: AlertmanagerMatcherStrategy;
  /** Namespace of the `Alertmanager` resource. */
  readonly alertmanagerNamespace: string;
  /** Secret values by `<namespace>/<secret>/<key>`. */
  readonly secrets: Record<string, string>;
  /** The base configuration (the Alertmanager's own config Secret), which the configs are merged into. */
  readonly base: Record<string, any>;
}

type Converted = Record<string, unknown>;

/** Drops undefined fields, as the operator's YAML marshalling omits empty ones. */
function defined(o: Converted): Converted {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined));
}

/** Fails on a field this conversion does not know, so that a new field the library renders cannot be silently dropped. */
function onlyKnown(where: string, o: Record<string, unknown>, known: string[]): void {
  const unknown = Object.keys(o).filter((k) => !known.includes(k));
  if (unknown.length > 0) throw new Error(`${where}: the operator conversion in this test does not know ${unknown.join(', ')}`);
}

function matcherText(m: { name: string; value: string; matchType: string }): string {
  onlyKnown('matcher', m, ['name', 'value', 'matchType']);
  return `${m.name}${m.matchType}${JSON.stringify(m.value)}`;
}

/** The complete alertmanager.yaml (as an object) the operator loads for these AlertmanagerConfigs. */
export function operatorAlertmanagerConfig(alertmanagerConfigs: Manifest[], setting: OperatorSetting): Record<string, any> {
  const config = JSON.parse(JSON.stringify(setting.base));
  const topRoutes: Converted[] = [];
  config.receivers = config.receivers ?? [];
  config.inhibit_rules = config.inhibit_rules ?? [];
  // The operator orders the configs by namespace/name.
  const sorted = [...alertmanagerConfigs].sort((a, b) => `${a.metadata.namespace}/${a.metadata.name}`.localeCompare(`${b.metadata.namespace}/${b.metadata.name}`));
  for (const amc of sorted) {
    const { namespace, name } = amc.metadata;
    const enforced = setting.strategy === AlertmanagerMatcherStrategy.ON_NAMESPACE
      || (setting.strategy === AlertmanagerMatcherStrategy.ON_NAMESPACE_EXCEPT_FOR_ALERTMANAGER_NAMESPACE
        && namespace !== setting.alertmanagerNamespace);
    const namespaceMatcher = `namespace=${JSON.stringify(namespace)}`;
    const prefixed = (receiver: string) => `${namespace}/${name}/${receiver}`;
    const secret = (ref: { name: string; key: string }) => {
      const value = setting.secrets[`${namespace}/${ref.name}/${ref.key}`];
      if (value === undefined) throw new Error(`AlertmanagerConfig ${namespace}/${name}: Secret ${ref.name} key ${ref.key} not found in namespace ${namespace}`);
      return value;
    };
    onlyKnown('spec', amc.spec, ['route', 'receivers', 'inhibitRules']);

    for (const rule of amc.spec.inhibitRules ?? []) {
      onlyKnown('inhibitRule', rule, ['sourceMatch', 'targetMatch', 'equal']);
      const side = (matchers: any[]) => {
        const texts = matchers.map(matcherText);
        return enforced && !texts.includes(namespaceMatcher) ? [...texts, namespaceMatcher] : texts;
      };
      config.inhibit_rules.push(defined({
        source_matchers: side(rule.sourceMatch ?? []), target_matchers: side(rule.targetMatch ?? []), equal: rule.equal,
      }));
    }

    const convertRoute = (route: any): Converted => {
      onlyKnown('route', route, ['receiver', 'matchers', 'groupBy', 'groupWait', 'groupInterval', 'repeatInterval', 'continue', 'routes']);
      return defined({
        receiver: route.receiver === undefined ? undefined : prefixed(route.receiver),
        matchers: route.matchers?.map(matcherText),
        group_by: route.groupBy,
        group_wait: route.groupWait,
        group_interval: route.groupInterval,
        repeat_interval: route.repeatInterval,
        continue: route.continue,
        routes: route.routes?.map(convertRoute),
      });
    };
    if (amc.spec.route) {
      const top = convertRoute(amc.spec.route);
      const matchers = [...(top.matchers as string[] | undefined ?? []), ...(enforced ? [namespaceMatcher] : [])];
      topRoutes.push(defined({ ...top, matchers: matchers.length > 0 ? matchers : undefined, continue: true }));
    }

    for (const receiver of amc.spec.receivers ?? []) {
      onlyKnown('receiver', receiver, ['name', 'pagerdutyConfigs', 'slackConfigs', 'webhookConfigs']);
      config.receivers.push(defined({
        name: prefixed(receiver.name),
        pagerduty_configs: receiver.pagerdutyConfigs?.map((pd: any) => {
          onlyKnown('pagerdutyConfig', pd, ['routingKey', 'sendResolved', 'description', 'severity', 'class', 'component', 'group', 'details', 'url']);
          return defined({
            routing_key: secret(pd.routingKey),
            send_resolved: pd.sendResolved,
            url: pd.url,
            description: pd.description,
            severity: pd.severity,
            class: pd.class,
            component: pd.component,
            group: pd.group,
            details: pd.details && Object.fromEntries(pd.details.map((d: any) => [d.key, d.value])),
          });
        }),
        slack_configs: receiver.slackConfigs?.map((slack: any) => {
          onlyKnown('slackConfig', slack, ['apiUrl', 'sendResolved', 'channel']);
          return defined({ api_url: secret(slack.apiUrl), send_resolved: slack.sendResolved, channel: slack.channel });
        }),
        webhook_configs: receiver.webhookConfigs?.map((webhook: any) => {
          onlyKnown('webhookConfig', webhook, ['url', 'sendResolved']);
          return defined({ url: webhook.url, send_resolved: webhook.sendResolved });
        }),
      }));
    }
  }
  // First-level AlertmanagerConfig routes come before the base configuration's; continue: true lets alerts fall through.
  config.route = { ...config.route, routes: [...topRoutes, ...(config.route.routes ?? [])] };
  if (config.inhibit_rules.length === 0) delete config.inhibit_rules;
  return config;
}

/**
 * The base configuration the operator starts from when the Alertmanager has
 * no configuration of its own (prometheus-operator's golden files): a root
 * route to the `null` receiver.
 */
export const OPERATOR_BASE_CONFIG = { route: { receiver: 'null' }, receivers: [{ name: 'null' }] };
