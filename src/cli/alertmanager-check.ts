import { collect, Finding, ObjectPath } from './diagnostic';
import { EmbeddedFile, embeddedFiles } from './embedded';
import { ManifestObject } from './manifests';
import { AlertMatcher } from '../alerting/matcher';
import { didYouMean } from '../common/did-you-mean';
import { ALERTMANAGER_TEMPLATES, validateGoTemplate } from '../common/go-template';
import { validationError, validationMessage } from '../common/validation';

/** The `alertmanager.yaml` of a Secret (how both the operator and the chart read it). */
export function alertmanagerFiles(manifest: ManifestObject): EmbeddedFile[] {
  return manifest.kind === 'Secret' ? embeddedFiles(manifest).filter((f) => f.key === 'alertmanager.yaml') : [];
}

export function isAlertmanagerConfig(manifest: ManifestObject): boolean {
  return manifest.kind === 'AlertmanagerConfig' && String(manifest.object.apiVersion).startsWith('monitoring.coreos.com/');
}

/**
 * The two spellings of the same routing tree: Alertmanager's file format
 * (snake_case, matchers as text) and the operator's AlertmanagerConfig
 * (camelCase, matchers as objects).
 */
interface Dialect {
  readonly muteIntervals: string[];
  readonly routeIntervalKeys: string[];
  readonly inhibitRules: string;
  readonly inhibitMatcherKeys: string[];
  /** Builds the matcher (which validates it). */
  matcher(value: unknown): AlertMatcher;
}

const FILE: Dialect = {
  muteIntervals: ['mute_time_intervals', 'time_intervals'],
  routeIntervalKeys: ['mute_time_intervals', 'active_time_intervals'],
  inhibitRules: 'inhibit_rules',
  inhibitMatcherKeys: ['source_matchers', 'target_matchers'],
  matcher: (value) => AlertMatcher.parse(String(value)),
};

const MATCH_TYPES: Record<string, (name: string, value: string) => AlertMatcher> = {
  '=': AlertMatcher.equal, '!=': AlertMatcher.notEqual, '=~': AlertMatcher.regex, '!~': AlertMatcher.notRegex,
};

const CRD: Dialect = {
  muteIntervals: ['muteTimeIntervals'],
  routeIntervalKeys: ['muteTimeIntervals', 'activeTimeIntervals'],
  inhibitRules: 'inhibitRules',
  inhibitMatcherKeys: ['sourceMatch', 'targetMatch'],
  matcher: (value) => {
    const m = (value ?? {}) as Record<string, any>;
    // `regex: true` is the v1alpha1 spelling from before matchType existed.
    const type = m.matchType ?? (m.regex === true ? '=~' : '=');
    const build = MATCH_TYPES[type];
    if (!build) throw validationError('matcher', 'matchType is not one of =, !=, =~, !~', type, 'use =, !=, =~ or !~');
    return build(m.name, m.value ?? '');
  },
};

/** Checks the `alertmanager.yaml` of a Secret; YAML that does not parse is reported, since Alertmanager would not start. */
export function checkAlertmanagerFile(file: EmbeddedFile): Finding[] {
  if (file.parsed === null || typeof file.parsed !== 'object' || Array.isArray(file.parsed)) {
    return [{ path: file.path, item: file.key, severity: 'error', message: `${file.key} is not a YAML mapping: Alertmanager cannot load it` }];
  }
  return checkRouting(file.parsed as Record<string, any>, FILE, file.key, (p) => [...file.path, ...p]);
}

export function checkAlertmanagerConfig(manifest: ManifestObject): Finding[] {
  return checkRouting(manifest.object.spec ?? {}, CRD, undefined, (p) => ['spec', ...p]);
}

/**
 * Route receivers and time intervals exist, matchers parse, receiver fields
 * are balanced Go templates. `at` maps a path in the config to a path in the
 * manifest object, because lines are found in the manifest; findings about
 * the embedded file are located at its key.
 */
