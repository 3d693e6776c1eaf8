import { IConstruct } from 'constructs';
import { FalcoDriver } from './driver';
import { FALCO_WEB_PORT } from './falco-config';
import { FalcoPlugin } from './plugin';
import { FalcoWorkload, FalcoWorkloadKind } from './workload';
import { validateInstanceList, validationError } from '../common/validation';

/**
 * The plugins a Falco loads: those given and those they require, each once,
 * checked against the driver and workload they run with.
 */
export function resolvePlugins(where: IConstruct, given: unknown, driver: FalcoDriver, workload: FalcoWorkload, namespace: string): FalcoPlugin[] {
  if (workload.kind === FalcoWorkloadKind.DEPLOYMENT && driver.capturesSyscalls) {
    throw validationError(where, 'a syscall driver needs Falco on every node, but workload is a Deployment', driver.kind,
      'use FalcoWorkload.daemonSet() for syscall monitoring, or FalcoDriver.none() for plugin-only sources');
  }
  const plugins = new Map<string, FalcoPlugin>();
  const add = (plugin: FalcoPlugin) => {
    const existing = plugins.get(plugin.name);
    if (existing && JSON.stringify(existing.toConfig()) !== JSON.stringify(plugin.toConfig())) {
      throw validationError(where, `plugin "${plugin.name}" is configured twice, differently`, [existing.toConfig(), plugin.toConfig()],
        'Falco loads a plugin once: keep one configuration');
    }
    if (!existing) plugins.set(plugin.name, plugin);
    plugin.requires.forEach(add);
  };
  validateInstanceList(where, 'plugins', given, FalcoPlugin, 'build each plugin with a FalcoPlugin factory, e.g. FalcoPlugin.k8sAudit()').forEach(add);
  const resolved = [...plugins.values()];
  if (resolved.some((p) => p.name === 'container')) {
    throw validationError(where, 'plugins contains the container plugin, which the deployment configures with a syscall driver', 'container',
      'drop it from plugins');
  }

  const sources = resolved.filter((p) => p.source !== undefined);
  if (!driver.capturesSyscalls && sources.length === 0) {
    // Falco refuses to start with every event source turned off.
    throw validationError(where, 'driver is none and no plugin provides an event source', resolved.map((p) => p.name),
      'add a source plugin such as FalcoPlugin.k8sAudit(), or use a syscall driver');
  }
  const pull = sources.filter((p) => p.listenPort === undefined);
  if ((workload.replicas ?? 1) > 1 && pull.length > 0) {
    throw validationError(where, `${workload.replicas} replicas would each fetch and report every event of the pull plugins`, pull.map((p) => p.name),
      'use one replica (more only suit push plugins such as k8saudit, behind their Service)');
  }
  const ports = new Set<number>([FALCO_WEB_PORT]);
  for (const plugin of resolved.filter((p) => p.listenPort !== undefined)) {
    if (ports.has(plugin.listenPort!)) {
      throw validationError(where, `plugin "${plugin.name}" listens on port ${plugin.listenPort}, which is already taken`, plugin.listenPort,
        `give each push plugin its own port (${FALCO_WEB_PORT} is Falco's webserver)`);
    }
    ports.add(plugin.listenPort!);
    if (plugin.serviceNamespace !== undefined && plugin.serviceNamespace !== namespace) {
      throw validationError(where, `plugin "${plugin.name}" receives events on Service ${plugin.serviceName}.${plugin.serviceNamespace}, outside Falco's namespace "${namespace}"`,
        plugin.serviceNamespace, `build its FalcoAuditWebhook with namespace "${namespace}", or deploy Falco in "${plugin.serviceNamespace}"`);
    }
  }
  return resolved;
}
