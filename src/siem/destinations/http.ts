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
   * Path of the endpoint (Fluent Bit's `uri`), rendered as written: a path
   * with a credential in its query (`?token=...`) is refused, use
   * `pathSecret` for it.
   * @default '/'
   */
  readonly path?: string;
  /**
   * Secret key holding the path (and query) of the endpoint, for an endpoint
   * whose URL carries its credential: rendered as a `${VARIABLE}` that Fluent
   * Bit fills from the environment, set from the Secret.
   * @default - `path`
   */
  readonly pathSecret?: SecretKeyReference;
}

const HTTP_PATH = /^\/[^\s]*$/;

/** The `http` output of `SiemDestination.http`. */
export function httpOutput(options: SiemHttpOptions): FluentBitOutputSpec {
  options = requiredArgument('SiemDestination.http', 'options', options, '{ host }', { secretAlternatives: { path: 'pathSecret' } });
  return {
    name: 'http',
    factory: 'http',
    options,
    secrets: [passwordCredential(options), { suffix: 'URI', field: 'pathSecret', ref: options.pathSecret }],
    render: (where, env) => {
      const host = validateHost(where, 'http host', options.host);
      const port = validatePort(where, 'http port', options.port ?? 443);
      if (options.path !== undefined && options.pathSecret !== undefined) {
        throw validationError(where, 'http path and pathSecret are both set', ['path', 'pathSecret'],
          'set path, or pathSecret: { secretName, key } of a Secret that holds a path carrying a credential');
      }
      const uri = options.pathSecret === undefined ? options.path ?? '/' : env('URI');
      if (options.pathSecret === undefined && !HTTP_PATH.test(uri)) {
        throw validationError(where, 'http path is not an absolute path', uri, 'start it with "/", e.g. "/ingest"');
      }
      const auth = basicAuth(where, 'http', options, env);
      return () => ({ host, port, uri, format: 'json', json_date_key: 'timestamp', json_date_format: 'iso8601', ...auth });
    },
  };
}