function checkRouting(config: Record<string, any>, dialect: Dialect, file: string | undefined, at: (p: ObjectPath) => ObjectPath): Finding[] {
  const findings: Finding[] = [];
  const place = (p: ObjectPath) => (file === undefined ? at(p) : at([]));
  const itemOf = (p: ObjectPath) => [file, p.join('.')].filter(Boolean).join(': ');
  const receivers: Array<Record<string, any>> = Array.isArray(config.receivers) ? config.receivers : [];
  const receiverNames = receivers.map((r) => r?.name).filter((n): n is string => typeof n === 'string');
  const intervals = dialect.muteIntervals.flatMap((key) => (Array.isArray(config[key]) ? config[key] : []))
    .map((i: Record<string, unknown>) => i?.name).filter((n): n is string => typeof n === 'string');

  const checkMatchers = (p: ObjectPath, list: unknown) => {
    if (!Array.isArray(list)) return;
    list.forEach((m, i) => collect(findings, { path: place([...p, i]), item: itemOf([...p, i]), severity: 'error' }, () => dialect.matcher(m)));
  };
  const walk = (route: Record<string, any>, p: ObjectPath) => {
    const fail = (key: string, what: string, value: unknown, fix: string) =>
      findings.push({ path: place([...p, key]), item: itemOf(p), severity: 'error', message: validationMessage(itemOf(p), what, value, fix) });
    if (route.receiver !== undefined && !receiverNames.includes(route.receiver)) {
      fail('receiver', `routes to receiver "${route.receiver}", which is not defined${didYouMean(String(route.receiver), receiverNames)}`, route.receiver,
        `add it to receivers, or use one of: ${receiverNames.join(', ') || '(none defined)'}`);
    }
    for (const key of dialect.routeIntervalKeys) {
      for (const name of Array.isArray(route[key]) ? route[key] : []) {
        if (!intervals.includes(name)) fail(key, `names time interval "${name}", which is not defined${didYouMean(String(name), intervals)}`, name, 'define it, or fix the name');
      }
    }
    checkMatchers([...p, 'matchers'], route.matchers);
    (Array.isArray(route.routes) ? route.routes : []).forEach((child: Record<string, any>, i: number) => walk(child ?? {}, [...p, 'routes', i]));
  };

  if (config.route === null || typeof config.route !== 'object') {
    findings.push({
      path: place(['route']),
      item: itemOf(['route']),
      severity: file === undefined ? 'warning' : 'error',
      message: `${itemOf(['route']) || 'config'}: has no route, so ${file === undefined ? 'this config routes no alerts' : 'Alertmanager will not start'}`,
    });
  } else {
    if (file !== undefined && config.route.receiver === undefined) {
      findings.push({ path: place(['route']), item: itemOf(['route']), severity: 'error', message: `${itemOf(['route'])}: the root route has no receiver: Alertmanager will not start` });
    }
    walk(config.route, ['route']);
  }
  (Array.isArray(config[dialect.inhibitRules]) ? config[dialect.inhibitRules] : []).forEach((rule: Record<string, any>, i: number) =>
    dialect.inhibitMatcherKeys.forEach((key) => checkMatchers([dialect.inhibitRules, i, key], rule?.[key])));
  receivers.forEach((receiver, i) => forEachString(receiver, ['receivers', i], (value, p) => {
    if (value.includes('{{') || value.includes('}}')) {
      collect(findings, { path: place(p), item: itemOf(p), severity: 'error' }, () => validateGoTemplate(itemOf(p), 'the field', value, ALERTMANAGER_TEMPLATES));
    }
  }));
  return findings;
}

function forEachString(value: unknown, p: ObjectPath, visit: (value: string, p: ObjectPath) => void): void {
  if (typeof value === 'string') visit(value, p);
  else if (Array.isArray(value)) value.forEach((v, i) => forEachString(v, [...p, i], visit));
  else if (value !== null && typeof value === 'object') Object.entries(value).forEach(([k, v]) => forEachString(v, [...p, k], visit));
}
