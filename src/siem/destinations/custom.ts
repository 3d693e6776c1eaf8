import {
  FLUENT_BIT_OUTPUT_PLUGINS, OUTPUT_OPTION_PREFIXES, OUTPUT_OPTIONS, OUTPUTS_ALWAYS_TLS, OUTPUTS_LOCAL, OUTPUTS_PLAINTEXT_ONLY,
} from './fluent-bit-outputs';
import { kafkaTlsKeys } from './kafka';
import { commonTlsKeys, Credential, FluentBitOutputSpec } from './output-spec';
import { requiredArgument } from '../../common/arguments';
import { didYouMean } from '../../common/did-you-mean';
import { SecretKeyReference } from '../../common/secret-key-reference';
import { describeLocation, ErrorLocation, validationError } from '../../common/validation';
import { SiemDestinationOptions } from '../destination-options';
import { validateHost } from '../siem-validation';

/** Options of `SiemDestination.custom`. */
export interface SiemCustomDestinationOptions extends SiemDestinationOptions {
  /**
   * The Fluent Bit output plugin, as `fluent-bit --help` lists it, e.g.
   * `datadog`, `cloudwatch_logs`, `azure_logs_ingestion`, `forward`.
   */
  readonly plugin: string;

  /**
   * The plugin's options, named as Fluent Bit documents them, e.g.
   * `{ host: 'http-intake.logs.datadoghq.eu', dd_source: 'kubernetes' }`.
   * For the plugins the library has the option names of (every built-in
   * destination's plugin and the common SIEM outputs), an unknown name fails
   * at synth; for the others they are passed through with a warning.
   * Credentials do not belong here: use `optionSecrets`. The pipeline sets
   * `name`, `match`, the TLS switch (`tls`, `tls.verify`: use `tls` and
   * `insecureSkipTlsVerify`), `retry_limit` (`retryLimit`) and
   * `storage.total_limit_size` (`bufferLimit`) itself.
   * @default - none
   */
  readonly options?: { [name: string]: string };

  /**
   * Options whose values are credentials (an API key, a password, a token),
   * each read from a Secret key, e.g. `{ apikey: { secretName: 'datadog', key: 'api-key' } }`:
   * the option is written as a `${VARIABLE}` reference that Fluent Bit fills
   * from its environment, and the variable is set from the Secret, so the
   * value is in neither the ConfigMap nor the manifests.
   * @default - none
   */
  readonly optionSecrets?: { [name: string]: SecretKeyReference };

  /**
   * Environment variables set from Secret keys, for plugins that read
   * credentials from the environment rather than from an option (the AWS
   * plugins read `AWS_ACCESS_KEY_ID` and `AWS_SECRET_ACCESS_KEY`), e.g.
   * `{ AWS_ACCESS_KEY_ID: { secretName: 'aws', key: 'id' } }`.
   * @default - none
   */
  readonly envSecrets?: { [variable: string]: SecretKeyReference };
}

/** Option names as Fluent Bit writes them: `dd_source`, `tls.ca_file`, `rdkafka.sasl.mechanisms`. */
const OPTION_NAME = /^[A-Za-z][A-Za-z0-9_.-]*$/;
/** Environment variable names: what a shell (and Fluent Bit's `${VAR}`) reads. */
const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
/** Options whose value is a credential, whatever the plugin: a literal value would land in the ConfigMap. */
const CREDENTIAL_OPTION = /passw|secret|token$|(^|[._])(http_)?(api_?key|apikey|license_key|shared_key|cloud_auth)$/i;

/** Options the pipeline renders itself, and how to get what each would set. */
const PIPELINE_OPTIONS: Record<string, string> = {
  'name': 'use the destination\'s plugin instead',
  'match': 'use the destination\'s logTypes instead',
  'match_regex': 'use the destination\'s logTypes instead',
  'tls': 'use the destination\'s tls instead',
  'tls.verify': 'use the destination\'s insecureSkipTlsVerify instead',
  'retry_limit': 'use the destination\'s retryLimit instead',
  'storage.total_limit_size': 'use the destination\'s bufferLimit instead',
  // librdkafka's TLS switch, which the kafka output uses instead of `tls`.
  'rdkafka.security.protocol': 'use the destination\'s tls instead',
  'rdkafka.enable.ssl.certificate.verification': 'use the destination\'s insecureSkipTlsVerify instead',
  // Processors are maps and lists, which the options (strings) cannot carry.
  'processors': 'leave it out: custom destinations take no processors',
  // One output per log type: one alias would name them all, and merge their metrics.
  'alias': 'leave it out: the pipeline writes one output per log type, which one alias would merge in the metrics',
};

