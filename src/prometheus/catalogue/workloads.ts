import { Duration } from 'cdk8s';
import { aroundThreshold, CatalogueAlert, CatalogueThreshold, firesAndStaysSilent, num } from './helpers';
import { AlertSeverity } from '../../common/severity';

const RESTARTS: CatalogueThreshold = { default: 3, unit: 'restarts in 15 minutes' };

/**
 * Workload posture from kube-state-metrics (kubernetes/kube-state-metrics
 * internal/store/pod.go): `kube_pod_info{host_network}`,
 * `kube_pod_container_info{image}`, `kube_pod_container_status_restarts_total`.
 */
export function workloadAlerts(): CatalogueAlert[] {
  return [{
    alert: 'PodUsesHostNetwork',
    defaultFor: Duration.minutes(15),
    build: ({ for: forDuration }) => ({
      alert: 'PodUsesHostNetwork',
      expr: 'max by (namespace, pod) (kube_pod_info{host_network="true", namespace!="kube-system"}) > 0',
      for: forDuration,
      severity: AlertSeverity.WARNING,
      summary: 'Pod {{ $labels.namespace }}/{{ $labels.pod }} uses the host network',
      description: 'A pod outside kube-system shares its node\'s network namespace: it can sniff node traffic and reach services bound to localhost. Remove hostNetwork or document the exception.',
      tests: firesAndStaysSilent({
        what: 'a host-network pod',
        firing: [{ series: 'kube_pod_info{namespace="shop",pod="proxy-0",host_network="true",node="n1"}', values: '1x30' }],
        normal: [
          { series: 'kube_pod_info{namespace="shop",pod="web-0",host_network="false",node="n1"}', values: '1x30' },
          { series: 'kube_pod_info{namespace="kube-system",pod="kube-proxy-x",host_network="true",node="n1"}', values: '1x30' },
        ],
        labels: { namespace: 'shop', pod: 'proxy-0' },
        annotations: { summary: 'Pod shop/proxy-0 uses the host network' },
      }),
    }),

  }, {
    alert: 'ContainerImageLatestTag',
    defaultFor: Duration.hours(1),
    build: ({ for: forDuration }) => ({
      alert: 'ContainerImageLatestTag',
      // ":latest", or no tag and no digest at all (which means latest too).
      expr: 'max by (namespace, pod, container, image) (kube_pod_container_info{image=~".*:latest|[^:@]+"}) > 0',
      for: forDuration,
      severity: AlertSeverity.INFO,
      summary: 'Container {{ $labels.container }} runs a mutable :latest image',
      description: '{{ $labels.namespace }}/{{ $labels.pod }} runs {{ $labels.image }}: what runs can change without a deployment, and nobody can tell which code was running during an incident. Pin a tag or digest.',
      tests: firesAndStaysSilent({
        what: 'an untagged image',
        evalTime: Duration.minutes(70),
        firing: [{ series: 'kube_pod_container_info{namespace="shop",pod="web-0",container="web",image="nginx"}', values: '1x80' }],
        normal: [{ series: 'kube_pod_container_info{namespace="shop",pod="web-0",container="web",image="nginx:1.27.2"}', values: '1x80' }],
        labels: { namespace: 'shop', pod: 'web-0', container: 'web', image: 'nginx' },
        annotations: {
          summary: 'Container web runs a mutable :latest image',
          description: 'shop/web-0 runs nginx: what runs can change without a deployment, and nobody can tell which code was running during an incident. Pin a tag or digest.',
        },
      }),
    }),
  }, {
    alert: 'KubeSystemContainerRestarting',
    threshold: RESTARTS,
    build: ({ threshold, for: forDuration }) => ({
      alert: 'KubeSystemContainerRestarting',
      expr: `sum by (namespace, pod, container) (increase(kube_pod_container_status_restarts_total{namespace="kube-system"}[15m])) > ${num(threshold)}`,
      for: forDuration,
      severity: AlertSeverity.WARNING,
      summary: 'kube-system container {{ $labels.pod }}/{{ $labels.container }} keeps restarting',
      description: `A control-plane or node component restarted more than ${num(threshold)} times in 15 minutes: `
        + 'a crash loop there weakens the cluster, and tampering with system pods looks the same.',
      tests: aroundThreshold({
        threshold: RESTARTS,
        value: threshold,
        at: (restarts) => [{ series: 'kube_pod_container_status_restarts_total{namespace="kube-system",pod="coredns-1",container="coredns"}', values: `0+${num(restarts / 15)}x30` }],
        // Restarts outside kube-system are other alerts' business.
        normal: [{ series: 'kube_pod_container_status_restarts_total{namespace="shop",pod="web-0",container="web"}', values: '0+1x30' }],
        expected: () => ({
          labels: { namespace: 'kube-system', pod: 'coredns-1', container: 'coredns' },
          annotations: { summary: 'kube-system container coredns-1/coredns keeps restarting' },
        }),
      }),
    }),
  }];
}
