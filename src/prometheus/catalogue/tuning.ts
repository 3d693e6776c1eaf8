import { Duration } from 'cdk8s';
import { CatalogueAlert, RUNBOOK_BASE } from './helpers';
import { closest } from '../../common/did-you-mean';
import { durationMillis, prometheusDuration } from '../../common/duration';
import { validationError } from '../../common/validation';
import { AlertOverride, AlertTuningChange } from '../alert-override';
import { validateSeverity } from '../rule-checks';
import { PrometheusRuleGroup } from '../rule-group';
import { AlertingRuleProps, AlertTestCase } from '../rule-props';

/** The tuning options `SecurityAlerts` reads. */
export interface CatalogueTuningProps {
  readonly disabledAlerts?: string[];
  readonly alertOverrides?: { [alert: string]: AlertOverride };
  readonly runbookUrlBase?: string;
}

/**
 * Applies `disabledAlerts`, `alertOverrides` and `runbookUrlBase` to the
 * catalogue's alerts as they are added, and records what changed.
 */
export class CatalogueTuning {
  private readonly disabled: Set<string>;
  private readonly overrides: { [alert: string]: AlertOverride };
  private readonly runbookBase: string;
  private readonly changeList: AlertTuningChange[] = [];

  /** @param catalogue every alert of the catalogue, whether this deployment ships it or not */
  constructor(private readonly where: string, props: CatalogueTuningProps, catalogue: readonly CatalogueAlert[]) {
    const byName = new Map(catalogue.map((entry) => [entry.alert, entry]));
    const checkName = (field: string, name: string) => {
      if (byName.has(name)) return;
      const suggestion = closest(name, byName.keys());
      throw validationError(where, `${field} names "${name}", which is not an alert of the catalogue`, name,
        suggestion ? `did you mean "${suggestion}"?` : `use one of ${[...byName.keys()].join(', ')}`);
    };
    this.disabled = new Set(props.disabledAlerts ?? []);
    this.disabled.forEach((name) => checkName('disabledAlerts', name));
    this.overrides = props.alertOverrides ?? {};
    for (const [name, override] of Object.entries(this.overrides)) {
      checkName('alertOverrides', name);
      if (this.disabled.has(name)) {
        throw validationError(where, `alert "${name}" is both in disabledAlerts and in alertOverrides`, name, 'remove one of the two');
      }
      this.checkOverride(byName.get(name)!, override ?? {});
    }
    this.runbookBase = props.runbookUrlBase ?? RUNBOOK_BASE;
    if (!/^https?:\/\/[^\s/]+\S*$/.test(String(this.runbookBase))) {
      throw validationError(where, 'runbookUrlBase is not an http(s) URL', props.runbookUrlBase,
        'give the URL each alert name (in lower case) is appended to, e.g. "https://runbooks.example.com/security/" or "https://wiki.example.com/runbooks#"');
    }
  }

  /** The changes made to alerts this deployment ships, in catalogue order. */
  public get changes(): AlertTuningChange[] {
    return [...this.changeList];
  }

  /** Adds the alerts of `entries` that apply and are not disabled to `group` (records the disabled ones only, without a group). */
  public addTo(group: PrometheusRuleGroup | undefined, entries: readonly CatalogueAlert[]): void {
    for (const entry of entries.filter((e) => e.applies ?? true)) {
      if (this.disabled.has(entry.alert)) {
        this.changeList.push({ alert: entry.alert, setting: 'enabled', from: 'true', to: 'false' });
        continue;
      }
      group?.addAlert(this.tuned(entry));
    }
  }

  /** Whether every alert of `entries` that applies is disabled. */
  public allDisabled(entries: readonly CatalogueAlert[]): boolean {
    return entries.filter((e) => e.applies ?? true).every((e) => this.disabled.has(e.alert));
  }

