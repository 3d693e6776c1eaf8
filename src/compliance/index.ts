export { KubeBenchCronJob, KubeBenchCronJobProps, KubeBenchOptions, KubeBenchTarget } from './kube-bench';
export { SecurityKpiRules, SecurityKpiRulesProps } from './security-kpi-rules';