/** The output of `SiemDestination.custom`: the user's plugin and options, with the same routing, TLS, retries and secrets as every destination. */
export function customOutput(options: SiemCustomDestinationOptions): FluentBitOutputSpec {
  options = requiredArgument('SiemDestination.custom', 'options', options, '{ plugin: "datadog", options: { ... }, optionSecrets: { apikey: { secretName, key } } }',
    { requiredProps: ['plugin'] });
  const optionSecrets = Object.entries(options.optionSecrets ?? {});
  const optionNames = [...Object.keys(options.options ?? {}), ...optionSecrets.map(([name]) => name)];
  return {
    name: String(options.plugin),
    factory: `custom ${String(options.plugin)}`,
    options,
    secrets: [
      ...optionSecrets.map(([name, ref]): Credential => ({ suffix: envSuffix(name), field: `optionSecrets["${name}"]`, ref })),
      ...Object.entries(options.envSecrets ?? {}).map(([variable, ref]): Credential =>
        ({ suffix: `ENV_${variable}`, envName: variable, field: `envSecrets["${variable}"]`, ref })),
    ],
    render: (where, env) => {
      const plugin = validatePlugin(where, options.plugin);
      validateTransport(where, plugin, options);
      const keys = validateOptions(where, plugin, options);
      validateEnvNames(where, plugin, Object.keys(options.envSecrets ?? {}));
      const suffixes = optionSecrets.map(([name]) => envSuffix(name));
      const shared = suffixes.find((suffix, i) => suffixes.indexOf(suffix) !== i);
      if (shared !== undefined) {
        throw validationError(where, `custom ${plugin} optionSecrets has two options that differ only in case or punctuation`,
          optionSecrets.filter(([name]) => envSuffix(name) === shared).map(([name]) => name), 'keep one of them');
      }
      const secretKeys = Object.fromEntries(optionSecrets.map(([name]) => [name, env(envSuffix(name))]));
      return () => ({ ...keys, ...secretKeys });
    },
    tlsKeys: customTlsKeys(String(options.plugin), optionNames),
  };
}

/** The TLS keys of the plugin: Fluent Bit's `tls` and `tls.verify`, librdkafka's for kafka, none where the plugin refuses them. */
function customTlsKeys(plugin: string, optionNames: string[]): (tls: boolean, verify: boolean) => Record<string, unknown> {
  if (plugin === 'kafka') return kafkaTlsKeys(optionNames.some((name) => name.toLowerCase().startsWith('rdkafka.sasl.')));
  if ([...OUTPUTS_PLAINTEXT_ONLY, ...OUTPUTS_ALWAYS_TLS, ...OUTPUTS_LOCAL].includes(plugin)) return () => ({});
  return commonTlsKeys;
}

/** `tls` and `insecureSkipTlsVerify` where the plugin cannot honour them: an error, never a silent plain-text connection. */
function validateTransport(where: ErrorLocation, plugin: string, options: SiemCustomDestinationOptions): void {
  const tlsSet = options.tls !== undefined || options.insecureSkipTlsVerify !== undefined;
  if (OUTPUTS_PLAINTEXT_ONLY.includes(plugin) && options.tls !== false) {
    throw validationError(where, `custom ${plugin} cannot use TLS`, options.tls,
      `set tls: false to send in plain text (the ${plugin} output has no TLS), or use an output that has`);
  }
  if (OUTPUTS_ALWAYS_TLS.includes(plugin) && (options.tls === false || options.insecureSkipTlsVerify)) {
    throw validationError(where, `custom ${plugin} always connects over HTTPS with verified certificates`, options.tls === false ? 'tls: false' : 'insecureSkipTlsVerify: true',
      'remove tls and insecureSkipTlsVerify');
  }
  if (OUTPUTS_LOCAL.includes(plugin) && tlsSet) {
    throw validationError(where, `custom ${plugin} writes locally and has no connection to secure`, options.tls ?? options.insecureSkipTlsVerify,
      'remove tls and insecureSkipTlsVerify');
  }
}

/** The environment variable suffix of an option's credential: `apikey` -> `APIKEY`, `tls.key_passwd` -> `TLS_KEY_PASSWD`. */
function envSuffix(option: string): string {
  return option.toUpperCase().replace(/[^A-Z0-9]/g, '_');
}

