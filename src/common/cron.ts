import { ErrorLocation, validationError } from './validation';

/** Field ranges of a standard five-field cron expression (minute hour day-of-month month day-of-week). */
const FIELDS: ReadonlyArray<{ name: string; min: number; max: number }> = [
  { name: 'minute', min: 0, max: 59 },
  { name: 'hour', min: 0, max: 23 },
  { name: 'day of month', min: 1, max: 31 },
  { name: 'month', min: 1, max: 12 },
  // robfig/cron, which the CronJob controller uses, counts Sunday as 0 only: 7 is out of range.
  { name: 'day of week', min: 0, max: 6 },
];
const MACROS = new Set(['@yearly', '@annually', '@monthly', '@weekly', '@daily', '@midnight', '@hourly']);
/** `@every` and a Go duration (time.ParseDuration), which robfig/cron turns into a fixed interval. */
const EVERY = /^@every (?:0|(?:(?:\d+(?:\.\d*)?|\.\d+)(?:ns|us|µs|ms|s|m|h))+)$/;
const TERM = /^(\*|(\d+)(?:-(\d+))?)(?:\/(\d+))?$/;
/** The most days each month can have (February 29). */
const DAYS_IN_MONTH = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/**
 * Validates a CronJob schedule as the Kubernetes controller parses it
 * (robfig/cron standard syntax: five numeric fields with `*`, ranges, steps
 * and lists, a macro such as `@daily`, or `@every` and a Go duration such as
 * `@every 6h`). Month and weekday names are not accepted, to keep schedules
 * unambiguous.
 */
export function validateCronSchedule(where: ErrorLocation, field: string, schedule: unknown): string {
  const fix = 'use five fields "minute hour day-of-month month day-of-week", e.g. "0 3 * * *", or a macro such as "@daily"';
  if (typeof schedule !== 'string') throw validationError(where, `${field} must be a string`, schedule, fix);
  if (MACROS.has(schedule)) return schedule;
  if (schedule.startsWith('@every')) return validateEvery(where, field, schedule);
  const parts = schedule.trim().split(/\s+/);
  if (parts.length !== FIELDS.length) {
    throw validationError(where, `${field} has ${parts.length} fields, not 5`, schedule, fix);
  }
  const values = parts.map((part, i) => {
    const { name, min, max } = FIELDS[i];
    const selected = new Set<number>();
    for (const term of part.split(',')) {
      const m = TERM.exec(term);
      const numbers = m ? [m[2], m[3]].filter((n) => n !== undefined).map(Number) : [];
      const rangeOk = numbers.every((n) => n >= min && n <= max) && (numbers.length < 2 || numbers[0] <= numbers[1]);
      if (!m || !rangeOk || (m[4] !== undefined && Number(m[4]) === 0)) {
        const sunday = i === 4 && numbers.includes(7) ? ' (Sunday is 0: Kubernetes refuses 7)' : '';
        throw validationError(where, `${field} has an invalid ${name} "${term}"${sunday}`, schedule, `use values from ${min} to ${max}; ${fix}`);
      }
      // A single value with a step runs from it to the end of the range, as in robfig/cron.
      const [from, to] = numbers.length === 0 ? [min, max] : [numbers[0], numbers[1] ?? (m![4] !== undefined ? max : numbers[0])];
      for (let n = from; n <= to; n += Number(m![4] ?? 1)) selected.add(n);
    }
    return selected;
  });
  // With any day of the week, the job runs on the selected days of the selected months only.
  const [, , days, months] = values;
  if (parts[4] === '*' && ![...months].some((month) => [...days].some((day) => day <= DAYS_IN_MONTH[month - 1]))) {
    throw validationError(where, `${field} never runs: no selected month has the selected days of the month`, schedule,
      `pick days that the months have (February has at most 29, April, June, September and November 30); ${fix}`);
  }
  return schedule;
}

/**
 * `@every <duration>`: robfig/cron parses the duration with Go's time.ParseDuration and runs at that
 * interval; a zero or negative interval would silently become one second, so it is refused here.
 */
function validateEvery(where: ErrorLocation, field: string, schedule: string): string {
  const fix = 'write "@every" and a positive Go duration, e.g. "@every 6h" or "@every 1h30m"';
  if (!EVERY.test(schedule)) throw validationError(where, `${field} has an invalid @every duration`, schedule, fix);
  if (!/[1-9]/.test(schedule)) throw validationError(where, `${field} runs every 0 seconds`, schedule, fix);
  return schedule;
}
