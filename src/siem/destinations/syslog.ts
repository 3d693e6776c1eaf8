import { FluentBitOutputSpec } from './output-spec';
import { requiredArgument } from '../../common/arguments';
import { validatePort, validationError } from '../../common/validation';
import { SiemDestinationOptions } from '../destination-options';
import { validateHost, validateInteger } from '../siem-validation';
import { SYSLOG_HOSTNAME_KEY, SYSLOG_LUA, SYSLOG_LUA_FUNCTION, SYSLOG_MESSAGE_KEY, SYSLOG_SEVERITY_KEY } from '../syslog-record';

/** Transport of `SiemDestination.syslog`. */
export enum SiemSyslogTransport {
  /** TCP, with TLS unless `tls` is false (RFC 5425 / RFC 6587 framing by newline). */
  TCP = 'tcp',
  /**
   * UDP: no TLS, no delivery guarantee, and messages beyond a datagram are
   * truncated. Needs `tls: false`.
   */
  UDP = 'udp',
}

/** Message format of `SiemDestination.syslog`. */
export enum SiemSyslogFormat {
  /** RFC 5424: ISO timestamps with time zone, structured header. */
  RFC5424 = 'rfc5424',
  /** RFC 3164 (BSD syslog), for receivers that understand nothing newer. */
  RFC3164 = 'rfc3164',
}

/** Options of `SiemDestination.syslog`. */
export interface SiemSyslogOptions extends SiemDestinationOptions {
  /** Host of the syslog receiver, without scheme or port. */
  readonly host: string;
  /**
   * Port of the receiver.
   * @default - 6514 (syslog over TLS) with TLS, else 514
   */
  readonly port?: number;
  /**
   * Transport. `tls` (on by default) applies to TCP.
   * @default SiemSyslogTransport.TCP
   */
  readonly transport?: SiemSyslogTransport;
  /**
   * Message format (`syslog_format`).
   * @default SiemSyslogFormat.RFC5424
   */
  readonly format?: SiemSyslogFormat;
  /**
   * Longest message in bytes (`syslog_maxsize`); longer messages are cut,
   * which leaves their JSON incomplete. RFC 5425 receivers accept at least 8192.
   * @default - 8192 over TCP, 2048 over UDP
   */
  readonly maxMessageBytes?: number;
}

/** The `syslog` output of `SiemDestination.syslog`, with the Lua processor that writes each record as JSON. */
export function syslogOutput(options: SiemSyslogOptions): FluentBitOutputSpec {
  options = requiredArgument('SiemDestination.syslog', 'options', options, '{ host }');
  return {
    name: 'syslog',
    factory: 'syslog',
    options,
    secrets: [],
    render: (where) => {
      const host = validateHost(where, 'syslog host', options.host);
      const transport = options.transport ?? SiemSyslogTransport.TCP;
      if (!Object.values(SiemSyslogTransport).includes(transport)) {
        throw validationError(where, 'syslog transport is not a SiemSyslogTransport', transport, 'use SiemSyslogTransport.TCP or SiemSyslogTransport.UDP');
      }
      const format = options.format ?? SiemSyslogFormat.RFC5424;
      if (!Object.values(SiemSyslogFormat).includes(format)) {
        throw validationError(where, 'syslog format is not a SiemSyslogFormat', format, 'use SiemSyslogFormat.RFC5424 or SiemSyslogFormat.RFC3164');
      }
      const tls = options.tls ?? true;
      if (transport === SiemSyslogTransport.UDP && tls) {
        throw validationError(where, 'syslog over UDP cannot use TLS', options.tls,
          'set tls: false to send plain-text UDP (no delivery guarantee), or use SiemSyslogTransport.TCP with TLS');
      }
      const port = validatePort(where, 'syslog port', options.port ?? (tls ? 6514 : 514));
      const udp = transport === SiemSyslogTransport.UDP;
      const maxSize = validateInteger(where, 'syslog maxMessageBytes', options.maxMessageBytes ?? (udp ? 2048 : 8192), 480, udp ? 65_000 : 1_048_576);
      const mode = udp ? 'udp' : tls ? 'tls' : 'tcp';
      return (logType) => ({
        host,
        port,
        mode,
        syslog_format: format,
        syslog_maxsize: maxSize,
        syslog_message_key: SYSLOG_MESSAGE_KEY,
        syslog_severity_key: SYSLOG_SEVERITY_KEY,
        syslog_hostname_key: SYSLOG_HOSTNAME_KEY,
        syslog_appname_preset: logType,
        processors: { logs: [{ name: 'lua', call: SYSLOG_LUA_FUNCTION, code: SYSLOG_LUA }] },
      });
    },
  };
}
