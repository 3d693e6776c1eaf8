/**
 * Evaluates 100,000 requests against the production audit policy.
 * Run: npx ts-node --transpile-only bench/audit.bench.ts
 *
 * The baseline builds the same requests and does trivial work per request, so
 * the ratio shows what the policy checker costs on top of request construction.
 */
import { AuditPolicy, AuditRequest } from '../src';

const COUNT = 100_000;
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

function time(run: () => number): { ms: number; checksum: number } {
  const start = process.hrtime.bigint();
  const checksum = run();
  return { ms: Number(process.hrtime.bigint() - start) / 1e6, checksum };
}

function best(run: () => number, repeats = 5) {
  run(); // warm-up
  return Array.from({ length: repeats }, () => time(run)).sort((a, b) => a.ms - b.ms)[0];
}

const policy = AuditPolicy.production();
const baseline = best(() => {
  let sum = 0;
  for (let i = 0; i < COUNT; i++) sum += request(i).verb.length;
  return sum;
});
const evaluation = best(() => {
  let sum = 0;
  for (let i = 0; i < COUNT; i++) sum += policy.evaluate(request(i)).ruleIndex ?? -1;
  return sum;
});

const rate = (ms: number) => Math.round(COUNT / (ms / 1000)).toLocaleString('en-US');
console.log(`| case (${COUNT.toLocaleString('en-US')} requests, best of 5) | ms | requests/s | ratio |`);
console.log('|---|---:|---:|---:|');
console.log(`| baseline: build request | ${baseline.ms.toFixed(1)} | ${rate(baseline.ms)} | 1.0 |`);
console.log(`| evaluate against production preset (${policy.rules.length} rules) | ${evaluation.ms.toFixed(1)} | ${rate(evaluation.ms)} | ${(evaluation.ms / baseline.ms).toFixed(1)} |`);
