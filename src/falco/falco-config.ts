import { CONFIG_D } from './driver-pod';
import { FalcoPriority } from './priority';

/** The webserver port: health checks, `/metrics` and the `/versions` falcoctl follows. */
export const FALCO_WEB_PORT = 8765;
export const HEALTHZ_PATH = '/healthz';
/** Where the rules ConfigMap is mounted. */
export const RULES_DIR = '/etc/falco/rules.d';
/** Where the upstream ruleset lives, installed by falcoctl or shipped in the image. */
export const UPSTREAM_RULES_FILE = '/etc/falco/falco_rules.yaml';

/**
 * Container runtimes the container plugin asks for metadata, as the chart
 * configures them (collectors.containerEngine.engines): the sockets are mounted
 * under /host.
 */
export const CONTAINER_ENGINES: Record<string, { enabled: boolean; sockets?: string[] }> = {
  docker: { enabled: true, sockets: ['/var/run/docker.sock'] },
  podman: { enabled: true, sockets: ['/run/podman/podman.sock'] },
  containerd: { enabled: true, sockets: ['/run/host-containerd/containerd.sock'] },
  cri: { enabled: true, sockets: ['/run/containerd/containerd.sock', '/run/crio/crio.sock', '/run/k3s/containerd/containerd.sock', '/run/host-containerd/containerd.sock'] },
  lxc: { enabled: true },
  libvirt_lxc: { enabled: true },
  bpm: { enabled: true },
};

/** Every distinct container runtime socket, in the chart's order. */
export const CONTAINER_SOCKETS = [...new Set(Object.values(CONTAINER_ENGINES).flatMap((e) => e.sockets ?? []))];

/** What falco.yaml is rendered from. */
export interface FalcoConfigInput {
  readonly rulesFiles: string[];
  readonly disabledRules: string[];
  readonly disabledTags: string[];
  readonly enabledRules: string[];
  /** The engine section; undefined without a syscall driver. */
  readonly engine?: Record<string, unknown>;
  /** Entries of `plugins` besides the container plugin (which comes with a syscall driver). */
  readonly plugins: Array<Record<string, unknown>>;
  /** Whether the driver loader writes a drop-in into config.d. */
  readonly usesConfigD: boolean;
  readonly priority: FalcoPriority;
  readonly jsonOutput: boolean;
  /** Fields added to every event (`append_output`), already validated. */
  readonly extraOutputFields: Record<string, string>;
  readonly metrics: boolean;
  /** falcosidekick's URL, when events are forwarded. */
  readonly httpOutputUrl?: string;
}

/** Renders falco.yaml (Falco 0.44 keys; omitted keys keep Falco's defaults). */
export function renderFalcoConfig(input: FalcoConfigInput): Record<string, unknown> {
  // `rules:` selections apply in order: disable first, so `enable` can re-enable one rule of a disabled tag.
  const selections = [
    ...input.disabledRules.map((rule) => ({ disable: { rule } })),
    ...input.disabledTags.map((tag) => ({ disable: { tag } })),
    ...input.enabledRules.map((rule) => ({ enable: { rule } })),
  ];
  // The upstream ruleset requires the container plugin (container.* fields); without a
  // driver there are no containers to enrich (the chart's collectors.enabled: false).
  const plugins = [
    ...(input.engine ? [{
      name: 'container',
      library_path: 'libcontainer.so',
      init_config: { label_max_len: 100, with_size: false, hooks: ['create'], engines: CONTAINER_ENGINES },
    }] : []),
    ...input.plugins,
  ];
  return {
    ...(input.usesConfigD ? { config_files: [CONFIG_D] } : {}),
    rules_files: input.rulesFiles,
    ...(selections.length > 0 ? { rules: selections } : {}),
    ...(input.engine ? { engine: input.engine } : {}),
    load_plugins: plugins.map((p) => p.name),
    plugins,
    // Host info (/proc of the host) serves plugins that parse driver events; plugin-only
    // Falco has none, and without it needs no /proc mount (charts/falco values.yaml).
    ...(input.engine ? {} : { plugins_hostinfo: false }),
    priority: input.priority.toLowerCase(),
    json_output: input.jsonOutput,
    json_include_output_property: true,
    json_include_tags_property: true,
    ...appendOutput(input.extraOutputFields, input.jsonOutput),
    stdout_output: { enabled: true },
    ...(input.httpOutputUrl ? { http_output: { enabled: true, url: input.httpOutputUrl } } : {}),
    webserver: {
      enabled: true,
      listen_port: FALCO_WEB_PORT,
      k8s_healthz_endpoint: HEALTHZ_PATH,
      prometheus_metrics_enabled: input.metrics,
    },
    // rules_counters_enabled produces falcosecurity_falco_rules_matches_total{rule_name,priority}.
    ...(input.metrics ? {
      metrics: {
        enabled: true,
        interval: '1h',
        output_rule: false,
        rules_counters_enabled: true,
        resource_utilization_enabled: true,
        state_counters_enabled: true,
        // Driver counters exist only with a driver.
        kernel_event_counters_enabled: input.engine !== undefined,
        libbpf_stats_enabled: input.engine !== undefined,
        plugins_metrics_enabled: true,
        convert_memory_to_mb: true,
        include_empty_values: false,
      },
    } : {}),
  };
}

/**
 * Falco 0.44's `append_output` for fields on every event (no `match`: every
 * rule of every source). `extra_fields` entries are one-key maps of a name to
 * a format string, which for these values (label values: no `%`) is the
 * value itself; they land in the JSON event's `output_fields`. Plain-text
 * events get them appended to the message instead.
 */
function appendOutput(fields: Record<string, string>, jsonOutput: boolean): Record<string, unknown> {
  const entries = Object.entries(fields);
  if (entries.length === 0) return {};
  return {
    append_output: [jsonOutput
      ? { extra_fields: entries.map(([key, value]) => ({ [key]: value })) }
      : { extra_output: entries.map(([key, value]) => `${key}=${value}`).join(' ') }],
  };
}
