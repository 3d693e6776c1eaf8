import { ApiObject, Duration, Lazy } from 'cdk8s';
import { k8s } from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { KuberhealthyApi, KuberhealthyCheck } from './kuberhealthy-check';
import { constructScope, requiredArgument } from '../common/arguments';
import { validateDnsLabel, validateDnsSubdomain, validateLabels, validationError } from '../common/validation';

/** curl 8.11.1 on Alpine: a shell, curl, grep and cut are all the check needs. */
const CHECKER_IMAGE = 'docker.io/curlimages/curl:8.11.1';

/** A DaemonSet the check watches. */
export interface DaemonSetReference {
  /** Namespace of the DaemonSet. */
  readonly namespace: string;
  /** Name of the DaemonSet. */
  readonly name: string;
}

/** Properties of a `DaemonSetHealthCheck`. */
export interface DaemonSetHealthCheckProps {
  /** The DaemonSets that must be fully scheduled and ready, e.g. Falco's and Fluent Bit's. */
  readonly daemonSets: DaemonSetReference[];
  /** Name of the check, its ServiceAccount and RBAC objects. @default 'security-daemonsets' */
  readonly name?: string;
  /** Namespace of the check. */
  readonly namespace: string;
  /** Which Kuberhealthy runs the check. @default KuberhealthyApi.v3() */
  readonly api?: KuberhealthyApi;
  /** How often it runs. @default Duration.minutes(5) */
  readonly runInterval?: Duration;
  /** Pinned checker image with `sh`, `curl`, `grep` and `cut`. @default 'docker.io/curlimages/curl:8.11.1' */
  readonly image?: string;
  /** Labels of every object. @default - none */
  readonly labels?: { [key: string]: string };
}

// Reads each DaemonSet from the API server and reports to Kuberhealthy. The
// API server answers compact JSON in which these status fields occur once;
// absent ones (omitempty) are 0. Messages are built from DNS names only, so
// they need no JSON escaping.
const SCRIPT = `#!/bin/sh
set -u
SA=/var/run/secrets/kubernetes.io/serviceaccount
TOKEN=$(cat "$SA/token")
field() { printf '%s' "$BODY" | grep -o "\\"$1\\":[0-9]*" | head -n 1 | cut -d: -f2; }
ERRORS=""
add_error() { ERRORS="$ERRORS\${ERRORS:+,}\\"$1\\""; }
for TARGET in $DAEMONSETS; do
  NS=\${TARGET%%/*}; NAME=\${TARGET#*/}
  if ! BODY=$(curl -sS --fail --max-time 10 --cacert "$SA/ca.crt" -H "Authorization: Bearer $TOKEN" \\
      "https://kubernetes.default.svc/apis/apps/v1/namespaces/$NS/daemonsets/$NAME"); then
    add_error "DaemonSet $TARGET cannot be read"; continue
  fi
  DESIRED=$(field desiredNumberScheduled); READY=$(field numberReady); UPDATED=$(field updatedNumberScheduled)
  DESIRED=\${DESIRED:-0}; READY=\${READY:-0}; UPDATED=\${UPDATED:-0}
  if [ "$DESIRED" -eq 0 ]; then add_error "DaemonSet $TARGET is scheduled on no node";
  elif [ "$READY" -lt "$DESIRED" ]; then add_error "DaemonSet $TARGET has $READY of $DESIRED pods ready";
  elif [ "$UPDATED" -lt "$DESIRED" ]; then add_error "DaemonSet $TARGET has $UPDATED of $DESIRED pods updated"; fi
done
if [ -z "$ERRORS" ]; then REPORT='{"ok":true,"errors":[]}'; else REPORT="{\\"ok\\":false,\\"errors\\":[$ERRORS]}"; fi
exec curl -sS --fail --max-time 10 -X POST -H 'Content-Type: application/json' -H "kh-run-uuid: \${KH_RUN_UUID:-}" \\
  --data "$REPORT" "$KH_REPORTING_URL"
`;

/**
 * A Kuberhealthy check that the stack's own agents run everywhere: each
 * listed DaemonSet has a pod scheduled, ready and updated on every node it
 * targets. A detector that silently stopped running is the failure nobody
 * notices; this makes it an alert. Its ServiceAccount may only `get` the
 * listed DaemonSets (a Role per namespace, with `resourceNames`).
 */
