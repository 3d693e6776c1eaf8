import { k8s } from 'cdk8s-plus-28';
import { validateFalcoctlReference } from './falcoctl';
import { K8S_AUDIT_LISTS, K8S_AUDIT_MACROS } from './rules/k8s-audit-names';
import { FalcoAuditWebhook, FalcoPluginEntry } from '../audit/falco-audit-webhook';
import { optionalArgument, requiredArgument } from '../common/arguments';
import { SecretKeyReference, secretKeySelector } from '../common/secret-key-reference';
import { validatePort, validationError } from '../common/validation';
import { isPluginVersion } from './rules/plugin-catalogue';

/** Options of `FalcoPlugin.k8sAudit()`. */
export interface K8sAuditPluginOptions {
  /**
   * The webhook the API server posts audit events to: its Service name and
   * namespace name the Service the Falco deployment creates, so they must match
   * that deployment's namespace.
   * @default new FalcoAuditWebhook() (Service `falco-k8saudit` in namespace `falco`)
   */
  readonly webhook?: FalcoAuditWebhook;
  /**
   * falcoctl tag of the `k8saudit` plugin and `k8saudit-rules` artifacts.
   * @default '0.16' (what charts/falco values-k8saudit.yaml installs)
   */
  readonly version?: string;
}

/** A plugin Falco loads, for `FalcoPlugin.custom()`. */
export interface FalcoPluginProps {
  /** Plugin name, as `load_plugins` refers to it, e.g. `cloudtrail` or `k8saudit-eks`. */
  readonly name: string;
  /**
   * Shared library, relative to Falco's plugin directory (`library_path`).
   * @default `lib<name>.so`
   */
  readonly libraryPath?: string;
  /**
   * The plugin's `init_config`.
   * @default - empty
   */
  readonly initConfig?: { [key: string]: any };
  /**
   * `init_config` keys whose values are credentials (an API token, a client
   * secret), each read from a Secret: the key is written as `${<VARIABLE>}`,
   * which Falco replaces from its environment when it loads falco.yaml, and the
   * variable is set from the Secret (an env `secretKeyRef`), so the value is in
   * neither the ConfigMap nor the manifests. Merged over `initConfig`.
   * @default - none
   */
  readonly initConfigSecrets?: { [key: string]: SecretKeyReference };
  /**
   * The plugin's `open_params` (what a source plugin opens, e.g. an SQS queue or a listen URL).
   * @default - none
   */
  readonly openParams?: string;
  /**
   * The event source the plugin produces (its registry `source`), e.g. `aws_cloudtrail`, `okta`, `k8s_audit`.
   * @default - none: an extractor-only plugin such as `json`
   */
  readonly source?: string;
  /**
   * falcoctl reference that installs the plugin, e.g. `cloudtrail:0.17`.
   * @default - none: the plugin is in the Falco image or mounted by other means
   */
  readonly artifact?: string;
  /**
   * falcoctl reference that installs the plugin's rules, e.g. `cloudtrail-rules:0.17`; installed and followed.
   * @default - none: rules are added with `FalcoDeployment.addRules()`
   */
  readonly rulesArtifact?: string;
  /**
   * File name that `rulesArtifact` installs into `/etc/falco`, e.g. `aws_cloudtrail_rules.yaml`.
   * Required with `rulesArtifact`.
   * @default - none
   */
  readonly rulesFile?: string;
  /**
   * Names of the macros that rules file defines, so custom rules may use them.
   * @default - none
   */
  readonly rulesMacros?: string[];
  /**
   * Names of the lists that rules file defines.
   * @default - none
   */
  readonly rulesLists?: string[];
  /**
   * Port a push plugin receives events on (from its `open_params`); the
   * deployment exposes it with a Service and admits it in its NetworkPolicy.
   * @default - none: a pull plugin, which fetches its events
   */
  readonly listenPort?: number;
  /**
   * Plugins this one needs loaded too, e.g. `FalcoPlugin.json()` for rules using `json.*`/`jevt.*` fields.
   * @default - none
   */
  readonly requires?: FalcoPlugin[];
}

const PLUGIN_NAME = /^[a-z0-9][a-z0-9_-]*$/;
const SOURCE_NAME = /^[a-z0-9][a-z0-9_]*$/;
const RULES_FILE = /^[A-Za-z0-9][A-Za-z0-9._-]*\.ya?ml$/;

/**
 * A Falco plugin: an entry of `plugins` and `load_plugins` in falco.yaml, and
 * what falcoctl installs for it.
 *
 * @see https://falco.org/docs/concepts/plugins/
 */
