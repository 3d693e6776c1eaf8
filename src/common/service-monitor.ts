import { Construct } from 'constructs';
import { PrometheusSelector } from './prometheus-selector';
import { describeLocation, validatePrometheusDuration } from './validation';
import { ServiceMonitor } from '../imports/servicemonitors-monitoring.coreos.com';

/** What a component needs to have its metrics Service scraped by the Prometheus Operator. */
export interface ServiceMonitorOptions {
  readonly name: string;
  readonly namespace: string;
  /** Labels of the ServiceMonitor itself (the selector's monitor labels are added). */
  readonly labels: Record<string, string>;
  /** Labels of the Service to scrape. */
  readonly serviceLabels: Record<string, string>;
  /** Name of the Service port to scrape. */
  readonly portName: string;
  readonly path: string;
  readonly selector: PrometheusSelector;
  /** Scrape interval, a Prometheus duration. Default: the Prometheus' own. */
  readonly interval?: string;
}

/** Creates a `monitoring.coreos.com/v1 ServiceMonitor` for one port of one Service. */
export function createServiceMonitor(scope: Construct, id: string, options: ServiceMonitorOptions): ServiceMonitor {
  if (options.interval !== undefined) validatePrometheusDuration(`${describeLocation(scope)}/${id}`, 'interval', options.interval);
  return new ServiceMonitor(scope, id, {
    metadata: {
      name: options.name,
      namespace: options.namespace,
      labels: { ...options.labels, ...options.selector.monitorLabels },
    },
    spec: {
      selector: { matchLabels: options.serviceLabels },
      namespaceSelector: { matchNames: [options.namespace] },
      endpoints: [{ port: options.portName, path: options.path, interval: options.interval }],
    },
  });
}
