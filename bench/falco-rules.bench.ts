/**
 * Falco rule validation on the upstream default ruleset (read from
 * ../shared/reference, never copied), against a plain YAML parse of the same
 * file measured in the same run. Target: the whole ruleset validated in < 50 ms.
 */
import * as fs from 'fs';
import * as path from 'path';
import { parse } from 'yaml';
import { formatMs, measure, printTable, ratio, writeResults } from './lib/harness';
import { FalcoRules } from '../src/falco/rules';
import { parseCondition } from '../src/falco/rules/condition-parser';

const text = fs.readFileSync(path.join(__dirname, '..', '..', 'shared', 'reference', 'falco_rules.yaml'), 'utf8');
const conditions = (parse(text) as Record<string, unknown>[]).map((i) => i.condition).filter((c): c is string => typeof c === 'string');

const yaml = measure(() => parse(text));
const conditionParse = measure(() => conditions.forEach((c) => parseCondition(c)));
const wholeRuleset = measure(() => FalcoRules.fromYaml(text).validate());

printTable('Falco rules: upstream default ruleset', [
  { 'step': 'yaml parse of the file (baseline)', 'median': formatMs(yaml.medianMs), 'conditions/s': '', 'vs baseline': ratio(1, 1) },
  { 'step': `parse ${conditions.length} conditions`, 'median': formatMs(conditionParse.medianMs), 'conditions/s': Math.round(conditions.length / (conditionParse.medianMs / 1000)), 'vs baseline': ratio(conditionParse.medianMs, yaml.medianMs) },
  { 'step': 'load + validate whole ruleset (target < 50 ms)', 'median': formatMs(wholeRuleset.medianMs), 'conditions/s': Math.round(conditions.length / (wholeRuleset.medianMs / 1000)), 'vs baseline': ratio(wholeRuleset.medianMs, yaml.medianMs) },
]);
console.log(`\nresults: ${writeResults('falco-rules')}`);
