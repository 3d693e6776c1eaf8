import { ApiObject, Duration, GroupVersionKind } from 'cdk8s';
import { k8s } from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { constructScope, requiredArgument } from '../common/arguments';
import { hardenedContainerSecurityContext } from '../common/container-hardening';
import { goDuration, validateWholeSeconds } from '../common/duration';
import { validatePinnedImage } from '../common/image';
import { createNetworkPolicy } from '../common/network-policy';
import { validateDnsLabel, validateDnsSubdomain, validateInstance, validateLabels, validationError } from '../common/validation';
import type * as v3Imports from '../imports/healthchecks-kuberhealthy.github.io';
import type * as legacyImports from '../imports/khchecks-comcast.github.io';

// The generated check classes are over 1 MB of code, of which only the GVK is
// used: they are loaded when a check is made, not with the library.

function legacyCheck(): typeof legacyImports.KuberhealthyCheck {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require('../imports/khchecks-comcast.github.io').KuberhealthyCheck;
}

function v3Check(): typeof v3Imports.HealthCheck {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require('../imports/healthchecks-kuberhealthy.github.io').HealthCheck;
}

/**
 * The Kuberhealthy API a check is written for. The two are not compatible:
 * a cluster runs one Kuberhealthy major version and ignores the other's checks.
 */
export class KuberhealthyApi {
  /** Kuberhealthy v2 (2.x): `comcast.github.io/v1 KuberhealthyCheck`, `spec.podSpec` is a PodSpec. */
  public static v2Legacy(): KuberhealthyApi {
    return new KuberhealthyApi(legacyCheck().GVK, (pod) => pod.spec);
  }

  /** Kuberhealthy v3: `kuberhealthy.github.io/v2 HealthCheck`, `spec.podSpec` is `{metadata, spec}`. */
  public static v3(): KuberhealthyApi {
    return new KuberhealthyApi(v3Check().GVK, (pod) => pod);
  }

  private constructor(
    /** @internal */ public readonly _gvk: GroupVersionKind,
    /** @internal Shapes `spec.podSpec` from the pod's metadata and spec. */
    public readonly _podSpec: (pod: { metadata: { labels: Record<string, string> }; spec: unknown }) => unknown,
  ) {}

  /** `apiVersion` of the check objects. */
  public get apiVersion(): string {
    return this._gvk.apiVersion;
  }
}

/** Properties of a `KuberhealthyCheck`. */
export interface KuberhealthyCheckProps {
  /** Name of the check (and of its ConfigMap). */
  readonly name: string;
  /**
   * Namespace the check and its pods run in. Its pods meet the `restricted` Pod Security Standard.
   * `SecurityMonitoringStack.addHealthCheck` passes the stack's namespace.
   * @default - none: required
   */
  readonly namespace?: string;
  /** Which Kuberhealthy runs the check. @default KuberhealthyApi.v3() */
  readonly api?: KuberhealthyApi;
  /** How often the check runs (`runInterval`). @default Duration.minutes(10) */
  readonly runInterval?: Duration;
  /** How long a run may take before Kuberhealthy fails it (`timeout`); shorter than `runInterval`. @default Duration.minutes(5) */
  readonly timeout?: Duration;
  /** Checker image, pinned to a tag or digest. */
  readonly image: string;
  /**
   * Accept an image tagged `latest` (or untagged), which makes the check run
   * whatever was pushed last. Only for images you build and control.
   * @default false
   */
  readonly allowLatestImage?: boolean;
  /** Container command. @default - the image's entrypoint */
  readonly command?: string[];
  /** Container arguments. @default - none */
  readonly args?: string[];
  /** Environment variables (Kuberhealthy adds `KH_REPORTING_URL`, `KH_RUN_UUID`, ...). @default - none */
  readonly env?: { [name: string]: string };
  /**
   * Script files, rendered into a ConfigMap mounted read-only at `/scripts`,
   * e.g. `{ 'check.sh': '...' }` with `command: ['/bin/sh', '/scripts/check.sh']`.
   * @default - none
   */
  readonly scripts?: { [fileName: string]: string };
  /** ServiceAccount of the check pod; without one, the pod gets no API token. @default - no API access */
  readonly serviceAccountName?: string;
  /**
   * Labels of the check object and its pods. `SecurityMonitoringStack.addHealthCheck`
   * passes the stack's labels with component `health-check`, under these.
   * @default - none
   */
  readonly labels?: { [key: string]: string };
}

const SCRIPT_FILE = /^[-._a-zA-Z0-9]+$/;
const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/**
 * A Kuberhealthy external check: Kuberhealthy starts its pod every
 * `runInterval`, and the pod reports `{"ok": bool, "errors": [...]}` with a
 * POST to `$KH_REPORTING_URL` (header `kh-run-uuid: $KH_RUN_UUID`). The pod is
 * hardened: non-root, read-only root filesystem, no capabilities,
 * RuntimeDefault seccomp, bounded resources.
 */
export class KuberhealthyCheck extends Construct {
  /** Name of the check. */
  public readonly name: string;
  /** Namespace of the check. */
  public readonly namespace: string;
  /**
   * The check itself (`HealthCheck` or, with `KuberhealthyApi.v2Legacy()`,
   * `KuberhealthyCheck`), the primary object (`node.defaultChild`): an escape
   * hatch for a field the props do not model, e.g. a toleration of the checker pod:
   * `check.healthCheck.addJsonPatch(JsonPatch.add('/spec/podSpec/spec/tolerations', [...]))`
   * (`/spec/podSpec/tolerations` with `v2Legacy()`, whose `podSpec` is the pod's spec).
   */
  public readonly healthCheck: ApiObject;
  /** The NetworkPolicy that denies all ingress to the checker pod. */
  public readonly networkPolicy: ApiObject;
  /**
   * The ConfigMap holding `scripts`, mounted at `/scripts`.
   * @default - none, when `scripts` is empty
   */
  public readonly configMap?: ApiObject;

