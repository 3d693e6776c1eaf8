export { PagerDutyRegion } from './pagerduty-region';
export { AlertMatcher } from './matcher';
export { AlertingOutput, AlertmanagerConfigOutputOptions, AlertmanagerMatcherStrategy, ConfigSecretOutputOptions } from './output';
export { AlertReceiver, PagerDutyReceiverOptions, SlackReceiverOptions, WebhookReceiverOptions } from './receiver';
export { AlertRouteOptions, AlertRouteTiming } from './route';
export { PagerDutyAlerting, PagerDutyAlertingProps, RoutingExpectation, TeamRouteOptions } from './pagerduty-alerting';
