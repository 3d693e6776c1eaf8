import { FluentBitOutputSpec, passwordCredential } from './output-spec';
import { requiredArgument } from '../../common/arguments';
import { SecretKeyReference } from '../../common/secret-key-reference';
import { validatePort, validationError } from '../../common/validation';
import { SiemDestinationOptions } from '../destination-options';
import { resolveUsername } from '../destination-settings';
import { validateHost } from '../siem-validation';

/** Options of `SiemDestination.kafka`. */
export interface SiemKafkaOptions extends SiemDestinationOptions {
  /** Bootstrap brokers as `host:port`. */
  readonly brokers: string[];
  /**
   * Topic for every record.
   * @default 'security-logs'
   */
  readonly topic?: string;
  /**
   * SASL user (SCRAM-SHA-512). Requires `passwordSecret`.
   * @default - no SASL authentication
   */
  readonly username?: string;
  /**
   * Secret key holding the SASL password of `username`.
   * @default - no SASL authentication
   */
  readonly passwordSecret?: SecretKeyReference;
}

const KAFKA_TOPIC = /^[a-zA-Z0-9._-]{1,249}$/;

/** The `kafka` output of `SiemDestination.kafka`. */
export function kafkaOutput(options: SiemKafkaOptions): FluentBitOutputSpec {
  options = requiredArgument('SiemDestination.kafka', 'options', options, '{ brokers: ["kafka-0.example.com:9093"] }');
  const sasl = options.username !== undefined || options.passwordSecret !== undefined;
  return {
    name: 'kafka',
    factory: 'kafka',
    options,
    secrets: [passwordCredential(options)],
    render: (where, env) => {
      if (!Array.isArray(options.brokers) || options.brokers.length === 0) {
        throw validationError(where, 'kafka brokers is empty', options.brokers, 'list at least one broker as "host:port"');
      }
      const brokers = options.brokers.map((broker) => {
        const [host, port, extra] = String(broker).split(':');
        if (extra !== undefined || port === undefined) {
          throw validationError(where, 'kafka broker is not "host:port"', broker, 'write each broker as "host:port", e.g. "kafka-0.example.com:9093"');
        }
        validateHost(where, 'kafka broker host', host);
        validatePort(where, 'kafka broker port', Number(port));
        return broker;
      });
      const topic = options.topic ?? 'security-logs';
      if (!KAFKA_TOPIC.test(topic)) {
        throw validationError(where, 'kafka topic is not a valid topic name', topic, "use 1-249 letters, digits, '.', '_' or '-'");
      }
      const username = resolveUsername(where, 'kafka', options);
      const saslKeys = username === undefined ? {} : {
        'rdkafka.sasl.mechanisms': 'SCRAM-SHA-512', 'rdkafka.sasl.username': username, 'rdkafka.sasl.password': env('PASSWORD'),
      };
      return () => ({ brokers: brokers.join(','), topics: topic, format: 'json', ...saslKeys });
    },
    tlsKeys: kafkaTlsKeys(sasl),
  };
}

/** TLS of the kafka output: librdkafka's (`rdkafka.*`), which ignores Fluent Bit's `tls` keys. */
export function kafkaTlsKeys(sasl: boolean): (tls: boolean, verify: boolean) => Record<string, unknown> {
  return (tls, verify) => ({
    'rdkafka.security.protocol': `${sasl ? 'sasl_' : ''}${tls ? 'ssl' : 'plaintext'}`,
    ...(tls ? { 'rdkafka.enable.ssl.certificate.verification': verify ? 'true' : 'false' } : {}),
  });
}
