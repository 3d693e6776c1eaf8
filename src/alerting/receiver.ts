import { optionalArgument, requiredArgument } from '../common/arguments';
import { didYouMean } from '../common/did-you-mean';
import { ALERTMANAGER_TEMPLATES, validateGoTemplate } from '../common/go-template';
import { SecretKeyReference, validateSecretKeyReference } from '../common/secret-key-reference';
import { validationError } from '../common/validation';

/**
 * Where Alertmanager reads a key when the Secret is mounted the way the
 * Prometheus Operator mounts `Alertmanager.spec.secrets`: one directory per
 * Secret under `mountDir`, one file per key.
 */
function secretFilePath(mountDir: string, ref: SecretKeyReference): string {
  return `${mountDir}/${ref.secretName}/${ref.key}`;
}

/**
 * The PagerDuty incident summary by default: the group's alert name and the
 * summary its alerts share.
 */
export const DEFAULT_PAGERDUTY_DESCRIPTION = '{{ .CommonLabels.alertname }}: {{ .CommonAnnotations.summary }}';

/**
 * The PagerDuty event severity by default: the alerts' `severity` label mapped
 * onto PagerDuty's critical/warning/info; anything else (a group mixing
 * severities has no common one) pages as critical rather than being downgraded.
 */
export const DEFAULT_PAGERDUTY_SEVERITY =
  '{{ if eq .CommonLabels.severity "warning" }}warning{{ else if eq .CommonLabels.severity "info" }}info{{ else }}critical{{ end }}';

/**
 * The PagerDuty component by default: the namespace of the workload the alert
 * is about. With the AlertmanagerConfig output `namespace` is the config's own
 * and the workload's is in `exported_namespace`; `or` takes the first that is set.
 */
export const DEFAULT_PAGERDUTY_COMPONENT = '{{ or .CommonLabels.exported_namespace .CommonLabels.namespace }}';

/** Options of a PagerDuty receiver (Events API v2). */
export interface PagerDutyReceiverOptions {
  /**
   * The Events API v2 integration ("routing") key. Rendered as a reference
   * only: a `SecretKeySelector` in an AlertmanagerConfig (the Secret must be in
   * the AlertmanagerConfig's namespace), or `routing_key_file` in
   * `alertmanager.yaml` (the Secret must be mounted, see `PagerDutyAlerting`).
   * The legacy `service_key` integration is not supported.
   */
  readonly routingKeySecret: SecretKeyReference;

  /**
   * Incident summary, a Go template.
   * @default '{{ .CommonLabels.alertname }}: {{ .CommonAnnotations.summary }}'
   */
  readonly description?: string;

  /**
   * PagerDuty event severity (critical, error, warning or info), a Go template.
   * @default - the alerts' `severity` label: warning and info map to themselves, anything else to critical
   */
  readonly severity?: string;

  /**
   * PagerDuty event class, e.g. `security`.
   * @default 'security'
   */
  readonly eventClass?: string;

  /**
   * PagerDuty component, a Go template. The default names the workload's
   * namespace: `exported_namespace` where the routing moved it there (the
   * AlertmanagerConfig output sets `namespace` to the config's own), else `namespace`.
   * @default '{{ or .CommonLabels.exported_namespace .CommonLabels.namespace }}'
   */
  readonly component?: string;

  /**
   * PagerDuty group, a Go template.
   * @default '{{ .CommonLabels.alertname }}'
   */
  readonly group?: string;

  /**
   * Custom details of the event; values are Go templates.
   * @default - Alertmanager's default details (firing and resolved alerts)
   */
  readonly details?: { [key: string]: string };

  /**
   * Whether to resolve the incident when the alerts resolve.
   * @default true
   */
  readonly sendResolved?: boolean;
}

/** Options of a Slack receiver. */
export interface SlackReceiverOptions {
  /**
   * Secret key holding the Slack incoming-webhook URL, which is a credential
   * (`api_url_file` in `alertmanager.yaml`, `apiURL` in an AlertmanagerConfig).
   */
  readonly urlSecret: SecretKeyReference;
  /**
   * Channel to post to, e.g. `#security-alerts`.
   * @default - the webhook's channel
   */
  readonly channel?: string;
  /**
   * Whether to notify when the alerts resolve.
   * @default true
   */
  readonly sendResolved?: boolean;
}

