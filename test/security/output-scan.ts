/**
 * Scans synthesized YAML for secret material and for TLS verification turned
 * off. The library only ever references Secrets; a value here is a leak.
 */
import { Manifest } from '../util';

/** Token shapes of the systems the library talks to. */
const TOKEN_SHAPES: ReadonlyArray<[string, RegExp]> = [
  ['PagerDuty integration/routing key', /\b[0-9a-fA-F]{32}\b/],
  ['Splunk HEC token (GUID)', /\b[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}\b/],
  ['Bearer token', /\bBearer\s+[A-Za-z0-9._~+/-]{8,}/],
  ['Slack webhook URL', /hooks\.slack\.com\/services\/[A-Za-z0-9/]+/],
  ['basic auth in a URL', /\/\/[^\s/:@]+:[^\s/@]+@/],
];

/**
 * A key that names a credential, with a literal scalar value on the same line: not a
 * nested mapping (a secret reference), not a `${VAR}` reference, not a boolean flag.
 */
const LITERAL_CREDENTIAL = /^[ \t]*(?:-[ \t]*)?"?([\w.-]*(?:password|passwd|token|secret|routing_?key|api_?key)[\w.-]*)"?[ \t]*:[ \t]*(?!\$\{)(?!(?:true|false)[ \t]*$)(\S.*)$/gim;

export function secretMaterial(yaml: string): string[] {
  const found = TOKEN_SHAPES.flatMap(([what, re]) => {
    const m = re.exec(yaml);
    return m ? [`${what}: "${m[0]}"`] : [];
  });
  for (const m of yaml.matchAll(LITERAL_CREDENTIAL)) found.push(`literal credential: ${m[1]}: ${m[2]}`);
  return found;
}

/** Settings that turn certificate verification off, in every dialect the library renders. */
const VERIFY_OFF: ReadonlyArray<[string, RegExp]> = [
  ['Fluent Bit tls.verify off', /\btls\.verify:\s*(off|false)\b/],
  ['librdkafka certificate verification off', /enable\.ssl\.certificate\.verification:\s*"?false/],
  ['Filebeat ssl.verification_mode none', /verification_mode:\s*none\b/],
  ['Alertmanager insecure_skip_verify', /insecure_?[sS]kip_?[vV]erify:\s*true\b/],
];

export function tlsVerificationOff(yaml: string, manifests: Manifest[]): string[] {
  const found = VERIFY_OFF.filter(([, re]) => re.test(yaml)).map(([what]) => what);
  // falcosidekick reads <OUTPUT>_CHECKCERT (and CHECKCERT) from its environment.
  for (const m of manifests) {
    for (const c of m.spec?.template?.spec?.containers ?? []) {
      for (const env of c.env ?? []) {
        if (/CHECKCERT$/.test(env.name) && env.value === 'false') found.push(`${m.metadata.name}: ${env.name}=false`);
      }
    }
  }
  return found;
}
