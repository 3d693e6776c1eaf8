import { FieldNode } from '../condition-ast';
import { parseFieldOperand } from '../condition-parser';
import { FIELD_TYPES, FieldArgument, FieldCatalogue, FieldType, SYSCALL_FIELDS } from '../field-catalogue';
import { parseEventValue, TypedValue, ValueError } from './typed-values';

/**
 * The values an event gives a field, as libsinsp's extraction reports them:
 * none (the field cannot be extracted for this event, e.g. `fd.name` of a
 * process event), one value, or a list. `unknown` is for analyses that reason
 * about events not fully known (three-valued logic); tests never produce it.
 */
export type Extracted =
  | { readonly state: 'missing' }
  | { readonly state: 'unknown' }
  | { readonly state: 'values'; readonly values: TypedValue[] };

export const MISSING: Extracted = { state: 'missing' };
export const UNKNOWN: Extracted = { state: 'unknown' };

/** A field of a condition, resolved against the catalogue: its base name and argument. */
export interface FieldReference {
  readonly name: string;
  readonly arg?: string;
  /** `evt.arg.flags` (by name) rather than `evt.arg[0]` (by index). */
  readonly viaDot: boolean;
}

/** Where the evaluator reads field values from. */
export interface EventFields {
  get(field: FieldReference): Extracted;
}

/** A field the catalogue does not know: Falco refuses a condition with it, and a test event may not set it. */
export class UnknownFieldError extends Error {
  constructor(public readonly field: string) {
    super(`unknown field "${field}"`);
    this.name = 'UnknownFieldError';
  }
}

/** libsinsp fields that hold lists (EPF_IS_LIST): compared with `in`, `intersects` and `exists` as sets. */
const K8S_AUDIT_LIST_FIELDS = new Set((
  'ka.user.groups ka.req.binding.subjects ka.req.binding.subjects.user_names ka.req.binding.subjects.serviceaccount_names ' +
  'ka.req.binding.subjects.serviceaccount_ns_names ka.req.binding.subjects.group_names ka.req.role.rules ' +
  'ka.req.role.rules.apiGroups ka.req.role.rules.nonResourceURLs ka.req.role.rules.verbs ka.req.role.rules.resources ' +
  'ka.req.pod.supplemental_groups ka.req.service.ports ka.req.pod.volumes.hostpath ka.req.pod.volumes.flexvolume_driver ' +
  'ka.req.pod.volumes.volume_type ka.sourceips').split(' '));

/** Whether a field extracts a list. */
export function isListField(name: string): boolean {
  return FIELD_TYPES.get(name) === FieldType.LIST || K8S_AUDIT_LIST_FIELDS.has(name) || /^ka\.req\.pod\.(containers|initContainers|ephemeralContainers)\./.test(name);
}

/** The type of a field's values (a list field: of its elements). */
export function valueType(field: FieldReference): FieldType {
  const full = field.arg !== undefined && field.viaDot ? `${field.name}.${field.arg}` : field.name;
  const type = FIELD_TYPES.get(full) ?? FIELD_TYPES.get(field.name);
  return type === undefined || type === FieldType.LIST ? FieldType.STRING : type;
}

function lookup(catalogues: readonly FieldCatalogue[], name: string): FieldArgument | undefined {
  for (const c of catalogues) {
    const kind = c.get(name);
    if (kind !== undefined) return kind;
  }
  return undefined;
}

/** Resolves `container.label.app` to `container.label` with the argument `app`, as Falco's field parser does. */
export function resolveField(field: FieldNode, catalogues: readonly FieldCatalogue[]): FieldReference {
  if (lookup(catalogues, field.name) !== undefined) return { name: field.name, arg: field.arg, viaDot: false };
  for (let dot = field.name.lastIndexOf('.'); dot > 0 && field.arg === undefined; dot = field.name.lastIndexOf('.', dot - 1)) {
    const kind = lookup(catalogues, field.name.slice(0, dot));
    if (kind !== undefined && kind !== FieldArgument.NONE) return { name: field.name.slice(0, dot), arg: field.name.slice(dot + 1), viaDot: true };
  }
  throw new UnknownFieldError(field.arg === undefined ? field.name : `${field.name}[${field.arg}]`);
}

/** One key per field and argument; only `evt.arg` means different things by index and by name. */
export function fieldKey(field: FieldReference): string {
  if (field.arg === undefined) return field.name;
  return field.viaDot && field.name === 'evt.arg' ? `${field.name}.${field.arg}` : `${field.name}[${field.arg}]`;
}

