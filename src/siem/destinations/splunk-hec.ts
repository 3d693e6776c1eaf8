import { FluentBitOutputSpec } from './output-spec';
import { requiredArgument } from '../../common/arguments';
import { SecretKeyReference, validateSecretKeyReference } from '../../common/secret-key-reference';
import { validatePort } from '../../common/validation';
import { SiemDestinationOptions } from '../destination-options';
import { nonEmpty } from '../destination-settings';
import { validateHost, validateLogType, validateSplunkIndex } from '../siem-validation';

/** Options of `SiemDestination.splunkHec`. */
export interface SiemSplunkHecOptions extends SiemDestinationOptions {
  /** Host of the HTTP Event Collector, without scheme or port. */
  readonly host: string;
  /**
   * Port of the HTTP Event Collector.
   * @default 8088
   */
  readonly port?: number;
  /** Secret key holding the HEC token. */
  readonly tokenSecret: SecretKeyReference;
  /**
   * Index for every event (`event_index`).
   * @default - the token's default index
   */
  readonly index?: string;
  /**
   * Index per log type, overriding `index`, e.g. `{ security_audit: 'k8s_audit' }`.
   * @default - `index` for every log type
   */
  readonly indexByLogType?: { [logType: string]: string };
  /**
   * Sourcetype for every event (`event_sourcetype`).
   * @default - the record's `log_type` (`event_sourcetype_key`)
   */
  readonly sourcetype?: string;
}

/** The `splunk` output of `SiemDestination.splunkHec`. */
export function splunkHecOutput(options: SiemSplunkHecOptions): FluentBitOutputSpec {
  options = requiredArgument('SiemDestination.splunkHec', 'options', options, '{ host, tokenSecret: { secretName, key } }');
  return {
    name: 'splunk',
    factory: 'splunkHec',
    options,
    secrets: [{ suffix: 'SPLUNK_TOKEN', field: 'tokenSecret', ref: options.tokenSecret }],
    render: (where, env) => {
      const host = validateHost(where, 'splunkHec host', options.host);
      const port = validatePort(where, 'splunkHec port', options.port ?? 8088);
      validateSecretKeyReference(where, 'splunkHec tokenSecret', options.tokenSecret);
      const index = options.index === undefined ? undefined : validateSplunkIndex(where, 'splunkHec index', options.index);
      const byLogType = options.indexByLogType ?? {};
      for (const [logType, value] of Object.entries(byLogType)) {
        validateLogType(where, 'splunkHec indexByLogType key', logType);
        validateSplunkIndex(where, `splunkHec indexByLogType["${logType}"]`, value);
      }
      // A record accessor: without the `$`, Fluent Bit sends the text "log_type" as every event's sourcetype.
      const sourcetype = options.sourcetype === undefined ? { event_sourcetype_key: '$log_type' }
        : { event_sourcetype: nonEmpty(where, 'splunkHec sourcetype', options.sourcetype) };
      return (logType) => {
        const eventIndex = byLogType[logType] ?? index;
        return {
          host,
          port,
          splunk_token: env('SPLUNK_TOKEN'),
          ...(eventIndex === undefined ? {} : { event_index: eventIndex }),
          ...sourcetype,
        };
      };
    },
  };
}
