export { KubeBenchCronJob, KubeBenchCronJobProps, KubeBenchTarget } from './kube-bench';
export { SecurityKpiRules, SecurityKpiRulesProps } from './security-kpi-rules';
