/**
 * Audit policy evaluation: 100,000 requests against the production preset. The
 * baseline builds the same requests and does trivial work per request, so the
 * ratio shows what the policy checker costs on top of request construction.
 */
import { AuditPolicy, AuditRequest } from '../src';
import { formatMs, measure, printTable, QUICK, ratio, writeResults } from './lib/harness';

const COUNT = QUICK ? 10_000 : 100_000;
const VERBS = ['get', 'list', 'watch', 'create', 'update', 'patch', 'delete'];
const RESOURCES: Array<[string, string, string]> = [
  ['', 'pods', ''], ['', 'pods', 'exec'], ['', 'secrets', ''], ['', 'configmaps', ''], ['', 'nodes', 'status'],
  ['', 'endpoints', ''], ['', 'events', ''], ['apps', 'deployments', ''], ['batch', 'jobs', ''],
  ['coordination.k8s.io', 'leases', ''], ['example.com', 'widgets', ''],
];
const USERS: Array<[string, string[]]> = [
  ['alice', ['system:authenticated']], ['system:kube-proxy', []], ['system:node:n1', ['system:nodes']],
  ['system:kube-controller-manager', []], ['system:anonymous', ['system:unauthenticated']],
];
const PATHS = ['/healthz', '/livez', '/metrics', '/apis', '/version'];

function request(i: number): AuditRequest {
  const [user, groups] = USERS[i % USERS.length];
  const verb = VERBS[i % VERBS.length];
  if (i % 10 === 0) return { user, groups, verb: 'get', path: PATHS[i % PATHS.length] };
  const [apiGroup, resource, subresource] = RESOURCES[i % RESOURCES.length];
  return { user, groups, verb, apiGroup, resource, subresource: subresource || undefined, namespace: i % 3 ? 'default' : '', name: `obj-${i % 50}` };
}

const policy = AuditPolicy.production();
let sink = 0;
const baseline = measure(() => {
  for (let i = 0; i < COUNT; i++) sink += request(i).verb.length;
});
const evaluation = measure(() => {
  for (let i = 0; i < COUNT; i++) sink += policy.evaluate(request(i)).ruleIndex ?? -1;
});

const rate = (ms: number) => Math.round(COUNT / (ms / 1000));
printTable(`Audit policy evaluation (${COUNT} requests)`, [
  { 'case': 'baseline: build the request', 'median': formatMs(baseline.medianMs), 'requests/s': rate(baseline.medianMs), 'vs baseline': ratio(1, 1) },
  { 'case': `evaluate against production preset (${policy.rules.length} rules)`, 'median': formatMs(evaluation.medianMs), 'requests/s': rate(evaluation.medianMs), 'vs baseline': ratio(evaluation.medianMs, baseline.medianMs) },
]);
console.log(`\nresults: ${writeResults('audit')} (checksum ${sink % 7})`);