function validatePlugin(where: ErrorLocation, plugin: unknown): string {
  if (typeof plugin !== 'string' || !FLUENT_BIT_OUTPUT_PLUGINS.includes(plugin)) {
    const near = typeof plugin === 'string' ? didYouMean(plugin.toLowerCase(), FLUENT_BIT_OUTPUT_PLUGINS) : '';
    throw validationError(where, 'custom plugin is not a Fluent Bit 5.1 output plugin', plugin,
      `use the name \`fluent-bit --help\` lists under Outputs, e.g. "datadog" or "cloudwatch_logs"${near}`);
  }
  if (OUTPUT_OPTIONS[plugin] === undefined && typeof where !== 'string') {
    where.node.addMetadata('warning', `${describeLocation(where)}: SiemDestination.custom plugin "${plugin}" is not among the plugins whose option `
      + 'names the library knows: its options are passed through unchecked (fluent-bit --dry-run rejects unknown names)');
  }
  return plugin;
}

/** The plain options, checked: known names for known plugins, none the pipeline sets, no credential in a value. */
function validateOptions(where: ErrorLocation, plugin: string, options: SiemCustomDestinationOptions): Record<string, string> {
  const plain = options.options ?? {};
  const secret = options.optionSecrets ?? {};
  for (const name of [...Object.keys(plain), ...Object.keys(secret)]) validateOptionName(where, plugin, name);
  for (const [name, value] of Object.entries(plain)) {
    if (name in secret) {
      throw validationError(where, `custom ${plugin} option "${name}" is in both options and optionSecrets`, name, 'keep it in optionSecrets only');
    }
    if (CREDENTIAL_OPTION.test(name)) {
      throw validationError(where, `custom ${plugin} option "${name}" holds a credential, which would be written into the ConfigMap`,
        'a value, not shown', `move it to optionSecrets: { "${name}": { secretName, key } } of a Secret that holds the value`);
    }
    if (typeof value !== 'string' || value.trim() === '' || /[\r\n]|\$\{/.test(value)) {
      throw validationError(where, `custom ${plugin} option "${name}" is not a single-line value`, value,
        'write the value as a non-empty string on one line, without ${...}: variables come only from optionSecrets and envSecrets');
    }
    validateNetworkValue(where, plugin, name.toLowerCase(), value);
  }
  return plain;
}

/**
 * `host` and `port`, which every networked output reads the same way: fluent-bit
 * --dry-run accepts any value there, and the output fails only once it runs.
 */
function validateNetworkValue(where: ErrorLocation, plugin: string, name: string, value: string): void {
  if (name === 'host') validateHost(where, `custom ${plugin} option "host"`, value);
  if (name === 'port' && !(/^\d+$/.test(value) && Number(value) >= 1 && Number(value) <= 65535)) {
    throw validationError(where, `custom ${plugin} option "port" is not a port number`, value, 'use a whole number from 1 to 65535, as a string, e.g. "443"');
  }
}

function validateOptionName(where: ErrorLocation, plugin: string, name: string): void {
  const lower = name.toLowerCase();
  if (PIPELINE_OPTIONS[lower] !== undefined) {
    throw validationError(where, `custom ${plugin} option "${name}" is set by the pipeline`, name, PIPELINE_OPTIONS[lower]);
  }
  const known = OUTPUT_OPTIONS[plugin];
  const prefixed = (OUTPUT_OPTION_PREFIXES[plugin] ?? []).some((prefix) => lower.startsWith(prefix) && lower.length > prefix.length);
  if (!OPTION_NAME.test(name) || (known !== undefined && !known.includes(lower) && !prefixed)) {
    throw validationError(where, `custom ${plugin} option "${name}" is not an option of the ${plugin} output`, name,
      `use an option Fluent Bit documents for ${plugin}${known ? didYouMean(lower, known) : ''}`);
  }
}

function validateEnvNames(where: ErrorLocation, plugin: string, names: string[]): void {
  for (const name of names) {
    if (!ENV_NAME.test(name) || name.startsWith('SIEM_DEST')) {
      throw validationError(where, `custom ${plugin} envSecrets name is not an environment variable name of its own`, name,
        'use letters, digits and "_", not starting with a digit nor with SIEM_DEST (the pipeline\'s own variables), e.g. "AWS_ACCESS_KEY_ID"');
    }
  }
}
