import { Duration } from 'cdk8s';
import { AlertMatcher } from './matcher';
import { durationMillis, prometheusDuration } from '../common/duration';
import { validatePrometheusLabelName, validationError } from '../common/validation';

/** Grouping and timing of a route; unset fields inherit from the parent route. */
export interface AlertRouteTiming {
  /**
   * Labels that split alerts into notification groups.
   * @default - inherited from the parent route
   */
  readonly groupBy?: string[];
  /**
   * How long to wait before the first notification of a new group.
   * @default - inherited from the parent route
   */
  readonly groupWait?: Duration;
  /**
   * How long to wait before notifying about new alerts of a group.
   * @default - inherited from the parent route
   */
  readonly groupInterval?: Duration;
  /**
   * How long to wait before repeating a notification.
   * @default - inherited from the parent route
   */
  readonly repeatInterval?: Duration;
}

/** A route below the root of the routing tree. */
export interface AlertRouteOptions extends AlertRouteTiming {
  /** Every matcher must match for an alert to take this route. */
  readonly matchers: AlertMatcher[];
  /** Name of the receiver, added with `addReceiver` (or by `routeSeverity`/`routeTeam`). */
  readonly receiver: string;
  /**
   * Whether matching alerts also continue to the following routes.
   * @default false
   */
  readonly continue?: boolean;
}

/** Validates grouping and timing; returns the same options. */
export function validateRouteTiming<T extends AlertRouteTiming>(where: string, timing: T): T {
  const groupBy = timing.groupBy ?? [];
  for (const [i, label] of groupBy.entries()) {
    // `...` groups by every label: Alertmanager's way to disable grouping.
    if (label !== '...') validatePrometheusLabelName(where, 'groupBy', label);
    // Alertmanager (and amtool check-config) refuse the whole config for either of these.
    if (groupBy.indexOf(label) !== i) {
      throw validationError(where, `groupBy repeats the label "${label}", which Alertmanager refuses`, groupBy, 'list each label once');
    }
  }
  if (groupBy.includes('...') && groupBy.length > 1) {
    throw validationError(where, 'groupBy lists other labels beside "..." (every label), which Alertmanager refuses', groupBy,
      'use ["..."] alone to group by every label, or list the labels to group by');
  }
  const durations: Array<[string, Duration | undefined]> = [
    ['groupWait', timing.groupWait], ['groupInterval', timing.groupInterval], ['repeatInterval', timing.repeatInterval],
  ];
  for (const [field, value] of durations) {
    if (value === undefined) continue;
    // Alertmanager refuses the whole config for a zero group_interval or repeat_interval.
    if (durationMillis(where, field, value) === 0 && field !== 'groupWait') {
      throw validationError(where, `${field} is zero, which Alertmanager refuses`, '0s', 'use at least Duration.seconds(1), e.g. Duration.minutes(5)');
    }
  }
  // A copy of what was validated: a later change to the caller's object must not reach the config.
  return timing.groupBy === undefined ? { ...timing } : { ...timing, groupBy: [...timing.groupBy] };
}

/** Validates a route: at least one matcher, and valid timing. */
export function validateRoute(where: string, route: AlertRouteOptions): AlertRouteOptions {
  if (!Array.isArray(route?.matchers) || route.matchers.length === 0 || !route.matchers.every((m) => m instanceof AlertMatcher)) {
    throw validationError(where, 'route needs at least one AlertMatcher', route?.matchers,
      'pass matchers such as [AlertMatcher.equal("team", "payments")]; the root route already catches everything else');
  }
  return { ...validateRouteTiming(where, route), matchers: [...route.matchers] };
}

/** Any route of the tree, including the root (which has no matchers). */
export type RouteLike = AlertRouteTiming & {
  readonly receiver: string;
  readonly matchers?: AlertMatcher[];
  readonly continue?: boolean;
  readonly routes?: RouteLike[];
};

/** A route in `alertmanager.yaml` (snake_case, matchers as text). */
export function renderRouteFile(route: RouteLike): Record<string, unknown> {
  return dropUndefined({
    receiver: route.receiver,
    matchers: route.matchers?.map((m) => m.toString()),
    group_by: route.groupBy,
    group_wait: alertmanagerDuration('groupWait', route.groupWait),
    group_interval: alertmanagerDuration('groupInterval', route.groupInterval),
    repeat_interval: alertmanagerDuration('repeatInterval', route.repeatInterval),
    continue: route.continue,
    routes: route.routes?.map(renderRouteFile),
  });
}

/** A route in an AlertmanagerConfig (camelCase, structured matchers). */
export function renderRouteCrd(route: RouteLike): Record<string, unknown> {
  return dropUndefined({
    receiver: route.receiver,
    matchers: route.matchers?.map(renderMatcherCrd),
    groupBy: route.groupBy,
    groupWait: alertmanagerDuration('groupWait', route.groupWait),
    groupInterval: alertmanagerDuration('groupInterval', route.groupInterval),
    repeatInterval: alertmanagerDuration('repeatInterval', route.repeatInterval),
    continue: route.continue,
    routes: route.routes?.map(renderRouteCrd),
  });
}

/** A timing in Alertmanager's notation, which is Prometheus' (validated with the route). */
function alertmanagerDuration(field: string, value: Duration | undefined): string | undefined {
  return value === undefined ? undefined : prometheusDuration('route', field, value);
}

export function renderMatcherCrd(m: AlertMatcher): Record<string, string> {
  return { name: m.name, value: m.value, matchType: m.operator };
}

function dropUndefined(o: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined));
}
