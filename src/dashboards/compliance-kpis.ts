import { DashboardPanelProps, PanelKind } from './panel';
import { SECURITY_KPI_RECORDS } from '../compliance/security-kpi-rules';

/**
 * The compliance KPI panels. kube-bench itself exports no metric (its JSON
 * results go to the logs and from there to the SIEM), so the panels read the
 * series `SecurityKpiRules` records; add them where those rules are deployed.
 */
export function complianceKpiPanels(): DashboardPanelProps[] {
  return [
    {
      title: 'Falco critical events per day',
      kind: PanelKind.STAT,
      queries: [{ expr: `sum(${SECURITY_KPI_RECORDS.falcoCriticalEventsPerDay})` }],
    },
    {
      title: 'Alerts per severity per day',
      kind: PanelKind.BAR_GAUGE,
      queries: [{ expr: `sum by (severity) (${SECURITY_KPI_RECORDS.alertsFiredBySeverityPerDay})`, legend: '{{severity}}' }],
    },
  ];
}
