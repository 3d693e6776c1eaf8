/**
 * The fields of Falco plugins by plugin and version, from each plugin's own
 * field table (plugin-fields.generated.ts), and Falco's rule for whether an
 * installed plugin satisfies a rules file's `required_plugin_versions`.
 */
import { ArgumentForm, FieldArgument, FieldCatalogue, GENERIC_FIELDS, SYSCALL_FIELDS } from './field-catalogue';
import type { PluginFieldData, PluginFieldTable } from './plugin-fields.generated';

let loadedTables: Readonly<Record<string, PluginFieldData>> | undefined;

/** The generated tables (about 70 kB), loaded when rules are first checked rather than with the library. */
function fieldTables(): Readonly<Record<string, PluginFieldData>> {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  loadedTables ??= (require('./plugin-fields.generated') as typeof import('./plugin-fields.generated')).PLUGIN_FIELD_TABLES;
  return loadedTables;
}

/** A version as numbers; a missing part (`0.16` as a falcoctl tag) is any release of the line, the newest. */
function versionParts(version: string): number[] | undefined {
  const match = /^v?(\d+)(?:\.(\d+))?(?:\.(\d+))?(?:[-+].*)?$/.exec(version.trim());
  if (!match) return undefined;
  return [Number(match[1]), match[2] === undefined ? Infinity : Number(match[2]), match[3] === undefined ? Infinity : Number(match[3])];
}

function compareParts(a: number[], b: number[]): number {
  for (let i = 0; i < 3; i++) if (a[i] !== b[i]) return a[i] < b[i] ? -1 : 1;
  return 0;
}

/** Whether `version` parses as Falco's plugin versions do (semver, optionally without patch for a falcoctl tag). */
export function isPluginVersion(version: string): boolean {
  return versionParts(version) !== undefined;
}

/**
 * Falco's check of an installed plugin against a requirement (libsinsp
 * `sinsp_version::compatible_with`): the same major version, and a minor.patch
 * at least the required one. An installed `0.16` (a falcoctl tag) is the newest 0.16.x.
 */
export function satisfiesRequirement(installed: string, required: string): boolean {
  const have = versionParts(installed);
  const want = versionParts(required);
  if (!have || !want) return true;
  return have[0] === want[0] && compareParts(have, want) >= 0;
}

/** The later of two versions (the one a rules file set must have at least). */
export function laterVersion(a: string | undefined, b: string): string {
  if (a === undefined) return b;
  const pa = versionParts(a);
  const pb = versionParts(b);
  return pa && pb && compareParts(pb, pa) > 0 ? b : a;
}

/** Whether the library has the field table of the plugin. */
export function hasFieldTable(plugin: string): boolean {
  return fieldTables()[plugin] !== undefined;
}

/** The event source a plugin produces, per the registry; undefined for an extractor or an unknown plugin. */
export function pluginSource(plugin: string): string | undefined {
  return fieldTables()[plugin]?.source || undefined;
}

/** Whether the plugin's fields can be used in rules of `source`. */
export function extractsFrom(plugin: string, source: string): boolean {
  const data = fieldTables()[plugin];
  if (!data) return false;
  return data.extracts.length === 0 || data.extracts.includes(source);
}

/** The plugin with a field table that produces `source`, the first in the table order (k8saudit for k8s_audit). */
export function tabledPluginOf(source: string): string | undefined {
  return Object.keys(fieldTables()).find((name) => fieldTables()[name].source === source);
}

const parsedTables = new Map<PluginFieldTable, FieldCatalogue>();

/**
 * The fields of `plugin` at `version`: the table of the newest release not after
 * it (the oldest table for an older version); the newest table without a version.
 * Undefined for a plugin without a table.
 */
export function pluginFields(plugin: string, version?: string): FieldCatalogue | undefined {
  const tables = fieldTables()[plugin]?.tables;
  if (!tables || tables.length === 0) return undefined;
  const wanted = version === undefined ? undefined : versionParts(version);
  let table = tables[wanted ? 0 : tables.length - 1];
  if (wanted) {
    for (const t of tables) if (compareParts(versionParts(t.since)!, wanted) <= 0) table = t;
  }
  let fields = parsedTables.get(table);
  if (!fields) {
    const map = new Map<string, FieldArgument>();
    for (const token of table.fields.split(' ')) {
      const [name, , arg] = token.split(':');
      map.set(name, arg === '' ? FieldArgument.NONE : arg === arg.toUpperCase() ? FieldArgument.REQUIRED : FieldArgument.ALLOWED);
    }
    fields = map;
    parsedTables.set(table, fields);
  }
  return fields;
}

/** The newest version the library has a field table for. */
export function newestTabledVersion(plugin: string): string | undefined {
  const tables = fieldTables()[plugin]?.tables;
  return tables?.[tables.length - 1]?.since;
}

/**
 * How plugin fields take their argument: always in brackets, a number where the
 * table says Index only (`ka.req.pod.containers.image[0]`), a key otherwise
 * (`container.label[app]`, `json.value[/user]`).
 */
let argumentForms: Map<string, ArgumentForm> | undefined;
export function pluginArgumentForm(field: string): ArgumentForm | undefined {
  if (argumentForms) return argumentForms.get(field);
  const forms = new Map<string, ArgumentForm>();
  for (const data of Object.values(fieldTables())) {
    for (const table of data.tables) {
      for (const token of table.fields.split(' ')) {
        const [name, , arg] = token.split(':');
        if (arg !== '') forms.set(name, arg.toLowerCase() === 'i' ? ArgumentForm.INDEX : ArgumentForm.BRACKET);
      }
    }
  }
  argumentForms = forms;
  return forms.get(field);
}

let fieldClasses: ReadonlySet<string> | undefined;

/** The field classes (the part before the first dot, `ka` or `okta`) of every tabled plugin. */
export function pluginFieldClasses(): ReadonlySet<string> {
  fieldClasses ??= new Set(Object.values(fieldTables())
    .flatMap((data) => data.tables.flatMap((t) => t.fields.split(' ').map((token) => token.slice(0, token.indexOf('.'))))));
  return fieldClasses;
}

/**
 * The fields of a source with the newest release of each plugin: libsinsp's and
 * the container plugin's for syscall; the producing plugin's and the json
 * extractor's for a plugin source. Undefined for a source no table covers.
 */
export function newestSourceFields(source: string): FieldCatalogue[] | undefined {
  if (source === 'syscall') return [SYSCALL_FIELDS, pluginFields('container')!];
  const producer = tabledPluginOf(source);
  return producer === undefined ? undefined : [GENERIC_FIELDS, pluginFields(producer)!, pluginFields('json')!];
}
