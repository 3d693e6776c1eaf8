import { Duration } from 'cdk8s';
import { AlertSeverity } from '../common/severity';

/**
 * Changes to one alert of the `SecurityAlerts` catalogue, by alert name in
 * `alertOverrides`. The alert's promtool unit tests follow: a moved threshold
 * is tested just above and just below the new value, a longer `for` waits
 * longer.
 */
export interface AlertOverride {
  /**
   * The number the alert's expression compares with, for alerts that have
   * one (e.g. `KubeApiServerAuthenticationFailures`: failed authentications
   * per second; ratios such as `KubeApiServerUnauthorizedSpike` are between 0
   * and 1). Must be above 0.
   * @default - the catalogue's threshold
   */
  readonly threshold?: number;

  /**
   * How long the condition must hold before the alert fires. Refused on
   * alerts that fire once per Falco event (use `keepFiringFor` there).
   * @default - the catalogue's
   */
  readonly for?: Duration;

  /**
   * How long the alert keeps firing after the condition cleared (Prometheus 2.42+).
   * @default - the catalogue's (none)
   */
  readonly keepFiringFor?: Duration;

  /**
   * Severity, which decides where the alert is routed (PagerDuty pages on
   * critical) and how the dashboard counts it.
   * @default - the catalogue's
   */
  readonly severity?: AlertSeverity;

  /**
   * Extra labels of this alert, over the rule labels of every alert.
   * @default {}
   */
  readonly labels?: { [key: string]: string };

  /**
   * Extra annotations of this alert (not summary, description or runbook_url).
   * @default {}
   */
  readonly annotations?: { [key: string]: string };
}

/** One change `SecurityAlerts` made to its catalogue on request, for review (`describe()`). */
export interface AlertTuningChange {
  /** The alert's name. */
  readonly alert: string;
  /** What changed: `enabled`, `threshold`, `for`, `keepFiringFor`, `severity`, `labels.<name>` or `annotations.<name>`. */
  readonly setting: string;
  /** The catalogue's value ("none" if it had none); durations in Prometheus' notation (`10m`). */
  readonly from: string;
  /** The value in effect. */
  readonly to: string;
}
