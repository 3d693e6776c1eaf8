import { validateFalcoctlReference } from './falcoctl';
import { validatePrometheusDuration } from '../common/validation';

/** Options for loading the upstream ruleset with falcoctl. */
export interface FalcoctlRulesOptions {
  /**
   * The rules artifact (falcoctl reference), matching the ruleset major version Falco supports.
   * @default 'falco-rules:5'
   */
  readonly artifact?: string;
  /**
   * How often the follower sidecar checks for a new version of the artifact.
   * @default '168h'
   */
  readonly followEvery?: string;
}

/** The container plugin the upstream ruleset requires (`required_plugin_versions: container`). */
export const CONTAINER_PLUGIN_ARTIFACT = 'ghcr.io/falcosecurity/plugins/plugin/container:0.7.1';

/**
 * Where the upstream `falco_rules.yaml` comes from. Custom rules always load after it.
 */
export class FalcoDefaultRules {
  /**
   * Installed by a falcoctl init container and kept current by a falcoctl sidecar
   * (needs egress to the falcosecurity artifact registry), as the chart does.
   */
  public static falcoctl(options: FalcoctlRulesOptions = {}): FalcoDefaultRules {
    const artifact = validateFalcoctlReference('FalcoDefaultRules.falcoctl', 'artifact', options.artifact ?? 'falco-rules:5', 'falco-rules:5');
    const followEvery = options.followEvery ?? '168h';
    validatePrometheusDuration('FalcoDefaultRules.falcoctl', 'followEvery', followEvery);
    return new FalcoDefaultRules(true, true, artifact, followEvery);
  }

  /**
   * The ruleset and container plugin shipped in the Falco image: no falcoctl and no
   * network access, for air-gapped clusters. Updated only with the image.
   */
  public static bundled(): FalcoDefaultRules {
    return new FalcoDefaultRules(true, false);
  }

  /** No upstream ruleset: only the rules added to the `FalcoDeployment`. */
  public static none(): FalcoDefaultRules {
    return new FalcoDefaultRules(false, false);
  }

  private constructor(
    /** Whether `/etc/falco/falco_rules.yaml` is loaded. */
    public readonly loadsUpstream: boolean,
    /** Whether falcoctl installs and follows artifacts. */
    public readonly usesFalcoctl: boolean,
    /** The rules artifact falcoctl installs. */
    public readonly artifact?: string,
    /** The follower's check interval. */
    public readonly followEvery?: string,
  ) {}
}
