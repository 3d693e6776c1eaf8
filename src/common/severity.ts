/**
 * The `severity` label every alert carries; Alertmanager routes on it
 * (critical pages, warning notifies, info is for dashboards) and inhibition
 * silences lower severities of the same alert.
 */
export enum AlertSeverity {
  /** Someone must act now: routed to PagerDuty. */
  CRITICAL = 'critical',
  /** Needs attention during working hours. */
  WARNING = 'warning',
  /** Context for other alerts and dashboards; never notifies. */
  INFO = 'info',
}
