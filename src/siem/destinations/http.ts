import { basicAuth, FluentBitOutputSpec, passwordCredential } from './output-spec';
import { requiredArgument } from '../../common/arguments';
import { SecretKeyReference } from '../../common/secret-key-reference';
import { validatePort, validationError } from '../../common/validation';
import { SiemBasicAuthOptions, SiemDestinationOptions } from '../destination-options';
import { validateHost } from '../siem-validation';

/** Options of `SiemDestination.http`. */
export interface SiemHttpOptions extends SiemDestinationOptions, SiemBasicAuthOptions {
  /** Host of the endpoint, without scheme or port. */
  readonly host: string;
  /**
   * Port of the endpoint.
   * @default 443
   */
  readonly port?: number;
  /**
   * Path of the endpoint, rendered as written: a path with a credential in
   * its query (`?token=...`) is refused, use `uriSecret` for it.
   * @default '/'
   */
  readonly uri?: string;
  /**
   * Secret key holding the path (and query) of the endpoint, for an endpoint
   * whose URL carries its credential: rendered as a `${VARIABLE}` that Fluent
   * Bit fills from the environment, set from the Secret.
   * @default - `uri`
   */
  readonly uriSecret?: SecretKeyReference;
}

const HTTP_PATH = /^\/[^\s]*$/;

/** The `http` output of `SiemDestination.http`. */
export function httpOutput(options: SiemHttpOptions): FluentBitOutputSpec {
  options = requiredArgument('SiemDestination.http', 'options', options, '{ host }', { secretAlternatives: { uri: 'uriSecret' } });
  return {
    name: 'http',
    factory: 'http',
    options,
    secrets: [passwordCredential(options), { suffix: 'URI', field: 'uriSecret', ref: options.uriSecret }],
    render: (where, env) => {
      const host = validateHost(where, 'http host', options.host);
      const port = validatePort(where, 'http port', options.port ?? 443);
      if (options.uri !== undefined && options.uriSecret !== undefined) {
        throw validationError(where, 'http uri and uriSecret are both set', ['uri', 'uriSecret'],
          'set uri to the path, or uriSecret: { secretName, key } of a Secret that holds a path carrying a credential');
      }
      const uri = options.uriSecret === undefined ? options.uri ?? '/' : env('URI');
      if (options.uriSecret === undefined && !HTTP_PATH.test(uri)) {
        throw validationError(where, 'http uri is not an absolute path', uri, 'start it with "/", e.g. "/ingest"');
      }
      const auth = basicAuth(where, 'http', options, env);
      return () => ({ host, port, uri, format: 'json', json_date_key: 'timestamp', json_date_format: 'iso8601', ...auth });
    },
  };
}
