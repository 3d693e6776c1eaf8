/**
 * PromQL validations per second on the expressions the security alert
 * catalogue ships, against a baseline measured in the same run: lezer's raw
 * parse (what any validator must pay) without our tree walk and type checks.
 *
 *   npx ts-node --transpile-only bench/promql.bench.ts
 */
import type { LRParser } from '@lezer/lr';
import { Testing } from 'cdk8s';
import { parse } from 'yaml';
import { PromQL, SecurityAlerts } from '../src';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { parser } = require('@prometheus-io/lezer-promql') as { parser: LRParser };

const catalogue = new SecurityAlerts(Testing.chart(), 'alerts');
const expressions: string[] = parse(catalogue.toRuleFile()).groups.flatMap((g: any) => g.rules.map((r: any) => r.expr));

/** Runs `fn` over all expressions for about `seconds` and returns expressions per second. */
function measure(fn: (expr: string) => void, seconds = 2): number {
  for (let i = 0; i < 200; i++) expressions.forEach(fn); // warm-up for the JIT
  let count = 0;
  const start = process.hrtime.bigint();
  const deadline = start + BigInt(seconds * 1e9);
  let now = start;
  while (now < deadline) {
    expressions.forEach(fn);
    count += expressions.length;
    now = process.hrtime.bigint();
  }
  return count / (Number(now - start) / 1e9);
}

const baseline = measure((expr) => parser.parse(expr));
const validate = measure((expr) => PromQL.validate(expr));
const rows = [
  ['lezer parse only (baseline)', baseline],
  ['PromQL.validate (parse + checks)', validate],
] as const;

const chars = expressions.reduce((n, e) => n + e.length, 0);
console.log(`${expressions.length} catalogue expressions, ${Math.round(chars / expressions.length)} characters on average\n`);
console.log('| case | expressions/s | ratio to baseline |');
console.log('|---|---:|---:|');
for (const [name, rate] of rows) console.log(`| ${name} | ${Math.round(rate).toLocaleString('en-US')} | ${(rate / baseline).toFixed(2)} |`);
