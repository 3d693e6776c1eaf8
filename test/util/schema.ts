/**
 * Schema validation of synthesized objects, strict like a server-side dry-run
 * with `--validate=strict`:
 * - core kinds: types, required fields and enums from the Kubernetes OpenAPI
 *   schema (kubernetes-models), and unknown fields rejected using the API's
 *   field catalogue (@kubernetes/client-node models);
 * - custom resources: the `openAPIV3Schema` of their CRD in ../shared/crds,
 *   unknown fields rejected unless the schema preserves them;
 * - names and namespaces: DNS-1123 names, no namespace on cluster-scoped
 *   objects, an explicit namespace on namespaced ones;
 * - size: ConfigMap and Secret data within 1 MiB, every object within what etcd stores.
 */
import * as fs from 'fs';
import * as path from 'path';
import * as models from '@kubernetes/client-node/dist/gen/model/models';
import Ajv, { ValidateFunction } from 'ajv';
import { parseAllDocuments } from 'yaml';
import { Manifest } from './synth';
import { objectSizeErrors } from '../../src/common/object-size';

/** The upstream CRDs; CI clones the project next to `shared/`. */
export const CRD_DIR = process.env.SECURITY_MONITORING_CRD_DIR ?? path.join(__dirname, '..', '..', '..', 'shared', 'crds');

const CLUSTER_SCOPED_CORE_KINDS = new Set([
  'Namespace', 'Node', 'PersistentVolume', 'ClusterRole', 'ClusterRoleBinding', 'PriorityClass',
  'StorageClass', 'CustomResourceDefinition', 'ValidatingWebhookConfiguration',
  'MutatingWebhookConfiguration', 'RuntimeClass', 'APIService', 'IngressClass',
]);

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const isDnsSubdomain = (s: string) => s.length <= 253 && s.split('.').every((l) => DNS_LABEL.test(l));

interface CrdSchema {
  readonly validate: () => ValidateFunction;
  readonly namespaced: boolean;
}

/**
 * CRD patterns are Go regular expressions; the only Go-only syntax in ours is the
 * `(?i)` flag, which JavaScript spells as the `i` flag of the whole expression.
 */
function goRegExp(pattern: string, flags: string): RegExp {
  return pattern.includes('(?i)') ? new RegExp(pattern.replace(/\(\?i\)/g, ''), `${flags}i`) : new RegExp(pattern, flags);
}

let crdSchemas: Map<string, CrdSchema> | undefined;

/** Turns a CRD's structural schema into a JSON schema that ajv checks as strictly as the API server. */
function toStrictJsonSchema(schema: any): any {
  if (Array.isArray(schema)) return schema.map(toStrictJsonSchema);
  if (schema === null || typeof schema !== 'object') return schema;
  const out: any = {};
  for (const [key, value] of Object.entries(schema)) {
    out[key] = key === 'properties' ? Object.fromEntries(Object.entries(value as object).map(([k, v]) => [k, toStrictJsonSchema(v)])) : toStrictJsonSchema(value);
  }
  if (schema['x-kubernetes-int-or-string']) {
    delete out.type;
    out.anyOf = [{ type: 'integer' }, { type: 'string' }];
  }
  if (schema.nullable && typeof out.type === 'string') out.type = [out.type, 'null'];
  if (out.properties && out.additionalProperties === undefined && !schema['x-kubernetes-preserve-unknown-fields']) {
    out.additionalProperties = false;
  }
  return out;
}

export function loadCrdSchemas(): Map<string, CrdSchema> {
  if (crdSchemas) return crdSchemas;
  if (!fs.existsSync(CRD_DIR)) {
    throw new Error(`CRD directory ${CRD_DIR} not found: clone the project next to shared/ or set SECURITY_MONITORING_CRD_DIR`);
  }
  const ajv = new Ajv({ strict: false, allErrors: true, validateFormats: false, code: { regExp: goRegExp as any } });
  const result = new Map<string, CrdSchema>();
  for (const file of fs.readdirSync(CRD_DIR).filter((f) => f.endsWith('.yaml')).sort()) {
    for (const doc of parseAllDocuments(fs.readFileSync(path.join(CRD_DIR, file), 'utf8'))) {
      const crd = doc.toJS();
      if (crd?.kind !== 'CustomResourceDefinition') continue;
      for (const version of crd.spec.versions) {
        if (!version.served) continue;
        let compiled: ValidateFunction | undefined;
        result.set(`${crd.spec.group}/${version.name}/${crd.spec.names.kind}`, {
          // Compiled on first use: the AlertmanagerConfig and Kuberhealthy schemas are large.
          validate: () => compiled ??= ajv.compile(toStrictJsonSchema(version.schema.openAPIV3Schema)),
          namespaced: crd.spec.scope === 'Namespaced',
        });
      }
    }
  }
  crdSchemas = result;
  return result;
}

/** The client-node model name of a core kind, e.g. `V1DaemonSet` for apps/v1 DaemonSet. */
function coreModelName(apiVersion: string, kind: string): string {
  const version = apiVersion.split('/').pop()!;
  return `${version.charAt(0).toUpperCase()}${version.slice(1)}${kind}`;
}

