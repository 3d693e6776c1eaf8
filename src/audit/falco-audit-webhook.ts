import { optionalArgument } from '../common/arguments';
import { validateDnsLabel } from '../common/validation';
import { toYaml } from '../common/yaml';

/** Port and path the Falco k8saudit plugin listens on (its `open_params`). */
const K8SAUDIT_PORT = 9765;
const K8SAUDIT_PATH = '/k8s-audit';

/**
 * Properties of a `FalcoAuditWebhook`.
 */
export interface FalcoAuditWebhookProps {
  /**
   * Name of the Service in front of Falco's k8saudit plugin.
   * @default 'falco-k8saudit'
   */
  readonly serviceName?: string;

  /**
   * Namespace of that Service.
   * @default 'falco'
   */
  readonly namespace?: string;
}

/** One entry of Falco's `plugins` list. */
export interface FalcoPluginEntry {
  /** Plugin name, as `load_plugins` refers to it. */
  readonly name: string;
  /** Shared library of the plugin, relative to Falco's plugin directory. */
  readonly libraryPath: string;
  /** The plugin's `init_config`. */
  readonly initConfig: string;
  /**
   * The plugin's `open_params`.
   * @default - none (extractor-only plugins such as `json`)
   */
  readonly openParams?: string;
}

/**
 * Both ends of the audit webhook from the API server to Falco's `k8saudit`
 * plugin: the webhook kubeconfig the API server reads
 * (`--audit-webhook-config-file`) and the Falco configuration that receives
 * the events, as data for the Falco deployment to consume.
 *
 * @see https://github.com/falcosecurity/plugins/tree/main/plugins/k8saudit
 */
export class FalcoAuditWebhook {
  /** The k8saudit rules file Falco must load (from the `k8saudit-rules` artifact). */
  public static readonly RULES_FILE = 'k8s_audit_rules.yaml';

  /** Where falcoctl installs that rules file, for Falco's `rules_files`. */
  public static readonly RULES_FILE_PATH = `/etc/falco/${FalcoAuditWebhook.RULES_FILE}`;

  /** The falcoctl artifacts that install the plugin and its rules (`falcoctl.config.artifact.install.refs` in the chart). */
  public static readonly FALCOCTL_ARTIFACTS: string[] = ['k8saudit', 'k8saudit-rules'];

  /** Port the k8saudit plugin listens on. */
  public readonly port = K8SAUDIT_PORT;

  /** Name of the Service in front of the k8saudit plugin: the Falco deployment that receives the events creates it. */
  public readonly serviceName: string;

  /** Namespace of that Service, where the receiving Falco runs. */
  public readonly namespace: string;

  /**
   * URL the API server posts audit events to. Note that kube-apiserver resolves
   * names with the node's resolver: the node must resolve cluster Service names,
   * or put the Service's cluster IP in front of it.
   */
  public readonly url: string;

  /** Falco `plugins` entries: the k8saudit source plugin and the `json` extractor its rules use. */
  public readonly plugins: FalcoPluginEntry[];

  /** Falco `load_plugins`. */
  public readonly loadPlugins: string[];

  constructor(props: FalcoAuditWebhookProps = {}) {
    props = optionalArgument('FalcoAuditWebhook', 'props', props) ?? {};
    this.serviceName = validateDnsLabel('FalcoAuditWebhook', 'serviceName', props.serviceName ?? 'falco-k8saudit');
    this.namespace = validateDnsLabel('FalcoAuditWebhook', 'namespace', props.namespace ?? 'falco');
    this.url = `http://${this.serviceName}.${this.namespace}.svc:${K8SAUDIT_PORT}${K8SAUDIT_PATH}`;
    this.plugins = [
      { name: 'k8saudit', libraryPath: 'libk8saudit.so', initConfig: '', openParams: `http://:${K8SAUDIT_PORT}${K8SAUDIT_PATH}` },
      { name: 'json', libraryPath: 'libjson.so', initConfig: '' },
    ];
    this.loadPlugins = this.plugins.map((p) => p.name);
  }

  /** The kubeconfig file for `--audit-webhook-config-file`: one cluster whose server is `url`. */
  public kubeconfig(): string {
    return toYaml({
      'apiVersion': 'v1',
      'kind': 'Config',
      'clusters': [{ name: 'falco', cluster: { server: this.url } }],
      'contexts': [{ name: 'falco', context: { cluster: 'falco', user: 'kube-apiserver' } }],
      'current-context': 'falco',
      'users': [{ name: 'kube-apiserver', user: {} }],
    });
  }

  /** The `falco.yaml` fragment (rules_files, plugins, load_plugins) that receives the events, in Falco's own keys. */
  public falcoConfig(): string {
    return toYaml({
      rules_files: [FalcoAuditWebhook.RULES_FILE_PATH],
      plugins: this.plugins.map((p) => ({
        name: p.name,
        library_path: p.libraryPath,
        init_config: p.initConfig,
        ...(p.openParams ? { open_params: p.openParams } : {}),
      })),
      load_plugins: this.loadPlugins,
    });
  }
}
