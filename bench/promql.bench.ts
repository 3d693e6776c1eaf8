/**
 * PromQL validations per second on the expressions the security alert
 * catalogue ships, against lezer's raw parse of the same expressions (what any
 * validator must pay) measured in the same run.
 */
import type { LRParser } from '@lezer/lr';
import { Testing } from 'cdk8s';
import { parse } from 'yaml';
import { PromQL, SecurityAlerts } from '../src';
import { formatMs, measure, printTable, ratio, writeResults } from './lib/harness';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { parser } = require('@prometheus-io/lezer-promql') as { parser: LRParser };

const catalogue = new SecurityAlerts(Testing.chart(), 'alerts');
const expressions: string[] = parse(catalogue.toRuleFile()).groups.flatMap((g: any) => g.rules.map((r: any) => r.expr));
const ROUNDS = 50;

const baseline = measure(() => { for (let i = 0; i < ROUNDS; i++) expressions.forEach((e) => parser.parse(e)); });
const validate = measure(() => { for (let i = 0; i < ROUNDS; i++) expressions.forEach((e) => PromQL.validate(e)); });

const perSecond = (ms: number) => Math.round((ROUNDS * expressions.length) / (ms / 1000));
const chars = Math.round(expressions.reduce((n, e) => n + e.length, 0) / expressions.length);
printTable(`PromQL: ${expressions.length} catalogue expressions (${chars} characters on average) × ${ROUNDS}`, [
  { 'case': 'lezer parse only (baseline)', 'median': formatMs(baseline.medianMs), 'expressions/s': perSecond(baseline.medianMs), 'vs baseline': ratio(1, 1) },
  { 'case': 'PromQL.validate (parse + checks)', 'median': formatMs(validate.medianMs), 'expressions/s': perSecond(validate.medianMs), 'vs baseline': ratio(validate.medianMs, baseline.medianMs) },
]);
console.log(`\nresults: ${writeResults('promql')}`);