export class FalcoPlugin {
  /**
   * The k8saudit plugin receiving API server audit events on its webhook
   * (`open_params: http://:9765/k8s-audit`), with the `json` extractor and the
   * `k8saudit-rules` ruleset, as charts/falco values-k8saudit.yaml configures it.
   */
  public static k8sAudit(options: K8sAuditPluginOptions = {}): FalcoPlugin {
    options = optionalArgument('FalcoPlugin.k8sAudit', 'options', options) ?? {};
    const webhook = options.webhook ?? new FalcoAuditWebhook();
    if (!(webhook instanceof FalcoAuditWebhook)) {
      throw validationError('FalcoPlugin.k8sAudit', 'webhook is not a FalcoAuditWebhook', webhook, 'use new FalcoAuditWebhook({ ... })');
    }
    const version = options.version ?? '0.16';
    const [k8saudit, json] = webhook.plugins.map((entry) => FalcoPlugin.fromEntry(entry));
    return new FalcoPlugin({
      ...k8saudit.props,
      source: 'k8s_audit',
      artifact: validateFalcoctlReference('FalcoPlugin.k8sAudit', 'version', `k8saudit:${version}`, 'k8saudit:0.16'),
      rulesArtifact: `k8saudit-rules:${version}`,
      rulesFile: FalcoAuditWebhook.RULES_FILE,
      rulesMacros: [...K8S_AUDIT_MACROS],
      rulesLists: [...K8S_AUDIT_LISTS],
      listenPort: webhook.port,
      requires: [json],
    }, { name: webhook.serviceName, namespace: webhook.namespace });
  }

  /** The `json` extractor (`json.*`, `jevt.*` fields); installed by falcoctl as a dependency of rules artifacts that need it. */
  public static json(): FalcoPlugin {
    return FalcoPlugin.fromEntry({ name: 'json', libraryPath: 'libjson.so', initConfig: '' });
  }

  /**
   * Any other plugin, e.g. `k8saudit-eks`, `cloudtrail`, `okta` or `github`:
   * see each plugin's README in falcosecurity/plugins for its `init_config`,
   * `open_params` and source name.
   */
  public static custom(props: FalcoPluginProps): FalcoPlugin {
    props = requiredArgument('FalcoPlugin.custom', 'props', props, '{ name, source }');
    return new FalcoPlugin(props);
  }

  private static fromEntry(entry: FalcoPluginEntry): FalcoPlugin {
    return new FalcoPlugin({ name: entry.name, libraryPath: entry.libraryPath, openParams: entry.openParams });
  }

  /** Plugin name (`load_plugins`). */
  public readonly name: string;
  /** The event source the plugin produces, if any. */
  public readonly source?: string;
  /** Port a push plugin receives events on. */
  public readonly listenPort?: number;
  /** falcoctl reference of the plugin. */
  public readonly artifact?: string;
  /**
   * The plugin version falcoctl installs: the tag of `artifact` when it is a
   * version (`0.16` is the newest 0.16.x). Rules files' `required_plugin_versions`
   * are checked against it, and plugin fields against its field table.
   */
  public readonly version?: string;
  /** falcoctl reference of the plugin's rules. */
  public readonly rulesArtifact?: string;
  /** Where Falco reads the plugin's rules (`/etc/falco/<rulesFile>`), when `rulesArtifact` installs them. */
  public readonly rulesFilePath?: string;
  /** Plugins that must be loaded with this one. */
  public readonly requires: FalcoPlugin[];
  /** Macros the plugin's rules file defines. */
  public readonly rulesMacros: string[];
  /** Lists the plugin's rules file defines. */
  public readonly rulesLists: string[];

  /**
   * Name of the Service the plugin's sender posts to, when the sender fixes it
   * (k8saudit: the `FalcoAuditWebhook`'s).
   */
  public readonly serviceName?: string;
  /** Namespace of that Service: the receiving Falco must run there. */
  public readonly serviceNamespace?: string;

  /** @internal The Falco container's environment for `initConfigSecrets`, by init_config key. */
  public readonly _env: ReadonlyArray<{ readonly key: string; readonly env: k8s.EnvVar }>;

  private readonly props: FalcoPluginProps;

