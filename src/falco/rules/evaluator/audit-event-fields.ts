import { EventFields, Extracted, FieldReference, MISSING } from './field-values';
import { ValueError } from './typed-values';

/**
 * `ka.*`, `jevt.*` and `json.*` fields of an `audit.k8s.io/v1` Event, as the
 * k8saudit plugin extracts them (falcosecurity/plugins
 * `plugins/k8saudit/pkg/k8saudit/extract.go`, with the json plugin's JSON
 * pointers): strings are taken as they are, other JSON values as their JSON
 * text (`true`, `1000`, `{"a":1}`), and a field with no value, or a list with
 * none, is missing (libsinsp's plugin_filtercheck refuses an empty result).
 */

type Json = unknown;
/** A value of the event, or undefined where the plugin finds none (ErrExtractNotAvailable or a wrong type). */
type Found = string | string[] | undefined;

/** Which part of an audit event a field reads: the bodies are only logged at the Request and RequestResponse levels. */
export type AuditEventPart = 'metadata' | 'requestObject' | 'responseObject';

/** Annotation keys the plugin reads. */
const ANNOTATIONS: Readonly<Record<string, string>> = {
  'ka.auth.decision': 'authorization.k8s.io/decision',
  'ka.auth.reason': 'authorization.k8s.io/reason',
  'ka.auth.openshift.decision': 'authentication.openshift.io/decision',
  'ka.auth.openshift.username': 'authentication.openshift.io/username',
  'ka.validations.admission.policy.failure': 'validation.policy.admission.k8s.io/validation_failure',
  'ka.security.pod.violations': 'pod-security.kubernetes.io/audit-violations',
  'ka.cluster.name': 'cluster_name',
};

/** Fields read from one path of the event (extractFromKeys). */
const PATHS: Readonly<Record<string, readonly string[]>> = {
  'ka.auditid': ['auditID'],
  'ka.stage': ['stage'],
  'ka.user.name': ['user', 'username'],
  'ka.user.groups': ['user', 'groups'],
  'ka.impuser.name': ['impersonatedUser', 'username'],
  'ka.verb': ['verb'],
  'ka.uri': ['requestURI'],
  'ka.target.name': ['objectRef', 'name'],
  'ka.target.namespace': ['objectRef', 'namespace'],
  'ka.target.resource': ['objectRef', 'resource'],
  'ka.target.subresource': ['objectRef', 'subresource'],
  'ka.req.binding.subjects': ['requestObject', 'subjects'],
  'ka.req.binding.role': ['requestObject', 'roleRef', 'name'],
  'ka.req.configmap.name': ['objectRef', 'name'],
  'ka.req.configmap.obj': ['requestObject', 'data'],
  'ka.req.pod.host_ipc': ['requestObject', 'spec', 'hostIPC'],
  'ka.req.pod.host_network': ['requestObject', 'spec', 'hostNetwork'],
  'ka.req.container.host_network': ['requestObject', 'spec', 'hostNetwork'],
  'ka.req.pod.host_pid': ['requestObject', 'spec', 'hostPID'],
  'ka.req.pod.run_as_user': ['requestObject', 'spec', 'securityContext', 'runAsUser'],
  'ka.req.pod.run_as_group': ['requestObject', 'spec', 'securityContext', 'runAsGroup'],
  'ka.req.role.rules': ['requestObject', 'rules'],
  'ka.req.pod.fs_group': ['requestObject', 'spec', 'securityContext', 'fsGroup'],
  'ka.req.pod.supplemental_groups': ['requestObject', 'spec', 'securityContext', 'supplementalGroups'],
  'ka.req.service.type': ['requestObject', 'spec', 'type'],
  'ka.resp.name': ['responseObject', 'metadata', 'name'],
  'ka.response.code': ['responseStatus', 'code'],
  'ka.response.reason': ['responseStatus', 'reason'],
  'ka.useragent': ['userAgent'],
};

const LIST_PATHS = new Set(['ka.user.groups', 'ka.req.binding.subjects', 'ka.req.role.rules', 'ka.req.pod.supplemental_groups']);
const CONTAINER_FIELD = /^ka\.req\.pod\.(containers|initContainers|ephemeralContainers)\.(.+)$/;
const SUBJECT_KINDS: Readonly<Record<string, string>> = {
  'ka.req.binding.subjects.user_names': 'User',
  'ka.req.binding.subjects.serviceaccount_names': 'ServiceAccount',
  'ka.req.binding.subjects.serviceaccount_ns_names': 'NamespacedServiceAccount',
  'ka.req.binding.subjects.group_names': 'Group',
};

/** The part of the event a field reads, for the audit policy cross-check. */
export function auditEventPart(field: FieldReference): AuditEventPart {
  const { name, arg } = field;
  if (name === 'ka.target.pod.name' || name.startsWith('ka.resp.')) return 'responseObject';
  if (name.startsWith('ka.req.') && name !== 'ka.req.configmap.name') return 'requestObject';
  if ((name === 'jevt.value' || name === 'json.value') && arg !== undefined) {
    if (arg.startsWith('/requestObject')) return 'requestObject';
    if (arg.startsWith('/responseObject')) return 'responseObject';
  }
  return 'metadata';
}

