import { ErrorLocation, validationError } from './validation';

/** Field ranges of a standard five-field cron expression (minute hour day-of-month month day-of-week). */
const FIELDS: ReadonlyArray<{ name: string; min: number; max: number }> = [
  { name: 'minute', min: 0, max: 59 },
  { name: 'hour', min: 0, max: 23 },
  { name: 'day of month', min: 1, max: 31 },
  { name: 'month', min: 1, max: 12 },
  { name: 'day of week', min: 0, max: 7 },
];
const MACROS = new Set(['@yearly', '@annually', '@monthly', '@weekly', '@daily', '@midnight', '@hourly']);
const TERM = /^(\*|(\d+)(?:-(\d+))?)(?:\/(\d+))?$/;

/**
 * Validates a CronJob schedule as the Kubernetes controller parses it
 * (robfig/cron standard syntax: five numeric fields with `*`, ranges, steps
 * and lists, or a macro such as `@daily`). Month and weekday names are not
 * accepted, to keep schedules unambiguous.
 */
export function validateCronSchedule(where: ErrorLocation, field: string, schedule: unknown): string {
  const fix = 'use five fields "minute hour day-of-month month day-of-week", e.g. "0 3 * * *", or a macro such as "@daily"';
  if (typeof schedule !== 'string') throw validationError(where, `${field} must be a string`, schedule, fix);
  if (MACROS.has(schedule)) return schedule;
  const parts = schedule.trim().split(/\s+/);
  if (parts.length !== FIELDS.length) {
    throw validationError(where, `${field} has ${parts.length} fields, not 5`, schedule, fix);
  }
  parts.forEach((part, i) => {
    const { name, min, max } = FIELDS[i];
    for (const term of part.split(',')) {
      const m = TERM.exec(term);
      const numbers = m ? [m[2], m[3]].filter((n) => n !== undefined).map(Number) : [];
      const rangeOk = numbers.every((n) => n >= min && n <= max) && (numbers.length < 2 || numbers[0] <= numbers[1]);
      if (!m || !rangeOk || (m[4] !== undefined && Number(m[4]) === 0)) {
        throw validationError(where, `${field} has an invalid ${name} "${term}"`, schedule, `use values from ${min} to ${max}; ${fix}`);
      }
    }
  });
  return schedule;
}
