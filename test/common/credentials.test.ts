import { findCredential, redactCredentials } from '../../src/common/credentials';

describe('user:password@host without a scheme', () => {
  test.each([
    ['a host field', 'elastic:hunter2@es.example.com', '***@es.example.com'],
    ['an IPv4 host with a port', 'admin:hunter2@10.0.0.1:9200', '***@10.0.0.1:9200'],
    ['a Kafka broker', 'svc:hunter2@kafka-0.kafka.svc.cluster.local:9093', '***@kafka-0.kafka.svc.cluster.local:9093'],
    ['quoted inside a Falco condition', 'fd.name = "u:hunter2@db.example.com"', 'fd.name = "***@db.example.com"'],
  ])('%s is a credential, masked in what an error shows', (_, text, masked) => {
    expect(findCredential(text)?.kind).toBe('user-info (user:password@)');
    expect(redactCredentials(text)).toBe(masked);
  });

  test.each([
    ['a digest-pinned image', 'nginx:1.25@sha256:0123456789abcdef0123456789abcdef'],
    ['a digest-pinned image with a registry path', 'docker.io/falcosecurity/falco:0.41.0@sha256:0123456789abcdef'],
    ['PromQL\'s @ modifier after a recording rule', 'job:http_requests:rate5m@1609746000.5'],
    ['PromQL\'s @ modifier with a function', 'rate(x[5m] @ end())'],
    ['an e-mail address', 'security@example.com'],
    ['a broker without credentials', 'kafka-0.example.com:9093'],
  ])('%s is not', (_, text) => {
    expect(findCredential(text)).toBeUndefined();
    expect(redactCredentials(text)).toBe(text);
  });
});