function get(value: Json, ...keys: string[]): Json {
  let current = value;
  for (const key of keys) {
    if (current === null || typeof current !== 'object' || Array.isArray(current)) return undefined;
    current = (current as Record<string, Json>)[key];
  }
  return current;
}

/** jsonValueAsString: a string as it is, anything else as JSON text. */
function asString(value: Json): string | undefined {
  if (value === undefined) return undefined;
  return typeof value === 'string' ? value : JSON.stringify(value);
}

/** getValuesRecursive: walks `keys`, fanning out over arrays (or taking element `index` of each). */
function valuesAt(value: Json, index: number | undefined, keys: readonly string[]): Json[] | undefined {
  let current = value;
  for (let k = 0; k < keys.length; k++) {
    if (Array.isArray(current)) {
      if (index === undefined) return current.flatMap((element) => valuesAt(element, index, keys.slice(k)) ?? [undefined]);
      if (index >= current.length) return undefined;
      current = current[index];
    }
    current = keys[k] === '' ? current : get(current, keys[k]);
    if (current === undefined) return undefined;
  }
  return [current];
}

function strings(values: Json[] | undefined, skipMissing: boolean): string[] | undefined {
  if (!values) return undefined;
  const result = skipMissing ? values.filter((v) => v !== undefined).map((v) => asString(v)!) : values.map(asString);
  return result.some((v) => v === undefined) ? undefined : result as string[];
}

/** An RFC 6901 JSON pointer, as the json plugin's jevt.value / json.value read it. */
function pointer(event: Json, path: string): Json {
  if (path === '') return event;
  if (!path.startsWith('/')) return undefined;
  return path.slice(1).split('/').map((t) => t.replace(/~1/g, '/').replace(/~0/g, '~')).reduce<Json>((current, token) => {
    if (Array.isArray(current)) return /^[0-9]+$/.test(token) ? current[Number(token)] : undefined;
    return get(current, token);
  }, event);
}

/** The fields of one audit event. */
export class AuditEventFields implements EventFields {
  constructor(private readonly event: Record<string, Json>) {
    if (event === null || typeof event !== 'object' || Array.isArray(event)) {
      throw new ValueError('an audit event must be a JSON object (an audit.k8s.io/v1 Event)');
    }
    if (event.auditID === undefined) {
      throw new ValueError('the audit event has no "auditID", so the k8saudit plugin extracts no field from it: add one, e.g. "auditID": "test-1"');
    }
  }

  public get(field: FieldReference): Extracted {
    const found = this.find(field);
    if (found === undefined || (Array.isArray(found) && found.length === 0)) return MISSING;
    return { state: 'values', values: Array.isArray(found) ? found : [found] };
  }

  private find(field: FieldReference): Found {
    const { name, arg } = field;
    const index = arg !== undefined && /^[0-9]+$/.test(arg) ? Number(arg) : undefined;
    const container = CONTAINER_FIELD.exec(name);
    if (container) return this.containerField(container[1], container[2], index);
    const annotation = ANNOTATIONS[name];
    if (annotation) return asString(get(this.event, 'annotations', annotation));
    const path = PATHS[name];
    if (path) {
      const value = get(this.event, ...path);
      if (!LIST_PATHS.has(name)) return asString(value);
      return Array.isArray(value) ? strings(value, false) : undefined;
    }
    if (SUBJECT_KINDS[name]) return this.subjectNames(SUBJECT_KINDS[name]);
    return this.special(name, arg, index);
  }