/** The fields of the current process that `proc.aname[0]`, `proc.apid[1]`, ... stand for. */
const ANCESTOR_FIELDS: Readonly<Record<string, readonly [string, string]>> = {
  'proc.aname': ['proc.name', 'proc.pname'],
  'proc.apid': ['proc.pid', 'proc.ppid'],
  'proc.aexe': ['proc.exe', 'proc.pexe'],
  'proc.aexepath': ['proc.exepath', 'proc.pexepath'],
  'proc.acmdline': ['proc.cmdline', 'proc.pcmdline'],
};

/** IP network fields extract the address of their end, compared with a network (sinsp_filtercheck_fd.cpp). */
const NETWORK_ADDRESSES: Readonly<Record<string, string>> = {
  'fd.cnet': 'fd.cip', 'fd.snet': 'fd.sip', 'fd.lnet': 'fd.lip', 'fd.rnet': 'fd.rip',
};

/**
 * The field values of a test event (`{ 'proc.name': 'bash', 'fd.types': ['ipv4'] }`),
 * checked against the catalogue of the rule's source. A field the event does
 * not set is missing, as for an event Falco cannot extract it from.
 */
export class FieldMapEvent implements EventFields {
  private readonly values = new Map<string, unknown>();

  constructor(event: Record<string, unknown>, catalogues: readonly FieldCatalogue[]) {
    for (const [key, value] of Object.entries(event)) {
      let parsed;
      try {
        parsed = parseFieldOperand(key, 0);
      } catch {
        throw new UnknownFieldError(key);
      }
      if (parsed.end !== key.length || parsed.operand.kind !== 'field') throw new UnknownFieldError(key);
      const field = resolveField(parsed.operand, catalogues);
      this.values.set(fieldKey(field), value);
      // A value of the wrong type is reported whether or not the rule reads the field.
      this.typed(field, value);
    }
  }

  public get(field: FieldReference): Extracted {
    const key = fieldKey(field);
    if (this.values.has(key)) return this.typed(field, this.values.get(key));
    const derived = this.derived(field);
    return derived === undefined ? MISSING : this.typed(field, derived);
  }

  /** Values Falco computes from others the event sets: `proc.aname[1]` is `proc.pname`, and the reverse; `fd.snet` is `fd.sip`. */
  private derived(field: FieldReference): unknown {
    const address = NETWORK_ADDRESSES[field.name];
    if (address) return this.values.get(address);
    const ancestors = ANCESTOR_FIELDS[field.name];
    if (ancestors && field.arg !== undefined && /^[0-9]+$/.test(field.arg)) {
      const depth = Number(field.arg);
      if (depth <= 1 && this.values.has(ancestors[depth])) return this.values.get(ancestors[depth]);
      const all = this.values.get(field.name);
      return Array.isArray(all) && depth >= 1 ? all[depth - 1] : undefined;
    }
    if (ancestors && field.arg === undefined && this.values.has(ancestors[1])) return [this.values.get(ancestors[1])];
    for (const [ancestor, [, parent]] of Object.entries(ANCESTOR_FIELDS)) {
      if (field.name === parent && field.arg === undefined) {
        const byIndex = this.values.get(`${ancestor}[1]`);
        const all = this.values.get(ancestor);
        return byIndex ?? (Array.isArray(all) ? all[0] : undefined);
      }
    }
    return undefined;
  }

  private typed(field: FieldReference, value: unknown): Extracted {
    if (value === undefined || value === null) return MISSING;
    const type = valueType(field);
    const listLike = isListField(field.name) || (ANCESTOR_FIELDS[field.name] !== undefined && field.arg === undefined);
    const raw = Array.isArray(value) ? value : [value];
    // A plugin's empty list is no value (plugin_filtercheck refuses it); libsinsp's fd.types may be empty.
    if (raw.length === 0 && !SYSCALL_FIELDS.has(field.name)) return MISSING;
    if (Array.isArray(value) && !listLike) {
      throw new ValueError(`the event gives field "${fieldKey(field)}" a list, but it holds one value`);
    }
    try {
      return { state: 'values', values: raw.map((v) => parseEventValue(type, v)) };
    } catch (e) {
      throw new ValueError(`the event's value of field "${fieldKey(field)}" (a ${type} field): ${(e as ValueError).reason}`);
    }
  }
}
