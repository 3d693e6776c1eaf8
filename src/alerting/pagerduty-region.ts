/** The PagerDuty service region events are sent to (PagerDuty's US or EU service). */
export enum PagerDutyRegion {
  US = 'us',
  EU = 'eu',
}
