/** The rules and alerts the scale benchmarks add, one generator for every benchmark that needs them. */
import { FalcoPriority, FalcoRuleProps } from '../../src';

/** The i-th generated Falco rule: distinct name, condition and output, like rules generated from an inventory. */
export function benchFalcoRule(i: number): FalcoRuleProps {
  return {
    name: `Bench rule ${i}`,
    description: 'A process ran that the benchmark names',
    condition: `evt.type in (execve, execveat) and proc.name = "bench-${i}" and not user.name in (root, daemon)`,
    output: `Benchmark process started (proc=%proc.name user=%user.name cmdline=%proc.cmdline rule=${i})`,
    priority: FalcoPriority.WARNING,
    tags: ['bench'],
  };
}
