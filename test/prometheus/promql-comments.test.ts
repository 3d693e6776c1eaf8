import { lexicalExpressions } from './promql-comments';
import { promtoolRejections, promtoolVersion } from './promtool';
import { PromQL } from '../../src';

/**
 * promtool's verdicts on comments in every position, numbers such as `5.` and
 * empty-match regexes with inline flags: promtool runs where it is installed,
 * and its recorded verdicts (__verdicts__/, test/util/recorded-tool.ts) stand in
 * on a machine without it. Record again with
 * `npx projen verdicts test/prometheus/promql-comments.test.ts` (needs promtool).
 */

function ourMessage(expr: string): string | null {
  try {
    PromQL.validate(expr);
    return null;
  } catch (e) {
    return (e as Error).message.split('\n')[0];
  }
}

describe('PromQL.validate reads comments, numbers and regex flags as promtool does', () => {
  const expressions = lexicalExpressions();

  test('every expression is accepted by both or rejected by both', () => {
    const rejectedByPromtool = promtoolRejections(expressions);
    const disagreements = expressions.flatMap((expr) => {
      const ours = ourMessage(expr);
      const theirs = rejectedByPromtool.get(expr) ?? null;
      return (ours === null) === (theirs === null) ? [] : [`${JSON.stringify(expr)}\n  ours: ${ours ?? 'valid'}\n  promtool ${promtoolVersion()}: ${theirs ?? 'valid'}`];
    });
    expect(disagreements).toEqual([]);
    // Both outcomes are well represented, so agreement means something.
    expect(rejectedByPromtool.size).toBeGreaterThan(100);
    expect(expressions.length - rejectedByPromtool.size).toBeGreaterThan(100);
  });

  test('a comment right after "[" is refused with the reason', () => {
    expect(() => PromQL.validate('rate(x[# why\n5m])')).toThrow(/a comment cannot stand right after "\[" at line 1, column 8/);
  });

  test('an expression that is only a comment is empty', () => {
    expect(() => PromQL.validate('# nothing here')).toThrow(/PromQL expression is empty/);
  });
});
