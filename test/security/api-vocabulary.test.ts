/**
 * One vocabulary across the public API (issue #26), checked over the jsii
 * assembly, i.e. the API as every language sees it:
 * - credentials are `SecretKeyReference`s named `<what>Secret` (`tokenSecret`,
 *   `routingKeySecret`), never plain strings;
 * - endpoints are `url` / `urlSecret`, or `host` + `port`: no `hostPort`;
 * - time spans are cdk8s `Duration`s, never a string or a number with a unit;
 * - closed sets are enums where the library has one.
 * Props, class properties and parameters of every public type are checked.
 */
import { jsiiAssembly, JsiiAssembly, JsiiTypeReference } from '../util/jsii-assembly';

/** A named, typed, documented member of the public API. */
interface Member {
  /** `Type.prop`, or `Type#method(param)` for a parameter. */
  readonly where: string;
  readonly name: string;
  readonly type: JsiiTypeReference;
  readonly docs: string;
}

interface Violation {
  readonly where: string;
  readonly convention: string;
}

const SECRET_KEY_REFERENCE = 'cdk8s-security-monitoring.SecretKeyReference';
const DURATION = 'cdk8s.Duration';

/** camelCase to lower-case words: `routingKeySecret` -> ['routing', 'key', 'secret']. */
function words(name: string): string[] {
  return name.replace(/([a-z0-9])([A-Z])/g, '$1 $2').replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2').toLowerCase().split(' ');
}

function elementType(type: JsiiTypeReference): JsiiTypeReference {
  return type.collection ? elementType(type.collection.elementtype) : type;
}

/** What the name says the value is: its last words (`secretsMountDir` is a directory, `routingKey` a credential). */
const CREDENTIAL_NAME = / (password|passwd|passphrase|token|secret|secrets|credentials?|(routing|api|access|secret|integration|private|signing|service|auth) key( id)?|webhook url)$/;

/** Units that make a number or string a time span: `uploadTimeoutMinutes`, `gracePeriodSeconds`. */
const TIME_WORDS = new Set(['interval', 'timeout', 'period', 'wait', 'every', 'delay', 'ttl', 'age', 'duration', 'window', 'offset',
  'millis', 'milliseconds', 'seconds', 'minutes', 'hours', 'days', 'for']);
/** Docs that describe a time span. */
const TIME_DOCS = /^(how long|how often|time between|time span|interval|timeout|grace period|delay)\b|\b(a (prometheus|go) duration|in (milli)?seconds|in minutes|in hours|in days|days to keep|seconds (between|before)|auto-refresh interval)\b/i;

function memberViolations(member: Member, enums: ReadonlyArray<{ name: string; members: string[] }>): Violation[] {
  const found: Violation[] = [];
  const add = (convention: string) => found.push({ where: member.where, convention });
  const element = elementType(member.type);
  const spoken = ` ${words(member.name).join(' ')}`;
  const isString = element.primitive === 'string';
  if (element.fqn === SECRET_KEY_REFERENCE) {
    const suffix = member.type.collection ? 'Secrets' : 'Secret';
    if (!member.name.endsWith(suffix) && member.name !== suffix.toLowerCase()) {
      add(`a SecretKeyReference is named <what>${suffix} (e.g. tokenSecret, routingKeySecret)`);
    }
  } else if (CREDENTIAL_NAME.test(spoken) && (isString || element.primitive === 'any')) {
    add('a credential is a SecretKeyReference named <what>Secret, never a plain string');
  }
  if (/ host port\b/.test(spoken)) {
    add('an endpoint is url (urlSecret), or host + port (a number): never hostPort');
  }
  const timeByName = words(member.name).some((w) => TIME_WORDS.has(w));
  if ((isString || element.primitive === 'number') && element.fqn !== DURATION && (timeByName || TIME_DOCS.test(member.docs))) {
    add('a time span is a cdk8s Duration (Duration.minutes(5)), never a string or a number with a unit');
  }
  if (isString) {
    const closedSet = closedSetEnum(member.docs, enums);
    if (closedSet) add(`a closed set is an enum: use ${closedSet}`);
  }
  return found;
}

