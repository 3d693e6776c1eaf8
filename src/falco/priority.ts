/**
 * Falco rule priorities, most to least severe. Falco's `priority` setting and
 * falcosidekick's per-output `minimumpriority` compare against this order.
 * @see https://falco.org/docs/concepts/rules/basic-elements/#priority
 */
export enum FalcoPriority {
  EMERGENCY = 'EMERGENCY',
  ALERT = 'ALERT',
  CRITICAL = 'CRITICAL',
  ERROR = 'ERROR',
  WARNING = 'WARNING',
  NOTICE = 'NOTICE',
  INFORMATIONAL = 'INFORMATIONAL',
  DEBUG = 'DEBUG',
}
