import { basicAuth, FluentBitOutputSpec, passwordCredential } from './output-spec';
import { requiredArgument } from '../../common/arguments';
import { validatePort } from '../../common/validation';
import { SiemBasicAuthOptions, SiemDestinationOptions } from '../destination-options';
import { nonEmpty } from '../destination-settings';
import { validateHost } from '../siem-validation';

/** Options of `SiemDestination.loki`. */
export interface SiemLokiOptions extends SiemDestinationOptions, SiemBasicAuthOptions {
  /** Host of Loki (or its gateway), without scheme or port. */
  readonly host: string;
  /**
   * Port of Loki.
   * @default 3100
   */
  readonly port?: number;
  /**
   * Tenant (`X-Scope-OrgID`) for multi-tenant Loki.
   * @default - none
   */
  readonly tenantId?: string;
}

/** The `loki` output of `SiemDestination.loki`. */
export function lokiOutput(options: SiemLokiOptions): FluentBitOutputSpec {
  options = requiredArgument('SiemDestination.loki', 'options', options, '{ host }');
  return {
    name: 'loki',
    factory: 'loki',
    options,
    secrets: [passwordCredential(options)],
    render: (where, env) => {
      const host = validateHost(where, 'loki host', options.host);
      const port = validatePort(where, 'loki port', options.port ?? 3100);
      const tenant = options.tenantId === undefined ? {} : { tenant_id: nonEmpty(where, 'loki tenantId', options.tenantId) };
      const auth = basicAuth(where, 'loki', options, env);
      return (logType) => ({ host, port, labels: `job=fluent-bit, log_type=${logType}`, line_format: 'json', ...tenant, ...auth });
    },
  };
}
