import { Duration, Testing } from 'cdk8s';
import {
  DaemonSetHealthCheck, FalcoPriority, FalcoTalon, KubeBenchCronJob, KubeBenchTarget, KuberhealthyCheck, QuarantineNetworkPolicy,
  TalonActionner, TalonObjectStore,
} from '../../src';
import { synth } from '../util';

const label = () => TalonActionner.label({ 'security.quarantine': 'true' });
const minioKey = (key: string) => ({ secretName: 'minio', key });
const talon = (rules: any[], extra: object = {}) => () => new FalcoTalon(Testing.chart(), 'talon', { rules, ...extra });
const rule = (overrides: object) => ({ name: 'R', match: { rules: ['Shell'] }, actions: [{ name: 'label', actionner: label() }], ...overrides });
const check = (overrides: object) => () => new KuberhealthyCheck(Testing.chart(), 'check', { name: 'c', namespace: 'checks', image: 'curlimages/curl:8.11.1', ...overrides });
const kubeBench = (overrides: object) => () => new KubeBenchCronJob(Testing.chart(), 'kb', { namespace: 'compliance', ...overrides });

describe('bad input fails with the exact error', () => {
  test.each<[string, () => unknown, string]>([
    ['Talon rule without match conditions', talon([rule({ match: {} })]),
      'TalonRule "R": match has no condition, so the rule would act on every Falco event (got {}): match on rules, minimumPriority, tags or outputFields'],
    ['Talon rule without actions', talon([rule({ actions: [] })]),
      'TalonRule "R": rule has no actions (got []): add at least one action'],
    ['Talon empty Falco rule name', talon([rule({ match: { rules: [''] } })]),
      'TalonRule "R": match.rules contains an empty or multi-line rule name (got ""): use Falco rule names exactly as in the rules files'],
    ['Talon allowNamespaces not a namespace', () => TalonActionner.networkPolicy({ allowNamespaces: ['Kube_System'] }),
      'TalonActionner.networkPolicy: allowNamespaces entry is not a valid DNS-1123 label (got "Kube_System"): use 1-63 lowercase letters, digits or \'-\', starting and ending with a letter or digit (did you mean "kube-system"?)'],
    ['Talon rules with the same name', talon([rule({}), rule({})]),
      'test/talon: a Talon rule with this name already exists (got "R"): give each rule its own name'],
    ['Talon invalid tag', talon([rule({ match: { tags: [['bad tag!']] } })]),
      'TalonRule "R": match.tags contains an invalid tag (got "bad tag!"): use letters, digits, \'_\' and \'.\', e.g. "mitre_execution"'],
    ['Talon output field without comparison', talon([rule({ match: { outputFields: ['k8s.ns.name'] } })]),
      'TalonRule "R": match.outputFields entry is not field=value or field!=value (got "k8s.ns.name"): use e.g. "k8s.ns.name!=kube-system"'],
    ['Talon duplicate action names', talon([rule({ actions: [{ name: 'a', actionner: label() }, { name: 'a', actionner: label() }] })]),
      'TalonRule "R": two actions have the same name (got "a"): give each action of a rule its own name'],
    ['evidence without a store', talon([rule({ actions: [{ name: 'logs', actionner: TalonActionner.log({ evidenceBucket: 'evidence' }) }] })]),
      'TalonRule "R": action "logs" uploads evidence but FalcoTalon has no evidenceStore (got "evidence"): set evidenceStore on FalcoTalon (TalonObjectStore.minio or TalonObjectStore.awsS3), or drop evidenceBucket where the actionner allows it'],
    ['Talon with :latest image', talon([rule({})], { image: 'falcosecurity/falco-talon:latest' }),
      'test/talon: image is not pinned to a version (got "falcosecurity/falco-talon:latest"): use a pinned reference such as "docker.io/falcosecurity/falco-talon:0.3.0" or one with an @sha256: digest'],
    ['Talon with zero replicas', talon([rule({})], { replicas: 0 }),
      'test/talon: replicas must be a positive integer (got 0): use 1 or more'],
    ['empty label set', () => TalonActionner.label({}),
      'TalonActionner.label: labels is empty (got {}): pass at least one label, e.g. { "security.quarantine": "true" }'],
    ['invalid CIDR', () => TalonActionner.networkPolicy({ allowCidrs: ['10.0.0.300/8'] }),
      'TalonActionner.networkPolicy: allowCidrs contains an invalid IPv4 CIDR (got "10.0.0.300/8"): use a CIDR such as "10.0.0.0/8"'],
    ['sub-second grace period', () => TalonActionner.terminate({ gracePeriod: Duration.millis(1500) }),
      'TalonActionner.terminate: gracePeriod must be a whole number of seconds, at least 0 (got "1500ms"): use e.g. Duration.seconds(10)'],
    ['grace period as a number', () => TalonActionner.terminate({ gracePeriod: 5 as any }),
      'TalonActionner.terminate: gracePeriod is not a Duration (got 5): pass a cdk8s Duration, which states its unit: e.g. Duration.seconds(5) or Duration.minutes(5)'],
    ['bad minHealthyReplicas', () => TalonActionner.terminate({ minHealthyReplicas: 'half' }),
      'TalonActionner.terminate: minHealthyReplicas is not a number or percentage (got "half"): use e.g. "2" or "50%"'],
    ['prefix without bucket', () => TalonActionner.log({ evidencePrefix: 'logs/' }),
      'TalonActionner.log: evidencePrefix needs evidenceBucket (got "logs/"): set evidenceBucket too, or drop evidencePrefix'],
    ['MinIO host with scheme and port', () => TalonObjectStore.minio({ host: 'https://minio:9000', accessKeySecret: minioKey('a'), secretKeySecret: minioKey('s') }),
      'TalonObjectStore.minio: host is not a host name or IP address (got "https://minio:9000"): use the host alone, without scheme, port or path, e.g. "minio.storage.svc", and set port apart'],
    ['MinIO port out of range', () => TalonObjectStore.minio({ host: 'minio', port: 90000, accessKeySecret: minioKey('a'), secretKeySecret: minioKey('s') }),
      'TalonObjectStore.minio: port is not a valid port (got 90000): use an integer from 1 to 65535'],
    ['MinIO credential with a bad Secret name', () => TalonObjectStore.minio({ host: 'minio', accessKeySecret: { secretName: 'Bad_Name', key: 'a' }, secretKeySecret: minioKey('s') }),
      'TalonObjectStore.minio: accessKeySecret.secretName is not a valid DNS-1123 subdomain (got "Bad_Name"): use at most 253 characters: dot-separated labels of lowercase letters, digits or \'-\', each starting and ending with a letter or digit'],
    ['AWS access key without secret key', () => TalonObjectStore.awsS3({ region: 'eu-west-1', accessKeyIdSecret: { secretName: 'aws', key: 'id' } }),
      'TalonObjectStore.awsS3: accessKeyIdSecret and secretAccessKeySecret must be set together (got {"accessKeyIdSecret":{"secretName":"aws","key":"id"}}): set both, or neither to use the pod identity'],
    ['AWS region misspelt', () => TalonObjectStore.awsS3({ region: 'europe' }),
      'TalonObjectStore.awsS3: region is not an AWS region (got "europe"): use a region such as "eu-west-1"'],
    ['Kuberhealthy timeout not below interval', check({ runInterval: Duration.minutes(5), timeout: Duration.minutes(5) }),
      'test/check: timeout must be shorter than runInterval (got {"runInterval":"5m","timeout":"5m"}): shorten timeout or lengthen runInterval, so a run ends before the next starts'],
    ['Kuberhealthy sub-second interval', check({ runInterval: Duration.millis(1500) }),
      'test/check: runInterval must be a whole number of seconds, at least 1 (got "1500ms"): use e.g. Duration.seconds(30) or Duration.minutes(5)'],
    ['Kuberhealthy reserved env', check({ env: { KH_REPORTING_URL: 'http://x' } }),
      'test/check: env has an invalid or reserved variable name (got "KH_REPORTING_URL"): use letters, digits and "_", not starting with a digit; KH_* variables are set by Kuberhealthy'],
    ['Kuberhealthy unpinned image', check({ image: 'curlimages/curl' }),
      'test/check: image is not pinned to a version (got "curlimages/curl"): use a pinned reference such as "docker.io/curlimages/curl:8.11.1" or one with an @sha256: digest'],
    ['health check without DaemonSets', () => new DaemonSetHealthCheck(Testing.chart(), 'hc', { namespace: 'checks', daemonSets: [] }),
      'test/hc: daemonSets is empty (got []): list the DaemonSets to watch, e.g. { namespace: "falco", name: "falco" }'],
    ['quarantine without namespaces', () => new QuarantineNetworkPolicy(Testing.chart(), 'q', { namespaces: [] }),
      'test/q: namespaces is empty (got []): list the namespaces whose pods may be quarantined'],
    ['quarantine namespace twice', () => new QuarantineNetworkPolicy(Testing.chart(), 'q', { namespaces: ['shop', 'shop'] }),
      'test/q: namespace listed twice (got "shop"): list each namespace once'],
    ['kube-bench schedule with six fields', kubeBench({ schedule: '0 0 3 * * *' }),
      'test/kb: schedule has 6 fields, not 5 (got "0 0 3 * * *"): use five fields "minute hour day-of-month month day-of-week", e.g. "0 3 * * *", or a macro such as "@daily"'],
    ['kube-bench hour out of range', kubeBench({ schedule: '0 24 * * *' }),
      'test/kb: schedule has an invalid hour "24" (got "0 24 * * *"): use values from 0 to 23; use five fields "minute hour day-of-month month day-of-week", e.g. "0 3 * * *", or a macro such as "@daily"'],
    ['kube-bench unknown benchmark', kubeBench({ benchmark: 'cis-9.9' }),
      'test/kb: benchmark is not one kube-bench ships (got "cis-9.9")'],
    ['kube-bench control-plane targets on workers', kubeBench({ targets: [KubeBenchTarget.NODE, KubeBenchTarget.ETCD] }),
      'test/kb: targets inspect control-plane files but the job runs on worker nodes (got ["etcd"]): set runOnControlPlane: true, or drop the master, controlplane and etcd targets'],
    ['kube-bench duplicate targets', kubeBench({ targets: [KubeBenchTarget.NODE, KubeBenchTarget.NODE] }),
      'test/kb: targets must be non-empty and without duplicates (got ["node","node"]): list each KubeBenchTarget once'],
  ])('%s', (_, build, message) => {
    expect(build).toThrow(message);
  });

  test('a FalcoTalon without rules fails at synth', () => {
    const t = new FalcoTalon(Testing.chart(), 'talon');
    expect(() => synth(t)).toThrow('test/talon: FalcoTalon has no rules (got []): add a rule with addRule(), or leave Talon out');
  });

  test('valid edge cases pass', () => {
    expect(() => kubeBench({ schedule: '*/15 0-6,22 1-31/2 * 1-5' })()).not.toThrow();
    expect(() => kubeBench({ schedule: '@weekly' })()).not.toThrow();
    expect(() => talon([rule({ match: { minimumPriority: FalcoPriority.WARNING } })])()).not.toThrow();
  });
});
