import { Duration } from 'cdk8s';
import { UPSTREAM_RULES_FILE } from './falco-config';
import { validateFalcoctlReference } from './falcoctl';
import { optionalArgument } from '../common/arguments';
import { goDuration } from '../common/duration';
import { validationError } from '../common/validation';

/**
 * A ruleset of falcosecurity/rules, by maturity. Each is its own falcoctl
 * artifact and its own file; incubating and sandbox rules use the macros and
 * lists of the stable file, so they load after it.
 *
 * @see https://github.com/falcosecurity/rules/blob/main/proposals/20230605-rules-adoption-management-maturity-framework.md
 */
export enum FalcoRuleset {
  /** `falco_rules.yaml` (artifact `falco-rules`): the default ruleset, the only one Falco ships in its image. */
  STABLE = 'stable',
  /** `falco-incubating_rules.yaml` (artifact `falco-incubating-rules`): rules of proven value that need tuning for an environment. */
  INCUBATING = 'incubating',
  /** `falco-sandbox_rules.yaml` (artifact `falco-sandbox-rules`): experimental rules, noisier still. */
  SANDBOX = 'sandbox',
}

/** Where each ruleset comes from and lands, in Falco's load order (the chart's `rules_files`). */
const RULESETS: ReadonlyArray<{ readonly ruleset: FalcoRuleset; readonly artifact: string; readonly file: string }> = [
  { ruleset: FalcoRuleset.STABLE, artifact: 'falco-rules', file: UPSTREAM_RULES_FILE },
  { ruleset: FalcoRuleset.INCUBATING, artifact: 'falco-incubating-rules', file: '/etc/falco/falco-incubating_rules.yaml' },
  { ruleset: FalcoRuleset.SANDBOX, artifact: 'falco-sandbox-rules', file: '/etc/falco/falco-sandbox_rules.yaml' },
];

/** The ruleset major version Falco 0.44 supports; the three rulesets are released together. */
const RULESET_MAJOR = '5';

/** Options for loading the upstream rulesets with falcoctl. */
export interface FalcoctlRulesOptions {
  /**
   * The stable rules artifact (falcoctl reference), matching the ruleset major
   * version Falco supports; a full OCI reference for a mirror.
   * @default 'falco-rules:5'
   */
  readonly artifact?: string;
  /**
   * The rulesets falcoctl installs and Falco loads, stable first. Incubating
   * and sandbox rules extend the stable ruleset, which must be included. An
   * alert that watches a rule of a ruleset not loaded here is an error at synth.
   * @default [FalcoRuleset.STABLE]
   */
  readonly rulesets?: FalcoRuleset[];
  /**
   * How often the follower sidecar checks for a new version of the artifacts
   * (falcoctl's `artifact.follow.every`, a Go duration such as `168h`).
   * @default Duration.days(7)
   */
  readonly followEvery?: Duration;
}

/** The container plugin the upstream ruleset requires (`required_plugin_versions: container`). */
export const CONTAINER_PLUGIN_ARTIFACT = 'ghcr.io/falcosecurity/plugins/plugin/container:0.7.1';

/**
 * Where the upstream rulesets come from. Custom rules always load after them.
 */
export class FalcoDefaultRules {
  /**
   * Installed by a falcoctl init container and kept current by a falcoctl sidecar
   * (needs egress to the falcosecurity artifact registry), as the chart does.
   */
  public static falcoctl(options: FalcoctlRulesOptions = {}): FalcoDefaultRules {
    const where = 'FalcoDefaultRules.falcoctl';
    options = optionalArgument(where, 'options', options) ?? {};
    const artifact = validateFalcoctlReference(where, 'artifact', options.artifact ?? `falco-rules:${RULESET_MAJOR}`, `falco-rules:${RULESET_MAJOR}`);
    const followEvery = options.followEvery ?? Duration.days(7);
    // falcoctl follows on a ticker, which needs a period above zero.
    if (goDuration(where, 'followEvery', followEvery, 'Duration.days(7)') === '0s') {
      throw validationError(where, 'followEvery is zero', '0s', 'give how often to check for new rules, e.g. Duration.hours(6) or Duration.days(7)');
    }
    const requested = options.rulesets ?? [FalcoRuleset.STABLE];
    const known = RULESETS.map((r) => r.ruleset as string);
    const unknown = Array.isArray(requested) ? requested.find((r) => !known.includes(r)) : requested;
    if (!Array.isArray(requested) || unknown !== undefined) {
      throw validationError(where, 'rulesets contains something that is not a FalcoRuleset', unknown, `use ${known.map((r) => `FalcoRuleset.${r.toUpperCase()}`).join(', ')}`);
    }
    if (!requested.includes(FalcoRuleset.STABLE)) {
      throw validationError(where, 'rulesets leaves out FalcoRuleset.STABLE', requested,
        'add FalcoRuleset.STABLE: the incubating and sandbox rules use its macros and lists');
    }
    const artifacts = RULESETS.filter((r) => requested.includes(r.ruleset))
      .map((r) => (r.ruleset === FalcoRuleset.STABLE ? artifact : `${r.artifact}:${RULESET_MAJOR}`));
    return new FalcoDefaultRules(RULESETS.map((r) => r.ruleset).filter((r) => requested.includes(r)), artifacts, followEvery);
  }

  /**
   * The stable ruleset and container plugin shipped in the Falco image: no
   * falcoctl and no network access, for air-gapped clusters. Updated only with
   * the image.
   */
  public static bundled(): FalcoDefaultRules {
    return new FalcoDefaultRules([FalcoRuleset.STABLE], [], undefined);
  }

  /** No upstream ruleset: only the rules added to the `FalcoDeployment`. */
  public static none(): FalcoDefaultRules {
    return new FalcoDefaultRules([], [], undefined);
  }

  /** The rulesets Falco loads, in load order. */
  public readonly rulesets: FalcoRuleset[];

  private constructor(
    rulesets: FalcoRuleset[],
    /** The rules artifacts falcoctl installs and follows, in load order; empty without falcoctl. */
    private readonly artifacts: string[],
    /** The follower's check interval, with falcoctl. */
    public readonly followEvery: Duration | undefined,
  ) {
    this.rulesets = rulesets;
  }

  /** Whether any upstream ruleset is loaded (`/etc/falco/falco_rules.yaml` first). */
  public get loadsUpstream(): boolean {
    return this.rulesets.length > 0;
  }

  /** Whether falcoctl installs and follows the rulesets. */
  public get usesFalcoctl(): boolean {
    return this.artifacts.length > 0;
  }

  /** The falcoctl references of the rulesets, in load order; empty without falcoctl. */
  public get rulesArtifacts(): string[] {
    return [...this.artifacts];
  }

  /** @internal the upstream rules files in Falco's `rules_files`, in load order */
  public get _rulesFiles(): string[] {
    return RULESETS.filter((r) => this.rulesets.includes(r.ruleset)).map((r) => r.file);
  }
}