  private tuned(entry: CatalogueAlert): AlertingRuleProps {
    const override = this.overrides[entry.alert] ?? {};
    const record = (setting: string, from: unknown, to: unknown) => {
      if (to !== undefined && String(to) !== String(from ?? 'none')) this.changeList.push({ alert: entry.alert, setting, from: String(from ?? 'none'), to: String(to) });
    };
    const text = (d: Duration | undefined, field = 'for') => (d === undefined ? undefined : prometheusDuration(this.where, field, d));
    const threshold = override.threshold ?? entry.threshold?.default ?? 0;
    const forDuration = override.for ?? entry.defaultFor;
    const built = entry.build({ threshold, for: forDuration });
    record('threshold', entry.threshold?.default, override.threshold);
    record('for', text(entry.defaultFor), text(override.for));
    record('keepFiringFor', text(built.keepFiringFor, 'keepFiringFor'), text(override.keepFiringFor, 'keepFiringFor'));
    record('severity', built.severity, override.severity);
    for (const [name, value] of Object.entries(override.labels ?? {})) record(`labels.${name}`, built.labels?.[name], value);
    for (const [name, value] of Object.entries(override.annotations ?? {})) record(`annotations.${name}`, built.annotations?.[name], value);
    // The tests were written for the catalogue's `for`: a longer one needs the condition to last longer.
    const ms = (d: Duration | undefined) => (d === undefined ? 0 : durationMillis(this.where, 'for', d));
    const longerBy = ms(forDuration) - ms(entry.defaultFor);
    return {
      ...built,
      keepFiringFor: override.keepFiringFor ?? built.keepFiringFor,
      severity: override.severity ?? built.severity,
      labels: { ...built.labels, ...override.labels },
      annotations: { ...built.annotations, ...override.annotations },
      runbookUrl: `${this.runbookBase}${entry.alert.toLowerCase()}`,
      tests: (built.tests ?? []).map((test) => stretched(this.where, test, longerBy)),
    };
  }

  private checkOverride(entry: CatalogueAlert, override: AlertOverride): void {
    const where = `${this.where}: alertOverrides.${entry.alert}`;
    if (override.threshold !== undefined) {
      const bound = entry.threshold?.below;
      if (entry.threshold === undefined) {
        throw validationError(where, `alert "${entry.alert}" has no threshold to override (it fires on any occurrence)`, override.threshold,
          'leave threshold out; to silence it, add it to disabledAlerts or raise its for');
      }
      if (typeof override.threshold !== 'number' || !Number.isFinite(override.threshold) || override.threshold <= 0 || (bound !== undefined && override.threshold >= bound)) {
        throw validationError(where, `threshold must be a number above 0${bound === undefined ? '' : ` and below ${bound}`} (${entry.threshold.unit})`, override.threshold,
          `the catalogue uses ${entry.threshold.default}`);
      }
    }
    if (override.for !== undefined) {
      const forText = prometheusDuration(where, 'for', override.for, 'Duration.minutes(30)');
      if (entry.perEvent) {
        throw validationError(where, `alert "${entry.alert}" fires once per new Falco event, for a few minutes: a for would outlast the event and the alert would never fire`,
          forText, 'use keepFiringFor to keep it firing longer, or tune the Falco rule instead');
      }
    }
    if (override.keepFiringFor !== undefined) prometheusDuration(where, 'keepFiringFor', override.keepFiringFor, 'Duration.minutes(30)');
    if (override.severity !== undefined) validateSeverity(where, override.severity);
  }
}

/**
 * A test moved `byMs` later, its series continued as they end: for a `for`
 * longer than the one it was written for. Catalogue series end in a steady
 * state (a constant or a constant rate), so continuing the last step keeps
 * what the test shows.
 */
function stretched(where: string, test: AlertTestCase, byMs: number): AlertTestCase {
  if (byMs <= 0) return test;
  const samples = Math.ceil(byMs / durationMillis(where, 'interval', test.interval ?? Duration.minutes(1)));
  const evalMs = durationMillis(where, 'evalTime', test.evalTime) + byMs;
  return {
    ...test,
    evalTime: Duration.seconds(Math.ceil(evalMs / 1000)),
    series: test.series.map((input) => ({ ...input, values: continued(input.values, samples) })),
  };
}

/** promtool series values with `samples` more samples continuing the last step. */
function continued(values: string, samples: number): string {
  const tokens = values.trim().split(/\s+/);
  const last = tokens.pop()!;
  const repeated = /^(.*x)(\d+)$/.exec(last);
  // `axn` is n+1 samples: `a` alone plus `ax(n-1)` adds n.
  tokens.push(repeated ? `${repeated[1]}${Number(repeated[2]) + samples}` : `${last} ${last}x${samples - 1}`);
  return tokens.join(' ');
}