function isCoreGroup(apiVersion: string): boolean {
  const group = apiVersion.includes('/') ? apiVersion.split('/')[0] : '';
  return group === '' || group.endsWith('.k8s.io') || !group.includes('.');
}

/** Reports fields that the Kubernetes API does not define, walking the client-node type catalogue. */
function unknownFields(value: unknown, type: string, where: string, errors: string[]): void {
  if (value === null || value === undefined) return;
  const array = /^Array<(.+)>$/.exec(type);
  if (array) {
    if (Array.isArray(value)) value.forEach((item, i) => unknownFields(item, array[1], `${where}[${i}]`, errors));
    return;
  }
  const map = /^\{ \[key: string\]: (.+); \}$/.exec(type);
  if (map) {
    if (typeof value === 'object') for (const [k, v] of Object.entries(value as object)) unknownFields(v, map[1], `${where}.${k}`, errors);
    return;
  }
  const model = (models as any)[type];
  if (!model?.getAttributeTypeMap || typeof value !== 'object' || Array.isArray(value)) return;
  const attributes = new Map<string, string>(model.getAttributeTypeMap().map((a: any) => [a.baseName, a.type]));
  for (const [key, child] of Object.entries(value as object)) {
    const childType = attributes.get(key);
    if (childType === undefined) {
      errors.push(`${where}.${key}: unknown field (not in ${type})`);
    } else {
      unknownFields(child, childType, `${where}.${key}`, errors);
    }
  }
}

function validateCore(manifest: Manifest, errors: string[]): boolean | undefined {
  const modelName = coreModelName(manifest.apiVersion, manifest.kind);
  let modelClass: any;
  try {
    // The module is chosen by the object's apiVersion, so it cannot be a static import.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    modelClass = require(`kubernetes-models/${manifest.apiVersion}`)[manifest.kind];
  } catch {
    modelClass = undefined;
  }
  if (!(models as any)[modelName] || !modelClass) {
    errors.push(`no Kubernetes schema for ${manifest.apiVersion} ${manifest.kind}`);
    return undefined;
  }
  try {
    new modelClass(manifest).validate();
  } catch (e: any) {
    errors.push(`schema: ${e.message}`);
  }
  unknownFields(manifest, modelName, '', errors);
  return !CLUSTER_SCOPED_CORE_KINDS.has(manifest.kind);
}

function validateCustom(manifest: Manifest, errors: string[]): boolean | undefined {
  const schema = loadCrdSchemas().get(`${manifest.apiVersion}/${manifest.kind}`);
  if (!schema) {
    errors.push(`no CRD in ${CRD_DIR} defines ${manifest.apiVersion} ${manifest.kind}`);
    return undefined;
  }
  const validate = schema.validate();
  if (!validate(manifest)) {
    for (const e of validate.errors ?? []) {
      const extra = e.keyword === 'additionalProperties' ? ` "${(e.params as any).additionalProperty}"` : '';
      errors.push(`${e.instancePath || '/'}: ${e.message}${extra}`);
    }
  }
  unknownFields(manifest.metadata, 'V1ObjectMeta', '.metadata', errors);
  return schema.namespaced;
}

/** Returns the schema errors of one object (empty if it is valid). */
export function schemaErrors(manifest: Manifest): string[] {
  const errors: string[] = [];
  if (typeof manifest?.apiVersion !== 'string' || typeof manifest?.kind !== 'string') {
    return ['apiVersion and kind are required'];
  }
  const name = manifest.metadata?.name;
  if (typeof name !== 'string' || !isDnsSubdomain(name)) errors.push(`metadata.name ${JSON.stringify(name)} is not a DNS-1123 subdomain`);
  const namespaced = isCoreGroup(manifest.apiVersion) ? validateCore(manifest, errors) : validateCustom(manifest, errors);
  errors.push(...objectSizeErrors(manifest));
  const namespace = manifest.metadata?.namespace;
  if (namespaced === false && namespace !== undefined) {
    errors.push(`cluster-scoped ${manifest.kind} must not set metadata.namespace (got ${JSON.stringify(namespace)})`);
  }
  if (namespaced === true && (typeof namespace !== 'string' || !DNS_LABEL.test(namespace))) {
    errors.push(`namespaced ${manifest.kind} needs an explicit, valid metadata.namespace (got ${JSON.stringify(namespace)})`);
  }
  return errors;
}

/** Fails the test, listing every invalid object and why, unless all objects are valid. */
export function expectValidManifests(manifests: Manifest[]): void {
  const report = manifests
    .map((m) => ({ m, errors: schemaErrors(m) }))
    .filter(({ errors }) => errors.length > 0)
    .map(({ m, errors }) => `${m?.apiVersion} ${m?.kind} ${m?.metadata?.namespace ?? ''}/${m?.metadata?.name}:\n  ${errors.join('\n  ')}`);
  if (report.length > 0) {
    throw new Error(`${report.length} of ${manifests.length} objects are invalid:\n${report.join('\n')}`);
  }
}