export class DaemonSetHealthCheck extends Construct {
  /** The Kuberhealthy check, the primary object (`node.defaultChild`); its objects are its own escape hatches (`check.healthCheck`). */
  public readonly check: KuberhealthyCheck;
  /** The ServiceAccount the checker pod runs as. */
  public readonly serviceAccount: ApiObject;
  /** The Role per watched namespace that may `get` the watched DaemonSets, by namespace. */
  public readonly roles: { [namespace: string]: ApiObject } = {};
  /** The binding of each Role to `serviceAccount`, by namespace. */
  public readonly roleBindings: { [namespace: string]: ApiObject } = {};

  private readonly checkName: string;
  private readonly checkNamespace: string;
  private readonly labels: { [key: string]: string };
  /** The watched DaemonSets' names (sorted) by namespace, namespaces in the order added. */
  private readonly byNamespace = new Map<string, string[]>();

  constructor(scope: Construct, id: string, props: DaemonSetHealthCheckProps) {
    super(constructScope('DaemonSetHealthCheck', scope, id), id);
    props = requiredArgument(this, 'props', props, '{ namespace: "security-monitoring", daemonSets: [{ name: "falco", namespace: "falco" }] }');
    this.checkName = validateDnsLabel(this, 'name', props.name ?? 'security-daemonsets');
    this.checkNamespace = validateDnsLabel(this, 'namespace', props.namespace);
    this.labels = validateLabels(this, 'labels', props.labels ?? {});
    if (!props.daemonSets?.length) {
      throw validationError(this, 'daemonSets is empty', props.daemonSets, 'list the DaemonSets to watch, e.g. { namespace: "falco", name: "falco" }');
    }
    const { checkName: name, checkNamespace: namespace, labels } = this;
    this.serviceAccount = new k8s.KubeServiceAccount(this, 'service-account', { metadata: { name, namespace, labels } });
    props.daemonSets.forEach((ds) => this.addDaemonSet(ds));

    // DaemonSets may be added after construction (a Filebeat pipeline added to the stack): listed at synth time.
    const daemonSets = Lazy.any({ produce: () => this.daemonSets.map((ds) => `${ds.namespace}/${ds.name}`).join(' ') });
    this.check = new KuberhealthyCheck(this, 'Resource', {
      name,
      namespace,
      labels,
      api: props.api,
      runInterval: props.runInterval ?? Duration.minutes(5),
      timeout: Duration.minutes(1),
      image: props.image ?? CHECKER_IMAGE,
      command: ['/bin/sh', '/scripts/check.sh'],
      // A token the check's env renders as the string it produces.
      env: { DAEMONSETS: daemonSets as unknown as string },
      scripts: { 'check.sh': SCRIPT },
      serviceAccountName: name,
    });
  }

  /** The watched DaemonSets, grouped by namespace. */
  public get daemonSets(): DaemonSetReference[] {
    return [...this.byNamespace].flatMap(([namespace, names]) => names.map((name) => ({ namespace, name })));
  }

  /**
   * Watches one more DaemonSet: the check's ServiceAccount may `get` it (a
   * Role in its namespace, with `resourceNames`).
   * @throws if it is already watched or its names are not valid
   */
  public addDaemonSet(daemonSet: DaemonSetReference): void {
    daemonSet = requiredArgument(this, 'daemonSet', daemonSet, '{ namespace: "security-logging", name: "filebeat" }');
    const namespace = validateDnsLabel(this, 'daemonSets namespace', daemonSet.namespace);
    const name = validateDnsSubdomain(this, 'daemonSets name', daemonSet.name);
    const names = this.byNamespace.get(namespace);
    if (names?.includes(name)) throw validationError(this, 'DaemonSet listed twice', `${namespace}/${name}`, 'list each DaemonSet once');
    if (names) {
      // The Role below holds this array: sorted in place, it renders sorted.
      names.push(name);
      names.sort();
      return;
    }
    const added = [name];
    this.byNamespace.set(namespace, added);
    const metadata = { name: this.checkName, namespace, labels: this.labels };
    this.roles[namespace] = new k8s.KubeRole(this, `${namespace}-role`, {
      metadata,
      rules: [{ apiGroups: ['apps'], resources: ['daemonsets'], resourceNames: added, verbs: ['get'] }],
    });
    this.roleBindings[namespace] = new k8s.KubeRoleBinding(this, `${namespace}-role-binding`, {
      metadata,
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: this.checkName },
      subjects: [{ kind: 'ServiceAccount', name: this.checkName, namespace: this.checkNamespace }],
    });
  }
}