/** Options of a webhook receiver: `url` or `urlSecret`. */
export interface WebhookReceiverOptions {
  /**
   * The URL Alertmanager posts to, rendered as written. A URL with user-info
   * or a credential in its query is refused: use `urlSecret` for it, and for
   * any URL whose path is itself a secret (most dead-man's-switch services).
   * @default - `urlSecret`
   */
  readonly url?: string;
  /**
   * Secret key holding the URL. Rendered as a reference only: the
   * AlertmanagerConfig's `urlSecret` (the Secret must be in its namespace),
   * or `url_file` in `alertmanager.yaml` (Alertmanager 0.26 or later; the
   * Secret must be mounted, see `PagerDutyAlerting`).
   * @default - `url`
   */
  readonly urlSecret?: SecretKeyReference;
  /**
   * Whether to notify when the alerts resolve.
   * @default true
   */
  readonly sendResolved?: boolean;
}

type Rendered = Record<string, unknown>;

/** A receiver in both dialects: Alertmanager's own (snake_case) and the operator's CRD (camelCase). */
interface ReceiverDialects {
  readonly file: (mountDir: string) => Rendered;
  readonly crd: Rendered;
  readonly secrets: SecretKeyReference[];
}

const RECEIVER_NAME = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

/**
 * Where Alertmanager sends a group of alerts. Receivers are identified by name
 * within one `PagerDutyAlerting`.
 *
 * @example
 * AlertReceiver.pagerDuty('security-pager', { routingKeySecret: { secretName: 'pagerduty', key: 'routing-key' } })
 */
export class AlertReceiver {
  /** Pages through PagerDuty's Events API v2. */
  public static pagerDuty(name: string, options: PagerDutyReceiverOptions): AlertReceiver {
    name = requiredArgument('AlertReceiver.pagerDuty', 'name', name, 'the receiver name, e.g. "security-pager"');
    options = requiredArgument(`AlertReceiver.pagerDuty("${name}")`, 'options', options, '{ routingKeySecret: { secretName, key } }');
    const where = `AlertReceiver.pagerDuty("${name}")`;
    const routingKey = validateSecretKeyReference(where, 'routingKeySecret', options?.routingKeySecret);
    const fields = {
      description: validateGoTemplate(where, 'description', options.description ?? DEFAULT_PAGERDUTY_DESCRIPTION, ALERTMANAGER_TEMPLATES),
      severity: validatePagerDutySeverity(where, validateGoTemplate(where, 'severity', options.severity ?? DEFAULT_PAGERDUTY_SEVERITY, ALERTMANAGER_TEMPLATES)),
      class: options.eventClass ?? 'security',
      component: validateGoTemplate(where, 'component', options.component ?? DEFAULT_PAGERDUTY_COMPONENT, ALERTMANAGER_TEMPLATES),
      group: validateGoTemplate(where, 'group', options.group ?? '{{ .CommonLabels.alertname }}', ALERTMANAGER_TEMPLATES),
    };
    // Sorted so that the output does not depend on the order the user wrote the details in.
    const details = Object.entries(options.details ?? {})
      .map(([key, value]) => [key, validateGoTemplate(where, `details["${key}"]`, value, ALERTMANAGER_TEMPLATES)] as const)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    const sendResolved = options.sendResolved ?? true;
    return new AlertReceiver(name, {
      file: (mountDir) => ({
        pagerduty_configs: [{
          routing_key_file: secretFilePath(mountDir, routingKey),
          send_resolved: sendResolved,
          ...fields,
          ...(details.length > 0 ? { details: Object.fromEntries(details) } : {}),
        }],
      }),
      crd: {
        pagerdutyConfigs: [{
          routingKey: { name: routingKey.secretName, key: routingKey.key },
          sendResolved,
          ...fields,
          ...(details.length > 0 ? { details: details.map(([key, value]) => ({ key, value })) } : {}),
        }],
      },
      secrets: [routingKey],
    });
  }

  /** Posts to a Slack channel through an incoming webhook. */
  public static slack(name: string, options: SlackReceiverOptions): AlertReceiver {
    name = requiredArgument('AlertReceiver.slack', 'name', name, 'the receiver name, e.g. "security-slack"');
    options = requiredArgument(`AlertReceiver.slack("${name}")`, 'options', options, '{ urlSecret: { secretName, key } }');
    const webhookUrl = validateSecretKeyReference(`AlertReceiver.slack("${name}")`, 'urlSecret', options?.urlSecret);
    const channel = options.channel === undefined ? {} : { channel: options.channel };
    const sendResolved = options.sendResolved ?? true;
    return new AlertReceiver(name, {
      file: (mountDir) => ({ slack_configs: [{ api_url_file: secretFilePath(mountDir, webhookUrl), send_resolved: sendResolved, ...channel }] }),
      crd: { slackConfigs: [{ apiUrl: { name: webhookUrl.secretName, key: webhookUrl.key }, sendResolved, ...channel }] },
      secrets: [webhookUrl],
    });
  }

