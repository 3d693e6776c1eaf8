// Validation speed on the upstream default ruleset, against a plain YAML parse of the same file.
import * as fs from 'fs';
import * as path from 'path';
import { performance } from 'perf_hooks';
import { parse } from 'yaml';
import { FalcoRules } from '../src/falco/rules';
import { parseCondition } from '../src/falco/rules/condition-parser';

const text = fs.readFileSync(path.join(__dirname, '..', '..', 'shared', 'reference', 'falco_rules.yaml'), 'utf8');
const conditions = (parse(text) as Record<string, unknown>[]).map((i) => i.condition).filter((c): c is string => typeof c === 'string');

function median(run: () => void, runs = 15): number {
  for (let i = 0; i < 3; i++) run(); // warm-up
  const times = Array.from({ length: runs }, () => {
    const start = performance.now();
    run();
    return performance.now() - start;
  }).sort((a, b) => a - b);
  return times[Math.floor(runs / 2)];
}

const yamlMs = median(() => parse(text));
const parseMs = median(() => conditions.forEach((c) => parseCondition(c)));
const validateMs = median(() => FalcoRules.fromYaml(text).validate());
console.table([
  { step: 'yaml parse (baseline)', ms: yamlMs.toFixed(2), ratio: '1.00' },
  { 'step': `parse ${conditions.length} conditions`, 'ms': parseMs.toFixed(2), 'ratio': (parseMs / yamlMs).toFixed(2), 'conditions/s': Math.round(conditions.length / (parseMs / 1000)) },
  { step: 'load + validate whole ruleset', ms: validateMs.toFixed(2), ratio: (validateMs / yamlMs).toFixed(2), target: '< 50 ms' },
]);
