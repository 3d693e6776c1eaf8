import * as fs from 'fs';
import * as path from 'path';
import { lexicalExpressions } from './promql-comments';
import { promtoolRejections, promtoolVersion } from './promtool';
import { PromQL } from '../../src';
import { describeLive, PROMTOOL } from '../util/live-tools';

/**
 * promtool's verdicts on comments in every position, numbers such as `5.` and
 * empty-match regexes with inline flags, recorded so that a machine without
 * promtool still holds PromQL.validate to them. Regenerate with
 * `UPDATE_VERDICTS=1 npx jest test/prometheus/promql-comments.test.ts` (needs promtool).
 */
const VERDICTS = path.join(__dirname, 'promql-comments.verdicts.json');

interface Verdicts {
  readonly promtool: string;
  /** Each expression with promtool's message, or null when it accepts it. */
  readonly verdicts: Record<string, string | null>;
}

function ourMessage(expr: string): string | null {
  try {
    PromQL.validate(expr);
    return null;
  } catch (e) {
    return (e as Error).message.split('\n')[0];
  }
}

describe('PromQL.validate reads comments, numbers and regex flags as promtool does', () => {
  const recorded: Verdicts = JSON.parse(fs.readFileSync(VERDICTS, 'utf8'));
  const expressions = lexicalExpressions();

  test('the recorded verdicts cover exactly the generated expressions', () => {
    expect(Object.keys(recorded.verdicts).sort()).toEqual([...expressions].sort());
  });

  test('every expression is accepted by both or rejected by both', () => {
    const disagreements = expressions.flatMap((expr) => {
      const ours = ourMessage(expr);
      const theirs = recorded.verdicts[expr];
      return (ours === null) === (theirs === null) ? [] : [`${JSON.stringify(expr)}\n  ours: ${ours ?? 'valid'}\n  promtool ${recorded.promtool}: ${theirs ?? 'valid'}`];
    });
    expect(disagreements).toEqual([]);
    // Both outcomes are well represented, so agreement means something.
    const rejected = Object.values(recorded.verdicts).filter((v) => v !== null).length;
    expect(rejected).toBeGreaterThan(100);
    expect(expressions.length - rejected).toBeGreaterThan(100);
  });

  test('a comment right after "[" is refused with the reason', () => {
    expect(() => PromQL.validate('rate(x[# why\n5m])')).toThrow(/a comment cannot stand right after "\[" at line 1, column 8/);
  });

  test('an expression that is only a comment is empty', () => {
    expect(() => PromQL.validate('# nothing here')).toThrow(/PromQL expression is empty/);
  });
});

describeLive(PROMTOOL, 'the recorded verdicts are what promtool says today', () => {
  test('promtool check rules agrees with the recorded verdicts', () => {
    const expressions = lexicalExpressions();
    const rejected = promtoolRejections(expressions);
    const today: Verdicts = {
      promtool: promtoolVersion(),
      verdicts: Object.fromEntries(expressions.map((expr) => [expr, rejected.get(expr) ?? null])),
    };
    if (process.env.UPDATE_VERDICTS === '1') fs.writeFileSync(VERDICTS, `${JSON.stringify(today, undefined, 1)}\n`);
    expect(today).toEqual(JSON.parse(fs.readFileSync(VERDICTS, 'utf8')));
  });
});
