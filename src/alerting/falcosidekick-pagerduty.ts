import { requiredArgument } from '../common/arguments';
import { SecretKeyReference, validateSecretKeyReference } from '../common/secret-key-reference';
import { validationError } from '../common/validation';
import { FalcoPriority } from '../falco/priority';

/** The PagerDuty service region falcosidekick sends events to. */
export enum PagerDutyRegion {
  US = 'us',
  EU = 'eu',
}

/** Options of falcosidekick's PagerDuty output. */
export interface FalcosidekickPagerDutyOptions {
  /** The Events API v2 routing key, read by falcosidekick from this Secret. */
  readonly routingKey: SecretKeyReference;
  /**
   * The least severe Falco priority that pages. falcosidekick creates every
   * PagerDuty event with severity critical whatever the Falco priority, so this
   * filter is the only thing between a noisy rule and a page.
   * @default FalcoPriority.CRITICAL
   */
  readonly minimumPriority?: FalcoPriority;
  /**
   * PagerDuty service region.
   * @default PagerDutyRegion.US
   */
  readonly region?: PagerDutyRegion;
}

/** An environment variable of the falcosidekick container: a literal value or a Secret key. */
export interface FalcosidekickEnvVar {
  /** The variable's name. */
  readonly name: string;
  /**
   * Literal value.
   * @default - read from `secretKeyRef`
   */
  readonly value?: string;
  /**
   * Secret key the value is read from.
   * @default - the literal `value`
   */
  readonly secretKeyRef?: SecretKeyReference;
}

/**
 * falcosidekick's PagerDuty output: the alternative path for Falco events that
 * should page directly, without Prometheus and Alertmanager. It has no
 * grouping, inhibition or routing by team, so keep it for the few rules whose
 * every match is an incident. This is data for the Falco deployment, which sets
 * `env` on its falcosidekick container; it creates no objects itself.
 */
export class FalcosidekickPagerDuty {
  /** The container environment that enables the output. */
  public readonly env: FalcosidekickEnvVar[];

  constructor(options: FalcosidekickPagerDutyOptions) {
    options = requiredArgument('FalcosidekickPagerDuty', 'options', options, '{ routingKey: { secretName, key } }');
    const where = 'FalcosidekickPagerDuty';
    const routingKey = validateSecretKeyReference(where, 'routingKey', options?.routingKey);
    const priority = options.minimumPriority ?? FalcoPriority.CRITICAL;
    if (!Object.values(FalcoPriority).includes(priority)) {
      throw validationError(where, 'minimumPriority is not a FalcoPriority', priority, `use one of ${Object.values(FalcoPriority).join(', ')}`);
    }
    this.env = [
      // A non-empty routing key is what enables the output.
      { name: 'PAGERDUTY_ROUTINGKEY', secretKeyRef: routingKey },
      { name: 'PAGERDUTY_REGION', value: options.region ?? PagerDutyRegion.US },
      // falcosidekick spells priorities in lower case.
      { name: 'PAGERDUTY_MINIMUMPRIORITY', value: priority.toLowerCase() },
    ];
  }
}