  constructor(scope: Construct, id: string, props: KuberhealthyCheckProps) {
    super(constructScope('KuberhealthyCheck', scope, id), id);
    props = requiredArgument(this, 'props', props, '{ name, namespace, image }');
    this.name = validateDnsLabel(this, 'name', props.name);
    if (props.namespace === undefined) {
      throw validationError(this, 'namespace is missing', undefined,
        'pass the namespace the check runs in, or add the check with SecurityMonitoringStack.addHealthCheck to run it in the stack\'s');
    }
    this.namespace = validateDnsLabel(this, 'namespace', props.namespace);
    const labels = validateLabels(this, 'labels', props.labels ?? {});
    const image = props.allowLatestImage ? props.image : validatePinnedImage(this, 'image', props.image, 'docker.io/curlimages/curl:8.11.1');
    if (typeof image !== 'string' || image.trim() === '') {
      throw validationError(this, 'image is empty', image, 'name the checker image');
    }
    const runInterval = checkDuration(this, 'runInterval', props.runInterval ?? Duration.minutes(10));
    const timeout = checkDuration(this, 'timeout', props.timeout ?? Duration.minutes(5));
    if (timeout.seconds >= runInterval.seconds) {
      throw validationError(this, 'timeout must be shorter than runInterval', { runInterval: runInterval.text, timeout: timeout.text },
        'shorten timeout or lengthen runInterval, so a run ends before the next starts');
    }
    if (props.serviceAccountName !== undefined) validateDnsSubdomain(this, 'serviceAccountName', props.serviceAccountName);
    for (const name of Object.keys(props.env ?? {})) {
      if (!ENV_NAME.test(name) || name.startsWith('KH_')) {
        throw validationError(this, 'env has an invalid or reserved variable name', name,
          'use letters, digits and "_", not starting with a digit; KH_* variables are set by Kuberhealthy');
      }
    }
    const scripts = props.scripts ?? {};
    for (const file of Object.keys(scripts)) {
      if (!SCRIPT_FILE.test(file)) {
        throw validationError(this, 'scripts has an invalid file name', file, "use letters, digits, '-', '_' or '.'");
      }
    }
    const hasScripts = Object.keys(scripts).length > 0;
    if (hasScripts) {
      this.configMap = new k8s.KubeConfigMap(this, 'config-map', { metadata: { name: this.name, namespace: this.namespace, labels }, data: scripts });
    }

    const podSpec: k8s.PodSpec = {
      restartPolicy: 'Never',
      serviceAccountName: props.serviceAccountName,
      automountServiceAccountToken: props.serviceAccountName !== undefined,
      securityContext: { runAsNonRoot: true, runAsUser: 65534, runAsGroup: 65534, seccompProfile: { type: 'RuntimeDefault' } },
      containers: [{
        name: 'check',
        image,
        imagePullPolicy: 'IfNotPresent',
        command: props.command,
        args: props.args,
        env: Object.entries(props.env ?? {}).map(([name, value]) => ({ name, value })),
        securityContext: hardenedContainerSecurityContext(),
        resources: {
          requests: { cpu: k8s.Quantity.fromString('10m'), memory: k8s.Quantity.fromString('16Mi') },
          limits: { cpu: k8s.Quantity.fromString('100m'), memory: k8s.Quantity.fromString('64Mi') },
        },
        volumeMounts: hasScripts ? [{ name: 'scripts', mountPath: '/scripts', readOnly: true }] : undefined,
      }],
      volumes: hasScripts ? [{ name: 'scripts', configMap: { name: this.name } }] : undefined,
    };
    const api = validateInstance(this, 'api', props.api ?? KuberhealthyApi.v3(), KuberhealthyApi, 'use KuberhealthyApi.v3() or KuberhealthyApi.v2Legacy()');
    const podLabels = { ...labels, 'app.kubernetes.io/name': this.name };
    this.healthCheck = new ApiObject(this, 'Resource', {
      ...api._gvk,
      metadata: { name: this.name, namespace: this.namespace, labels: podLabels },
      spec: {
        runInterval: runInterval.text,
        timeout: timeout.text,
        extraLabels: podLabels,
        podSpec: api._podSpec({ metadata: { labels: podLabels }, spec: k8s.toJson_PodSpec(podSpec) }),
      },
    });
    // The checker only calls out (to the API and Kuberhealthy): deny all ingress to it.
    this.networkPolicy = createNetworkPolicy(this, 'network-policy', {
      metadata: { name: this.name, namespace: this.namespace, labels },
      podSelector: { 'app.kubernetes.io/name': this.name },
      ingress: [],
    });
  }
}

/** A Duration in whole seconds, and as the Go duration (`time.ParseDuration`) Kuberhealthy reads, e.g. `1h30m`. */
function checkDuration(scope: Construct, field: string, duration: Duration): { seconds: number; text: string } {
  const seconds = validateWholeSeconds(scope, field, duration, 1, Infinity, 'Duration.seconds(30) or Duration.minutes(5)');
  return { seconds, text: goDuration(scope, field, duration) };
}