  private special(name: string, arg: string | undefined, index: number | undefined): Found {
    const e = this.event;
    switch (name) {
      case 'ka.uri.param': {
        const uri = asString(e.requestURI);
        if (uri === undefined || arg === undefined) return undefined;
        return new URL(uri, 'http://apiserver').searchParams.get(arg) ?? undefined;
      }
      case 'ka.target.pod.name':
        return get(e, 'objectRef', 'resource') === 'pods' && !get(e, 'objectRef', 'subresource') ? asString(get(e, 'responseObject', 'metadata', 'name')) : undefined;
      case 'ka.req.binding.subject.has_name':
        return 'true';
      case 'ka.req.container.image':
        return this.containerField('containers', 'image', 0)?.[0];
      case 'ka.req.container.image.repository':
        return this.containerField('containers', 'image.repository', 0)?.[0];
      case 'ka.req.container.privileged': {
        const values = valuesAt(e, undefined, ['requestObject', 'spec', 'containers', 'securityContext', 'privileged']);
        if (!values) return undefined;
        return values.some((v) => v === true) ? 'true' : 'false';
      }
      case 'ka.req.role.rules.apiGroups':
      case 'ka.req.role.rules.nonResourceURLs':
      case 'ka.req.role.rules.verbs':
      case 'ka.req.role.rules.resources':
        return this.flattened(['requestObject', 'rules', name.slice('ka.req.role.rules.'.length)], index);
      case 'ka.sourceips':
        return this.flattened(['requestObject', 'rules', 'sourceIPs'], index);
      case 'ka.req.service.ports':
        return strings(valuesAt(e, index, ['requestObject', 'spec', 'ports']), true);
      case 'ka.req.pod.volumes.hostpath':
        return strings(valuesAt(e, index, ['requestObject', 'spec', 'volumes', 'hostPath', 'path']), true);
      case 'ka.req.pod.volumes.flexvolume_driver':
        return strings(valuesAt(e, index, ['requestObject', 'spec', 'volumes', 'flexVolume', 'driver']), true);
      case 'ka.req.pod.volumes.volume_type':
        return (valuesAt(e, index, ['requestObject', 'spec', 'volumes', '']) ?? [])
          .flatMap((v) => (v !== null && typeof v === 'object' && !Array.isArray(v) ? Object.keys(v).filter((k) => k !== 'name') : []));
      case 'ka.req.volume.hostpath': {
        const paths = strings(valuesAt(e, undefined, ['requestObject', 'spec', 'volumes', 'hostPath', 'path']), true);
        if (!paths || arg === undefined) return undefined;
        const prefix = arg.endsWith('*') ? arg.slice(0, -1) : undefined;
        return paths.some((p) => (prefix !== undefined && p.startsWith(prefix)) || p === arg) ? 'true' : 'false';
      }
      case 'jevt.value':
      case 'json.value':
        return asString(pointer(e, arg ?? ''));
      case 'jevt.obj':
      case 'json.obj':
        return JSON.stringify(e);
      default:
        // evt.* and the raw times are not in the audit event: set them with `event`.
        return undefined;
    }
  }

  /** extractRulesField: the arrays at a path, flattened. */
  private flattened(keys: string[], index: number | undefined): string[] | undefined {
    const values = valuesAt(this.event, index, keys);
    if (!values) return undefined;
    return values.flatMap((v) => (Array.isArray(v) ? v.filter((x) => x !== undefined && x !== null).map((x) => asString(x)!) : []));
  }

  private subjectNames(kind: string): string[] | undefined {
    const subjects = get(this.event, 'requestObject', 'subjects');
    if (subjects === undefined) return [];
    if (!Array.isArray(subjects)) return undefined;
    const namespaced = kind === 'NamespacedServiceAccount';
    const wanted = namespaced ? 'ServiceAccount' : kind;
    return subjects.flatMap((s) => {
      const subjectKind = asString(get(s, 'kind'));
      const name = asString(get(s, 'name'));
      if (subjectKind !== wanted || name === undefined) return [];
      if (!namespaced) return [name];
      const namespace = asString(get(s, 'namespace'));
      return namespace === undefined ? [] : [`${namespace}:${name}`];
    });
  }

  private containerField(list: string, field: string, index: number | undefined): string[] | undefined {
    const at = (...keys: string[]) => valuesAt(this.event, index, ['requestObject', 'spec', list, ...keys]);
    switch (field) {
      case 'args':
      case 'command': {
        const joined = (at(field) ?? []).filter((v) => v !== undefined).map((v) => (Array.isArray(v) && v.every((x) => typeof x === 'string') ? v.join(' ') : undefined));
        return joined.length === 0 || joined.some((j) => j === undefined) ? undefined : joined as string[];
      }
      case 'name':
      case 'image':
        return strings(at(field), false);
      case 'image.repository':
        return strings(at('image'), false)?.map((image) => image.split(':')[0].split('@')[0]);
      case 'host_port':
        return (at('ports') ?? []).filter((p): p is Json[] => Array.isArray(p)).flatMap((ports) => ports.flatMap((port) => {
          const value = get(port, 'hostPort') ?? get(port, 'containerPort');
          return value === undefined ? [] : [asString(value)!];
        }));
      case 'eff_run_as_user':
      case 'eff_run_as_group': {
        // As the plugin reads them: the pod's spec.runAsUser (not its securityContext) as the default of each container's runAsUser.
        const key = field === 'eff_run_as_user' ? 'runAsUser' : 'runAsGroup';
        const podValue = asString(get(this.event, 'requestObject', 'spec', key)) ?? '0';
        return at(key)?.map((v) => asString(v) ?? podValue);
      }
      default: {
        const keys = CONTAINER_SECURITY[field];
        return keys ? strings(at('securityContext', ...keys), true) : undefined;
      }
    }
  }
}

const CONTAINER_SECURITY: Readonly<Record<string, readonly string[]>> = {
  privileged: ['privileged'],
  allow_privilege_escalation: ['allowPrivilegeEscalation'],
  read_only_fs: ['readOnlyRootFilesystem'],
  run_as_user: ['runAsUser'],
  run_as_group: ['runAsGroup'],
  proc_mount: ['procMount'],
  add_capabilities: ['capabilities', 'add'],
};