/** The enum whose members the docs list as the values a string takes, e.g. "`us` or `eu`" for PagerDutyRegion. */
function closedSetEnum(docs: string, enums: ReadonlyArray<{ name: string; members: string[] }>): string | undefined {
  const quoted = new Set([...docs.matchAll(/`([^`\s]+)`|"([^"\s]+)"/g)].map((m) => (m[1] ?? m[2]).toLowerCase().replace(/[-_]/g, '')));
  return enums.find((e) => e.members.length >= 2 && e.members.every((member) => quoted.has(member)))?.name;
}

/** Every documented member of the public API: props, class properties and parameters. */
function members(assembly: JsiiAssembly): Member[] {
  const docsOf = (d?: { summary?: string; remarks?: string }) => `${d?.summary ?? ''} ${d?.remarks ?? ''}`.trim();
  return Object.values(assembly.types).flatMap((type) => [
    ...(type.properties ?? []).map((p) => ({ where: `${type.name}.${p.name}`, name: p.name, type: p.type, docs: docsOf(p.docs) })),
    ...[...(type.initializer ? [{ ...type.initializer, name: 'constructor' }] : []), ...(type.methods ?? [])]
      .filter((callable) => !callable.protected)
      .flatMap((callable) => (callable.parameters ?? []).map((p) => ({
        where: `${type.name}#${callable.name}(${p.name})`, name: p.name, type: p.type, docs: '',
      }))),
  ]);
}

/** @param excepting whether to leave out the members in EXCEPTIONS */
function violations(excepting = true): Violation[] {
  const assembly = jsiiAssembly();
  const enums = Object.values(assembly.types)
    .filter((type) => type.kind === 'enum')
    .map((type) => ({ name: type.name, members: ((type as unknown as { members: Array<{ name: string }> }).members).map((m) => m.name.toLowerCase().replace(/_/g, '')) }));
  return members(assembly).flatMap((member) => memberViolations(member, enums)).filter((v) => !excepting || !(v.where in EXCEPTIONS));
}

/**
 * Members that read like a convention applies and do not break it, each
 * with the reason. Keep this list tiny.
 */
const EXCEPTIONS: Record<string, string> = {
  'SiemDestinationOptions.retryLimit': 'a number of retries ("how often" Fluent Bit retries), not a time span',
};

test('every public prop, property and parameter follows the API vocabulary', () => {
  expect(violations().map((v) => `${v.where}: ${v.convention}`)).toEqual([]);
  // An exception for a member that no longer exists, or that no check would flag any more, goes.
  const all = violations(false).map((v) => v.where);
  expect(Object.keys(EXCEPTIONS).filter((where) => !all.includes(where))).toEqual([]);
}, 300_000);

describe('the checks flag what they describe', () => {
  const enums = [{ name: 'PagerDutyRegion', members: ['us', 'eu'] }];
  const check = (name: string, type: JsiiTypeReference, docs = '') => memberViolations({ where: `T.${name}`, name, type, docs }, enums).map((v) => v.convention);
  const ref = { fqn: SECRET_KEY_REFERENCE };

  test.each<[string, JsiiTypeReference, string, RegExp]>([
    ['routingKey', ref, '', /SecretKeyReference is named <what>Secret/],
    ['secretRefs', { collection: { kind: 'array', elementtype: ref } }, '', /named <what>Secrets/],
    ['password', { primitive: 'string' }, '', /credential is a SecretKeyReference/],
    ['apiToken', { primitive: 'string' }, '', /credential is a SecretKeyReference/],
    ['accessKeyId', { primitive: 'string' }, '', /credential is a SecretKeyReference/],
    ['hostPort', { primitive: 'string' }, '', /never hostPort/],
    ['uploadTimeoutMinutes', { primitive: 'number' }, '', /time span is a cdk8s Duration/],
    ['gracePeriodSeconds', { primitive: 'number' }, '', /time span is a cdk8s Duration/],
    ['for', { primitive: 'string' }, '', /time span is a cdk8s Duration/],
    ['refresh', { primitive: 'string' }, 'Auto-refresh interval, e.g. `30s`.', /time span is a cdk8s Duration/],
    ['logMaxAge', { primitive: 'number' }, 'Days to keep rotated audit logs.', /time span is a cdk8s Duration/],
    ['region', { primitive: 'string' }, 'The region, `us` or `eu`.', /closed set is an enum: use PagerDutyRegion/],
  ])('%s', (name, type, docs, convention) => {
    expect(check(name, type, docs)).toEqual([expect.stringMatching(convention)]);
  });

  test.each<[string, JsiiTypeReference, string]>([
    ['routingKeySecret', ref, ''],
    ['requiredSecrets', { collection: { kind: 'array', elementtype: ref } }, ''],
    ['secretName', { primitive: 'string' }, 'Name of the Secret.'],
    ['labelKey', { primitive: 'string' }, 'Label key that marks a pod as quarantined.'],
    ['keyFormat', { primitive: 'string' }, 'Object key (`s3_key_format`).'],
    ['interval', { fqn: DURATION }, 'How often the rules are evaluated.'],
    ['maxMessageBytes', { primitive: 'number' }, 'Longest message in bytes.'],
    ['region', { primitive: 'string' }, 'AWS region, e.g. `eu-west-1`.'],
    ['url', { primitive: 'string' }, 'The URL.'],
  ])('%s passes', (name, type, docs) => {
    expect(check(name, type, docs)).toEqual([]);
  });
});
