import { ApiObject } from 'cdk8s';
import { k8s } from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { FALCO_WEB_PORT } from './falco-config';
import { FALCOCTL_IMAGE } from './images';
import { ErrorLocation, validationError } from '../common/validation';
import { toYaml } from '../common/yaml';

/**
 * Validates a falcoctl artifact reference: an index name with an optional tag
 * (`falco-rules:5`, `k8saudit:0.16`) or a full OCI reference.
 * @param example a valid reference, shown in the fix
 */
export function validateFalcoctlReference(where: ErrorLocation, field: string, ref: unknown, example: string): string {
  if (typeof ref !== 'string' || !/^[a-z0-9][a-z0-9./_-]*(:[A-Za-z0-9._-]+)?$/.test(ref)) {
    throw validationError(where, `${field} is not a falcoctl artifact reference`, ref, `use a reference such as "${example}"`);
  }
  return ref;
}

/** What falcoctl installs before Falco starts and keeps current while it runs. */
export interface FalcoctlArtifacts {
  /** Installed by the init container: rules files and plugins. */
  readonly install: string[];
  /** Followed by the sidecar: rules files only (Falco cannot reload a plugin). */
  readonly follow: string[];
  readonly followEvery: string;
}

/** The falcoctl ConfigMap, and the containers and volumes of the Falco pod that use it. */
export interface FalcoctlParts {
  readonly configMap: ApiObject;
  readonly install: k8s.Container;
  /** Undefined when nothing is followed. */
  readonly follow?: k8s.Container;
  readonly volumes: k8s.Volume[];
  /** Where the Falco container sees what falcoctl installed. */
  readonly falcoMounts: k8s.VolumeMount[];
}

/** The falcoctl ConfigMap, and the containers and volumes that use it (charts/falco falcoctl.*). */
export function createFalcoctl(scope: Construct, metadata: k8s.ObjectMeta, artifacts: FalcoctlArtifacts): FalcoctlParts {
  const dirs = { rulesfilesDir: '/rulesfiles', pluginsDir: '/plugins', stateDir: '/artifactstate' };
  const configMap = new k8s.KubeConfigMap(scope, 'falcoctl-config-map', {
    metadata,
    data: {
      'falcoctl.yaml': toYaml({
        indexes: [{ name: 'falcosecurity', url: 'https://falcosecurity.github.io/falcoctl/index.yaml' }],
        artifact: {
          allowedTypes: ['rulesfile', 'plugin'],
          // resolveDeps also installs the plugins a rules artifact requires (k8saudit-rules: json).
          install: { resolveDeps: true, refs: artifacts.install, ...dirs },
          follow: { refs: artifacts.follow, every: artifacts.followEvery, falcoversions: `http://localhost:${FALCO_WEB_PORT}/versions`, ...dirs },
        },
      }),
    },
  });
  const volumeMounts = [
    { name: 'plugins-install-dir', mountPath: dirs.pluginsDir },
    { name: 'rulesfiles-install-dir', mountPath: dirs.rulesfilesDir },
    { name: 'falcoctl-config-volume', mountPath: '/etc/falcoctl' },
    { name: 'artifact-state-dir', mountPath: dirs.stateDir },
  ];
  const container = (verb: 'install' | 'follow'): k8s.Container => ({
    name: `falcoctl-artifact-${verb}`,
    image: FALCOCTL_IMAGE,
    imagePullPolicy: 'IfNotPresent',
    args: ['artifact', verb, '--log-format=json'],
    volumeMounts,
    resources: {
      requests: { cpu: k8s.Quantity.fromString('10m'), memory: k8s.Quantity.fromString('32Mi') },
      limits: { cpu: k8s.Quantity.fromString('200m'), memory: k8s.Quantity.fromString('128Mi') },
    },
    // falcoctl only downloads files into the shared emptyDirs. The pod sets no seccomp
    // profile (Falco's container needs Unconfined), so falcoctl asks for RuntimeDefault itself.
    securityContext: {
      allowPrivilegeEscalation: false,
      readOnlyRootFilesystem: true,
      capabilities: { drop: ['ALL'] },
      seccompProfile: { type: 'RuntimeDefault' },
    },
  });
  return {
    configMap,
    install: container('install'),
    follow: artifacts.follow.length > 0 ? container('follow') : undefined,
    volumes: [
      { name: 'plugins-install-dir', emptyDir: {} },
      { name: 'rulesfiles-install-dir', emptyDir: {} },
      { name: 'artifact-state-dir', emptyDir: {} },
      { name: 'falcoctl-config-volume', configMap: { name: metadata.name, items: [{ key: 'falcoctl.yaml', path: 'falcoctl.yaml' }] } },
    ],
    falcoMounts: [
      { name: 'rulesfiles-install-dir', mountPath: '/etc/falco' },
      { name: 'plugins-install-dir', mountPath: '/usr/share/falco/plugins' },
    ],
  };
}
