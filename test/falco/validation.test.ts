import { Duration, Testing } from 'cdk8s';
import {
  FalcoDefaultRules, FalcoDeployment, FalcoDeploymentProps, FalcoRules, FalcoRuleset, FalcosidekickOutput, PrometheusSelector,
} from '../../src';

function build(props: FalcoDeploymentProps) {
  return () => new FalcoDeployment(Testing.chart(), 'falco', props);
}

const webhook = FalcosidekickOutput.webhook({ url: 'http://hooks.internal/falco' });

describe('FalcoDeployment rejects bad input with the standard error', () => {
  test.each<[string, () => unknown, string]>([
    ['name', build({ name: 'Falco_1' }), 'falco: name is not a valid DNS-1123 label (got "Falco_1"): use 1-63 lowercase letters, digits or \'-\', starting and ending with a letter or digit (did you mean "falco-1"?)'],
    ['namespace', build({ namespace: 'kube system' }), 'falco: namespace is not a valid DNS-1123 label (got "kube system")'],
    ['latest image', build({ image: 'falcosecurity/falco:latest' }), 'falco: image is not pinned to a version (got "falcosecurity/falco:latest"): use a pinned reference such as "docker.io/falcosecurity/falco:0.44.1" or one with an @sha256: digest'],
    ['untagged image', build({ image: 'falcosecurity/falco' }), 'falco: image is not pinned to a version (got "falcosecurity/falco")'],
    ['invalid image', build({ image: 'Falco Image:1' }), 'falco: image is not a valid image reference (got "Falco Image:1")'],
    ['cpu quantity', build({ resources: { cpuLimit: 'two' } }), 'falco: resources.cpuLimit is not a Kubernetes quantity (got "two"): use a quantity such as "500m", "1", "512Mi" or "2Gi"'],
    ['memory quantity', build({ resources: { memoryRequest: '512MB' } }), 'falco: resources.memoryRequest is not a Kubernetes quantity (got "512MB")'],
    ['priority class', build({ priorityClassName: 'Critical!' }), 'falco: priorityClassName is not a valid DNS-1123 subdomain (got "Critical!")'],
    ['enabled and disabled', build({ disabledRules: ['A'], enabledRules: ['A'] }), 'falco: a rule is both in enabledRules and disabledRules (got "A"): keep it in one of them'],
    ['selection without upstream', build({ defaultRules: FalcoDefaultRules.none(), disabledTags: ['network'] }), 'falco: disabledRules, disabledTags and enabledRules select upstream rules but defaultRules is none (got ["network"])'],
    ['rulesets without stable', () => FalcoDefaultRules.falcoctl({ rulesets: [FalcoRuleset.INCUBATING] }),
      'FalcoDefaultRules.falcoctl: rulesets leaves out FalcoRuleset.STABLE (got ["incubating"]): add FalcoRuleset.STABLE: the incubating and sandbox rules use its macros and lists'],
    ['unknown ruleset', () => FalcoDefaultRules.falcoctl({ rulesets: [FalcoRuleset.STABLE, 'experimental' as FalcoRuleset] }),
      'FalcoDefaultRules.falcoctl: rulesets contains something that is not a FalcoRuleset (got "experimental"): use FalcoRuleset.STABLE, FalcoRuleset.INCUBATING, FalcoRuleset.SANDBOX'],
    ['empty rule name', build({ disabledRules: [' '] }), 'falco: disabledRules contains an invalid name (got " ")'],
    ['monitor without metrics', build({ metrics: false, prometheusSelector: PrometheusSelector.none() }), 'falco: prometheusSelector needs metrics (got false): set metrics to true, or drop prometheusSelector'],
    ['no sidekick outputs', build({ falcosidekick: { outputs: [] } }), 'falco/falcosidekick: falcosidekick has no outputs (got [])'],
    ['duplicate sidekick output', build({ falcosidekick: { outputs: [webhook, webhook] } }), 'falco/falcosidekick: falcosidekick output configured twice (got "webhook")'],
    ['sidekick replicas', build({ falcosidekick: { outputs: [webhook], replicas: 0 } }), 'falco/falcosidekick: falcosidekick.replicas must be a positive integer (got 0)'],
    ['sidekick latest image', build({ falcosidekick: { outputs: [webhook], image: 'falcosecurity/falcosidekick:latest' } }), 'falco/falcosidekick: falcosidekick.image is not pinned to a version'],
    ['webhook URL', () => FalcosidekickOutput.webhook({ url: 'hooks.internal' }), 'FalcosidekickOutput.webhook: url is not an http(s) URL (got "hooks.internal"): use a URL such as "http://host:port"'],
    ['secret name', () => FalcosidekickOutput.splunk({ url: 'https://splunk:8088', tokenSecret: { secretName: 'Splunk_HEC', key: 'token' } }), 'FalcosidekickOutput.splunk: tokenSecret.secretName is not a valid DNS-1123 subdomain (got "Splunk_HEC")'],
    ['secret key', () => FalcosidekickOutput.pagerDuty({ routingKeySecret: { secretName: 'pd', key: 'routing key' } }), 'FalcosidekickOutput.pagerDuty: routingKeySecret.key is not a valid Secret key (got "routing key")'],
    ['pagerduty region', () => FalcosidekickOutput.pagerDuty({ routingKeySecret: { secretName: 'pd', key: 'k' }, region: 'ap' as any }), 'FalcosidekickOutput.pagerDuty: region is not a PagerDutyRegion (got "ap"): use PagerDutyRegion.US or PagerDutyRegion.EU'],
    ['elasticsearch half auth', () => FalcosidekickOutput.elasticsearch({ url: 'https://es:9200', usernameSecret: { secretName: 'es', key: 'u' } }), 'FalcosidekickOutput.elasticsearch: usernameSecret and passwordSecret must be set together'],
    ['falcoctl artifact', () => FalcoDefaultRules.falcoctl({ artifact: 'Falco Rules' }), 'FalcoDefaultRules.falcoctl: artifact is not a falcoctl artifact reference (got "Falco Rules")'],
    ['falcoctl interval as a string', () => FalcoDefaultRules.falcoctl({ followEvery: '168h' as any }),
      'FalcoDefaultRules.falcoctl: followEvery is not a Duration (got "168h"): pass a cdk8s Duration: Duration.days(7)'],
    ['falcoctl interval of zero', () => FalcoDefaultRules.falcoctl({ followEvery: Duration.seconds(0) }), 'FalcoDefaultRules.falcoctl: followEvery is zero (got "0s")'],
  ])('%s', (_, fn, message) => {
    expect(fn).toThrow(message);
  });

  test('rules file names are DNS labels and unique', () => {
    const falco = new FalcoDeployment(Testing.chart(), 'falco');
    expect(() => falco.addRules('My Rules', new FalcoRules())).toThrow('falco: rules file name is not a valid DNS-1123 label (got "My Rules")');
    falco.addRules('mine', new FalcoRules());
    expect(() => falco.addRules('mine', new FalcoRules())).toThrow('falco: rules file "mine" is already added (got "mine")');
  });
});