  private constructor(props: FalcoPluginProps, service?: { name: string; namespace: string }) {
    const where = `FalcoPlugin "${String(props?.name)}"`;
    if (typeof props?.name !== 'string' || !PLUGIN_NAME.test(props.name)) {
      throw validationError('FalcoPlugin', 'name is not a plugin name', props?.name, 'use the plugin\'s registry name, e.g. "cloudtrail" or "k8saudit-eks"');
    }
    if (props.source !== undefined && (typeof props.source !== 'string' || !SOURCE_NAME.test(props.source) || props.source === 'syscall')) {
      throw validationError(where, 'source is not a plugin event source', props.source,
        'use the source name of the plugin registry, e.g. "aws_cloudtrail" or "k8s_audit" ("syscall" belongs to the driver)');
    }
    if (props.libraryPath !== undefined && (typeof props.libraryPath !== 'string' || !/^[^\s]+\.so$/.test(props.libraryPath))) {
      throw validationError(where, 'libraryPath is not a shared library path', props.libraryPath, `use e.g. "lib${props.name}.so"`);
    }
    if (props.listenPort !== undefined) validatePort(where, 'listenPort', props.listenPort);
    if (props.artifact !== undefined) validateFalcoctlReference(where, 'artifact', props.artifact, `${props.name}:0.1`);
    if (props.rulesArtifact !== undefined) {
      validateFalcoctlReference(where, 'rulesArtifact', props.rulesArtifact, `${props.name}-rules:0.1`);
      if (typeof props.rulesFile !== 'string' || !RULES_FILE.test(props.rulesFile)) {
        throw validationError(where, 'rulesArtifact needs rulesFile, the YAML file name it installs', props.rulesFile,
          'set rulesFile to the file name in the artifact, e.g. "aws_cloudtrail_rules.yaml"');
      }
    } else if (props.rulesFile !== undefined) {
      throw validationError(where, 'rulesFile is set but rulesArtifact is not', props.rulesFile, 'set rulesArtifact, or add the rules with FalcoDeployment.addRules()');
    }
    this._env = Object.entries(props.initConfigSecrets ?? {}).map(([key, ref]) => ({
      key,
      env: { name: pluginEnvName(where, props.name, key), valueFrom: { secretKeyRef: secretKeySelector(where, `initConfigSecrets["${key}"]`, ref) } },
    }));
    if (this._env.length > 0 && props.initConfig !== undefined && (typeof props.initConfig !== 'object' || Array.isArray(props.initConfig))) {
      throw validationError(where, 'initConfigSecrets needs initConfig to be a map of keys', props.initConfig,
        'write initConfig as an object (the plugin\'s init_config keys), or leave it out');
    }
    this.props = props;
    this.serviceName = service?.name;
    this.serviceNamespace = service?.namespace;
    this.name = props.name;
    this.source = props.source;
    this.listenPort = props.listenPort;
    this.artifact = props.artifact;
    this.version = artifactVersion(props.artifact);
    this.rulesArtifact = props.rulesArtifact;
    this.rulesFilePath = props.rulesFile === undefined ? undefined : `/etc/falco/${props.rulesFile}`;
    this.requires = props.requires ?? [];
    this.rulesMacros = props.rulesMacros ?? [];
    this.rulesLists = props.rulesLists ?? [];
  }

  /** The plugin's entry of falco.yaml `plugins`, in Falco's keys. */
  public toConfig(): { [key: string]: any } {
    const fromSecrets = Object.fromEntries(this._env.map(({ key, env }) => [key, `\${${env.name}}`]));
    const initConfig = this._env.length > 0 ? { ...(this.props.initConfig ?? {}), ...fromSecrets } : this.props.initConfig ?? '';
    return {
      name: this.name,
      library_path: this.props.libraryPath ?? `lib${this.name}.so`,
      init_config: initConfig,
      ...(this.props.openParams !== undefined ? { open_params: this.props.openParams } : {}),
    };
  }
}

/** The version in a falcoctl reference's tag (`k8saudit:0.16`, `ghcr.io/.../container:0.7.1`); undefined for `latest` or no tag. */
export function artifactVersion(reference: string | undefined): string | undefined {
  const tag = reference?.includes(':') ? reference.slice(reference.lastIndexOf(':') + 1) : undefined;
  return tag !== undefined && isPluginVersion(tag) ? tag : undefined;
}

/** The variable Falco reads an init_config credential from: `FALCO_PLUGIN_<PLUGIN>_<KEY>`. */
function pluginEnvName(where: string, plugin: string, key: string): string {
  if (!/^[A-Za-z_][A-Za-z0-9_.-]*$/.test(key)) {
    throw validationError(where, 'initConfigSecrets has a key that is not an init_config key', key, 'use the plugin\'s init_config key, e.g. "api_token"');
  }
  return `FALCO_PLUGIN_${plugin}_${key}`.toUpperCase().replace(/[^A-Z0-9_]/g, '_');
}
