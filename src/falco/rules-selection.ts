import { FalcoRuleset } from './default-rules';
import { UPSTREAM_RULES, UPSTREAM_TAGS } from './rules/upstream-names';
import { didYouMean } from '../common/did-you-mean';
import { ErrorLocation, validationMessage } from '../common/validation';

/** A rules file a Falco loads, with what `rules:` selections can name in it. */
export interface LoadedRulesFile {
  /** How messages name it, e.g. `the stable ruleset` or `rules file "custom-rules"`. */
  readonly label: string;
  readonly rules: readonly string[];
  readonly tags: readonly string[];
}

/** The `rules:` selections of falco.yaml, as the deployment's props give them. */
export interface RulesSelection {
  readonly disabledRules: readonly string[];
  readonly disabledTags: readonly string[];
  readonly enabledRules: readonly string[];
}

/** Falco's rule selections match rule names as wildcard patterns (`*`), tags exactly. */
function wildcard(pattern: string): RegExp {
  return new RegExp(`^${pattern.replace(/[.+^${}()|[\]\\?]/g, '\\$&').replace(/\*/g, '.*')}$`);
}

/**
 * Selections that name no rule or tag of the files Falco loads: Falco applies
 * them to nothing, silently, so a typo leaves a noisy rule on. Errors when
 * every loaded file is known here; warnings when a plugin's rules artifact
 * (whose content is not known here) may define the name.
 * @param unknownFiles rules artifacts loaded whose rules are not known here
 */
export function unmatchedSelections(where: ErrorLocation, selection: RulesSelection, files: readonly LoadedRulesFile[],
  loadedRulesets: readonly FalcoRuleset[], unknownFiles: readonly string[]): { errors: string[]; warnings: string[] } {
  const errors: string[] = [];
  const warnings: string[] = [];
  const rules = files.flatMap((f) => f.rules);
  const tags = new Set(files.flatMap((f) => f.tags));
  const check = (field: string, name: string, matches: boolean, kind: 'rule' | 'tag') => {
    if (matches) return;
    const elsewhere = (Object.keys(UPSTREAM_RULES) as FalcoRuleset[])
      .filter((r) => !loadedRulesets.includes(r))
      .find((r) => (kind === 'rule' ? UPSTREAM_RULES[r].some((rule) => wildcard(name).test(rule)) : UPSTREAM_TAGS[r].includes(name)));
    const what = `${field} names no ${kind} of the rules files this Falco loads`;
    if (elsewhere !== undefined) {
      errors.push(validationMessage(where, `${what}: it is in the ${elsewhere} ruleset, which this Falco does not load`, name,
        `load that ruleset (FalcoDefaultRules.falcoctl({ rulesets: [...] })), or remove "${name}" from ${field}`));
    } else if (unknownFiles.length > 0) {
      warnings.push(validationMessage(where, `${what} here; it may be in ${unknownFiles.join(', ')}, whose rules are not known here`, name,
        `check the name against those rules, or remove it from ${field}`));
    } else {
      const known = kind === 'rule' ? rules : [...tags];
      errors.push(validationMessage(where, `${what}${didYouMean(name, known)}, so Falco would apply it to nothing`, name,
        `use a ${kind} of ${files.map((f) => f.label).join(', ') || 'no file (none is loaded)'}${kind === 'rule' ? ' (wildcards * allowed)' : ''}, or remove it`));
    }
  };
  for (const [field, names] of [['disabledRules', selection.disabledRules], ['enabledRules', selection.enabledRules]] as const) {
    for (const name of names) check(field, name, rules.some((rule) => wildcard(name).test(rule)), 'rule');
  }
  for (const tag of selection.disabledTags) check('disabledTags', tag, tags.has(tag), 'tag');
  return { errors, warnings };
}

/** A rule defined (not overridden) by two files: Falco keeps the one loaded last. */
export function redefinedRules(where: ErrorLocation, files: readonly LoadedRulesFile[]): string[] {
  const firstDefinedIn = new Map<string, string>();
  const warnings: string[] = [];
  for (const file of files) {
    for (const rule of new Set(file.rules)) {
      const earlier = firstDefinedIn.get(rule);
      if (earlier !== undefined) {
        warnings.push(validationMessage(where, `rule "${rule}" is defined in ${earlier} and again in ${file.label}, so Falco keeps only the later definition`, rule,
          'rename one of them, or change the earlier rule with an override (FalcoRules.overrideRule) instead of defining it again'));
      } else {
        firstDefinedIn.set(rule, file.label);
      }
    }
  }
  return warnings;
}
