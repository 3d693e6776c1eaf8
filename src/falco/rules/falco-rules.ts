// SKELETON (contract between the Falco rules work and the FalcoDeployment work):
// the names below are the interface FalcoDeployment builds on; the rules work
// replaces the internals (typed items, parser, validation) and may add members.
import { parse } from 'yaml';
import { toYaml } from '../../common/yaml';
import { FalcoPriority } from '../priority';

/** A Falco rule. */
export interface FalcoRuleProps {
  /** The rule name (`rule:`). */
  readonly name: string;
  /** `desc:` */
  readonly description: string;
  /** `condition:` in Falco's filter language. */
  readonly condition: string;
  /** `output:` */
  readonly output: string;
  /** `priority:` */
  readonly priority: FalcoPriority;
  /** `tags:` @default - none */
  readonly tags?: string[];
  /** `source:` @default 'syscall' */
  readonly source?: string;
  /** `enabled:` @default true */
  readonly enabled?: boolean;
}

/** A problem found in a rules file. */
export interface FalcoDiagnostic {
  /** 'error' or 'warning'. */
  readonly severity: string;
  /** The rule, macro or list concerned. */
  readonly item: string;
  /** What is wrong and how to fix it. */
  readonly message: string;
}

/** A Falco rules file: lists, macros and rules in load order. */
export class FalcoRules {
  /** Loads an existing rules file. */
  public static fromYaml(text: string): FalcoRules {
    const rules = new FalcoRules();
    rules.items.push(...(parse(text) ?? []));
    return rules;
  }

  private readonly items: Record<string, unknown>[] = [];

  /** Appends a rule. */
  public addRule(rule: FalcoRuleProps): FalcoRules {
    this.items.push({
      rule: rule.name,
      desc: rule.description,
      condition: rule.condition,
      output: rule.output,
      priority: rule.priority,
      source: rule.source,
      tags: rule.tags,
      enabled: rule.enabled,
    });
    return this;
  }

  /** Problems found in the file (none in this skeleton). */
  public validate(): FalcoDiagnostic[] {
    return [];
  }

  /** The rules file as Falco reads it. */
  public toYaml(): string {
    return toYaml(this.items);
  }
}