  /**
   * Posts the alert group as JSON to a URL: a chat bridge, or a dead-man's
   * switch service that raises an alarm when the Watchdog stops arriving.
   */
  public static webhook(name: string, options: WebhookReceiverOptions): AlertReceiver {
    name = requiredArgument('AlertReceiver.webhook', 'name', name, 'the receiver name, e.g. "bridge"');
    options = requiredArgument(`AlertReceiver.webhook("${name}")`, 'options', options, '{ url } or { urlSecret: { secretName, key } }', { secretAlternatives: { url: 'urlSecret' } });
    const where = `AlertReceiver.webhook("${name}")`;
    const sendResolved = options.sendResolved ?? true;
    if ((options.url === undefined) === (options.urlSecret === undefined)) {
      throw validationError(where, 'exactly one of url and urlSecret must be set', ['url', 'urlSecret'].filter((key) => key in options),
        'set url to the URL, or urlSecret: { secretName, key } of a Secret that holds a URL carrying a credential');
    }
    if (options.urlSecret !== undefined) {
      const urlSecret = validateSecretKeyReference(where, 'urlSecret', options.urlSecret);
      return new AlertReceiver(name, {
        file: (mountDir) => ({ webhook_configs: [{ url_file: secretFilePath(mountDir, urlSecret), send_resolved: sendResolved }] }),
        crd: { webhookConfigs: [{ urlSecret: { name: urlSecret.secretName, key: urlSecret.key }, sendResolved }] },
        secrets: [urlSecret],
      });
    }
    let url: URL | undefined;
    try {
      url = new URL(options.url!);
    } catch {
      url = undefined;
    }
    if (!url || !/^https?:$/.test(url.protocol)) {
      throw validationError(where, 'url is not an http(s) URL', options.url, 'use e.g. "http://alert-bridge.monitoring.svc:8080/alerts"');
    }
    return new AlertReceiver(name, {
      file: () => ({ webhook_configs: [{ url: options.url, send_resolved: sendResolved }] }),
      crd: { webhookConfigs: [{ url: options.url, sendResolved }] },
      secrets: [],
    });
  }

  /**
   * Discards alerts: the receiver for severities that must never notify (info)
   * and the catch-all of the routing tree.
   * @param name the receiver's name (default: `null`, as in kube-prometheus)
   */
  public static none(name?: string): AlertReceiver {
    name = optionalArgument('AlertReceiver.none', 'name', name);
    return new AlertReceiver(name ?? 'null', { file: () => ({}), crd: {}, secrets: [] });
  }

  /** The receiver's name, unique within one `PagerDutyAlerting`. */
  public readonly name: string;

  private constructor(name: string, private readonly dialects: ReceiverDialects) {
    if (typeof name !== 'string' || !RECEIVER_NAME.test(name) || name.length > 63) {
      throw validationError('AlertReceiver', 'receiver name is not a valid DNS-1123 label', name,
        "use 1-63 lowercase letters, digits or '-' (the operator uses it in generated names)");
    }
    this.name = name;
  }

  /** The Secrets this receiver reads its credentials from. */
  public get requiredSecrets(): SecretKeyReference[] {
    return [...this.dialects.secrets];
  }

  /** @internal the receiver in `alertmanager.yaml`, with credentials read from files under `mountDir` */
  public _renderFile(mountDir: string): Rendered {
    return { name: this.name, ...this.dialects.file(mountDir) };
  }

  /** @internal the receiver in an AlertmanagerConfig's `spec.receivers` */
  public _renderCrd(): Rendered {
    return { name: this.name, ...this.dialects.crd };
  }
}

/** The severities PagerDuty's Events API v2 accepts: it refuses an event with any other. */
const PAGERDUTY_SEVERITIES = ['critical', 'error', 'warning', 'info'];

/** A literal severity (one without a template action) must be one PagerDuty accepts. */
function validatePagerDutySeverity(where: string, severity: string): string {
  if (!severity.includes('{{') && !PAGERDUTY_SEVERITIES.includes(severity)) {
    throw validationError(where, 'severity is not a PagerDuty Events v2 severity, so PagerDuty would refuse every event', severity,
      `use one of ${PAGERDUTY_SEVERITIES.join(', ')}${didYouMean(severity.toLowerCase(), PAGERDUTY_SEVERITIES)}, or a template that yields one`);
  }
  return severity;
}
