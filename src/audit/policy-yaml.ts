/*
 * Reading and writing `audit.k8s.io/v1` Policy documents. Unknown fields are
 * refused: in a policy a misspelt selector ("verb:") silently widens a rule.
 */
import { AuditLevel, AuditStage } from './audit-level';
import { AuditGroupResources, AuditRule } from './audit-rule';
import { validationError } from '../common/validation';
import { parseYaml, toYaml } from '../common/yaml';

const WHERE = 'AuditPolicy.fromYaml';
const API_VERSION = 'audit.k8s.io/v1';

/** The parts of a policy document the library models. */
export interface PolicyDocument {
  readonly rules: AuditRule[];
  readonly omitStages?: AuditStage[];
  readonly omitManagedFields?: boolean;
}

type Json = Record<string, unknown>;

function object(field: string, value: unknown, allowed: readonly string[]): Json {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw validationError(WHERE, `${field} must be a mapping`, value, 'write it as "key: value" lines');
  }
  const unknown = Object.keys(value).find((key) => !allowed.includes(key));
  if (unknown !== undefined) {
    throw validationError(WHERE, `${field} has an unknown field "${unknown}"`, unknown, `use only ${allowed.join(', ')}`);
  }
  return value as Json;
}

function list<T>(field: string, value: unknown, item: (field: string, value: unknown) => T): T[] | undefined {
  if (value === undefined || value === null) return undefined;
  if (!Array.isArray(value)) throw validationError(WHERE, `${field} must be a list`, value, 'write it as [a, b] or as "- a" lines');
  return value.map((v, i) => item(`${field}[${i}]`, v));
}

function text(field: string, value: unknown): string {
  if (typeof value !== 'string') throw validationError(WHERE, `${field} must be a string`, value, 'quote it, e.g. "" for the core group');
  return value;
}

function flag(field: string, value: unknown): boolean | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'boolean') throw validationError(WHERE, `${field} must be true or false`, value, 'write true or false without quotes');
  return value;
}

function groupResources(field: string, value: unknown): AuditGroupResources {
  const o = object(field, value, ['group', 'resources', 'resourceNames']);
  return {
    group: o.group === undefined || o.group === null ? '' : text(`${field}.group`, o.group),
    resources: list(`${field}.resources`, o.resources, text),
    resourceNames: list(`${field}.resourceNames`, o.resourceNames, text),
  };
}

function rule(field: string, value: unknown): AuditRule {
  const o = object(field, value, ['level', 'users', 'userGroups', 'verbs', 'resources', 'namespaces', 'nonResourceURLs', 'omitStages', 'omitManagedFields']);
  return {
    // Values are checked against the enums by the policy validation that follows.
    level: o.level as AuditLevel,
    users: list(`${field}.users`, o.users, text),
    userGroups: list(`${field}.userGroups`, o.userGroups, text),
    verbs: list(`${field}.verbs`, o.verbs, text),
    resources: list(`${field}.resources`, o.resources, groupResources),
    namespaces: list(`${field}.namespaces`, o.namespaces, text),
    nonResourceURLs: list(`${field}.nonResourceURLs`, o.nonResourceURLs, text),
    omitStages: list(`${field}.omitStages`, o.omitStages, text) as AuditStage[] | undefined,
    omitManagedFields: flag(`${field}.omitManagedFields`, o.omitManagedFields),
  };
}

/** Parses a Policy document; the caller validates it like any other policy. */
export function parsePolicy(source: string): PolicyDocument {
  let parsed: unknown;
  try {
    parsed = parseYaml(source);
  } catch (e) {
    throw validationError(WHERE, 'the text is not valid YAML', (e as Error).message.split('\n')[0], 'fix the YAML syntax');
  }
  const doc = object('the document', parsed, ['apiVersion', 'kind', 'metadata', 'omitStages', 'omitManagedFields', 'rules']);
  if (doc.apiVersion !== API_VERSION || doc.kind !== 'Policy') {
    throw validationError(WHERE, `the document is not an ${API_VERSION} Policy`, `${doc.apiVersion}/${doc.kind}`,
      `set apiVersion: ${API_VERSION} and kind: Policy (audit.k8s.io/v1beta1 was removed in Kubernetes 1.24)`);
  }
  return {
    rules: list('rules', doc.rules, rule) ?? [],
    omitStages: list('omitStages', doc.omitStages, text) as AuditStage[] | undefined,
    omitManagedFields: flag('omitManagedFields', doc.omitManagedFields),
  };
}

/** Drops unset and empty fields so the file only says what a rule selects on. */
function compact(o: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined && !(Array.isArray(v) && v.length === 0)));
}

/** Writes a Policy document with fields in a fixed order. */
export function stringifyPolicy(policy: PolicyDocument): string {
  return toYaml(compact({
    apiVersion: API_VERSION,
    kind: 'Policy',
    omitStages: policy.omitStages,
    omitManagedFields: policy.omitManagedFields,
    rules: policy.rules.map((r) => compact({
      level: r.level,
      users: r.users,
      userGroups: r.userGroups,
      verbs: r.verbs,
      resources: r.resources?.map((g) => compact({ group: g.group ?? '', resources: g.resources, resourceNames: g.resourceNames })),
      namespaces: r.namespaces,
      nonResourceURLs: r.nonResourceURLs,
      omitStages: r.omitStages,
      omitManagedFields: r.omitManagedFields,
    })),
  }));
}
