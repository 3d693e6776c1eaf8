import { k8s } from 'cdk8s-plus-28';
import { hardenedContainerSecurityContext } from '../common/container-hardening';

/**
 * Filebeat serves its metrics only as JSON (`/stats` on its HTTP endpoint):
 * trustpilot/beat-exporter reads it and serves the Prometheus metrics the
 * catalogue's Filebeat alerts read (`filebeat_libbeat_output_events{type}`,
 * `filebeat_libbeat_pipeline_events{type}`, `filebeat_up`). 0.4.0 is its
 * latest release.
 */
export const DEFAULT_BEAT_EXPORTER_IMAGE = 'docker.io/trustpilot/beat-exporter:0.4.0';

/** beat-exporter's default listen port. */
export const BEAT_EXPORTER_PORT = 9479;

/** The name of the metrics port on the pod and the Service. */
export const METRICS_PORT_NAME = 'metrics';

/**
 * The exporter as a sidecar of the Filebeat container, reading its HTTP
 * endpoint over the pod's loopback. It needs no privilege: unlike Filebeat,
 * it runs as nobody (its image sets no user) with nothing writable.
 */
export function beatExporterContainer(image: string, filebeatPort: number): k8s.Container {
  const probe = (initialDelaySeconds?: number): k8s.Probe => ({
    // The index page: served once the exporter has found Filebeat, without reading /stats.
    httpGet: { path: '/', port: k8s.IntOrString.fromString(METRICS_PORT_NAME) },
    initialDelaySeconds,
    periodSeconds: 10,
  });
  return {
    name: 'beat-exporter',
    image,
    args: [`-beat.uri=http://localhost:${filebeatPort}`, `-web.listen-address=:${BEAT_EXPORTER_PORT}`],
    ports: [{ name: METRICS_PORT_NAME, containerPort: BEAT_EXPORTER_PORT, protocol: 'TCP' }],
    // It waits for Filebeat's endpoint before it listens: give Filebeat time to start.
    livenessProbe: probe(30),
    readinessProbe: probe(),
    resources: {
      requests: { cpu: k8s.Quantity.fromString('10m'), memory: k8s.Quantity.fromString('16Mi') },
      limits: { cpu: k8s.Quantity.fromString('100m'), memory: k8s.Quantity.fromString('64Mi') },
    },
    securityContext: { ...hardenedContainerSecurityContext(), runAsUser: 65534, runAsGroup: 65534 },
  };
}
