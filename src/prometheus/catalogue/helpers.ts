import { Duration } from 'cdk8s';
import { prometheusDuration } from '../../common/duration';
import { AlertingRuleProps, AlertTestCase, SeriesInput } from '../rule-props';

/**
 * Where the catalogue's runbooks live by default: each alert's `runbook_url`
 * is this base followed by the alert name in lower case (an anchor here).
 */
export const RUNBOOK_BASE = 'https://github.com/cdk8s-security-monitoring/cdk8s-security-monitoring/blob/main/docs/runbooks.md#';

/**
 * The number a catalogue alert's expression compares with, when tuning it is
 * meaningful (a rate, a ratio, a count; not the `> 0` of "any at all").
 */
export interface CatalogueThreshold {
  /** The catalogue's value. */
  readonly default: number;
  /** What the number is, for errors and `describe()`: "failed authentications per second". */
  readonly unit: string;
  /** Exclusive upper bound (1 for a ratio); thresholds are always above 0. */
  readonly below?: number;
}

/** What the user tuned that the alert's text and tests must follow. */
export interface CatalogueSettings {
  readonly threshold: number;
  /** The alert's `for` in effect, if any. */
  readonly for?: Duration;
}

/**
 * One alert of the catalogue, built from its settings so that the
 * expression, the description and the promtool tests follow a tuned
 * threshold or `for`.
 */
export interface CatalogueAlert {
  readonly alert: string;
  readonly threshold?: CatalogueThreshold;
  readonly defaultFor?: Duration;
  /**
   * The alert fires once per new event (a window over a counter that only
   * appears when a rule matches): a `for` would outlast the event, so it is
   * refused and `keepFiringFor` offered instead.
   */
  readonly perEvent?: boolean;
  /** Whether the alert exists in this deployment (e.g. the Falco ruleset it watches is loaded). */
  readonly applies?: boolean;
  readonly build: (settings: CatalogueSettings) => Omit<AlertingRuleProps, 'runbookUrl'>;
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
  readonly evalTime?: Duration;
  readonly what: string;
}): AlertTestCase[] {
  const evalTime = props.evalTime ?? Duration.minutes(20);
  return [
    { name: `fires on ${props.what}`, series: props.firing, evalTime, expectedAlerts: [{ labels: props.labels, annotations: props.annotations }] },
    { name: 'stays silent on normal data', series: props.normal, evalTime, expectedAlerts: [] },
  ];
}

/** How far "just above" and "just below" a threshold the generated tests go. */
const MARGIN = 0.02;

/**
 * The tests of a thresholded alert: it fires on data just above the threshold
 * (2% over it) and stays silent just below it (2% under), so a moved threshold
 * is tested where it matters.
 * @param at series whose expression value is the given number
 * @param expected the firing alert's labels and annotations, for the value above
 */
export function aroundThreshold(props: {
  readonly threshold: CatalogueThreshold;
  readonly value: number;
  readonly at: (value: number) => SeriesInput[];
  readonly normal?: SeriesInput[];
  readonly expected: (value: number) => { labels?: { [key: string]: string }; annotations?: { [key: string]: string } };
  readonly evalTime?: Duration;
}): AlertTestCase[] {
  const t = props.value;
  const above = props.threshold.below === undefined ? t * (1 + MARGIN) : Math.min(t * (1 + MARGIN), (t + props.threshold.below) / 2);
  const below = t * (1 - MARGIN);
  const evalTime = props.evalTime ?? Duration.minutes(20);
  return [
    { name: `fires just above the threshold (${num(above)} ${props.threshold.unit})`, series: props.at(above), evalTime, expectedAlerts: [props.expected(above)] },
    { name: `stays silent just below it (${num(below)} ${props.threshold.unit})`, series: [...props.at(below), ...props.normal ?? []], evalTime, expectedAlerts: [] },
  ];
}

/** A number as PromQL and promtool's series notation read it, without float noise. */
export function num(value: number): string {
  return String(Number(value.toPrecision(12)));
}

/** A ratio as a percentage for prose: 0.05 -> "5%". */
export function percent(ratio: number): string {
  return `${num(ratio * 100)}%`;
}

/** A duration for prose: 10 minutes -> "10 minutes"; other lengths in Prometheus' notation ("1h30m"). */
export function duration(d: Duration | undefined): string {
  const text = d === undefined ? '0s' : prometheusDuration('catalogue', 'for', d);
  const match = /^(\d+)([smhdw])$/.exec(text);
  if (!match) return text;
  const unit = { s: 'second', m: 'minute', h: 'hour', d: 'day', w: 'week' }[match[2] as 's' | 'm' | 'h' | 'd' | 'w'];
  return `${match[1]} ${unit}${match[1] === '1' ? '' : 's'}`;
}
