import { AlertTestCase, SeriesInput } from '../rule-props';

/** Where the catalogue's runbooks live; one anchor per alert. */
export const RUNBOOK_BASE = 'https://github.com/cdk8s-security-monitoring/cdk8s-security-monitoring/blob/main/docs/runbooks.md';

export function runbook(alert: string): string {
  return `${RUNBOOK_BASE}#${alert.toLowerCase()}`;
}

/**
 * New events of a counter that only appears once it is non-zero (Falco's
 * per-rule counters): `increase()` cannot see the first sample of a new
 * series, so a series that did not exist `window` ago counts too.
 */
export function newEvents(selector: string, by: string, window: string): string {
  return `(sum by (${by}) (increase(${selector}[${window}])) > 0) or sum by (${by}) (${selector} unless ${selector} offset ${window})`;
}

/**
 * The two tests every catalogue alert has: one where it fires, one where
 * normal data keeps it silent.
 */
export function firesAndStaysSilent(props: {
  readonly firing: SeriesInput[];
  readonly normal: SeriesInput[];
  readonly labels?: { [key: string]: string };
  readonly annotations?: { [key: string]: string };
  readonly evalTime?: string;
  readonly what: string;
}): AlertTestCase[] {
  const evalTime = props.evalTime ?? '20m';
  return [
    { name: `fires on ${props.what}`, series: props.firing, evalTime, expectedAlerts: [{ labels: props.labels, annotations: props.annotations }] },
    { name: 'stays silent on normal data', series: props.normal, evalTime, expectedAlerts: [] },
  ];
}
