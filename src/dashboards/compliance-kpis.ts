import { DashboardPanelProps, PanelKind } from './panel';

/**
 * Recording rules of the compliance KPIs (issue 8, "Compliance scans"),
 * which the compliance part defines; kube-bench itself exports no metric (its
 * JSON results go to the logs and from there to the SIEM).
 *
 * TODO(merge with compliance): replace these names with the records the
 * compliance KPI rules actually export, then have `SecurityMonitoringStack`
 * add these panels when compliance scans are enabled.
 */
export const COMPLIANCE_KPI_RECORDS = {
  falcoCriticalEventsPerDay: 'security:falco_critical_events:increase1d',
  alertsPerSeverityPerDay: 'security:alerts_firing:count1d',
};

/** The compliance KPI panels, for `SecurityDashboard.addPanel` once the records exist. */
export function complianceKpiPanels(): DashboardPanelProps[] {
  return [
    {
      title: 'Falco critical events per day',
      kind: PanelKind.STAT,
      queries: [{ expr: `sum(${COMPLIANCE_KPI_RECORDS.falcoCriticalEventsPerDay})` }],
    },
    {
      title: 'Alerts per severity per day',
      kind: PanelKind.BAR_GAUGE,
      queries: [{ expr: `sum by (severity) (${COMPLIANCE_KPI_RECORDS.alertsPerSeverityPerDay})`, legend: '{{severity}}' }],
    },
  ];
}
