// Pinned images. Tags checked against falcosecurity/charts (charts/falco/Chart.yaml
// appVersion 0.44.1, falcoctl.image.tag in charts/falco/values.yaml, image.tag in
// charts/falcosidekick/values.yaml): a chart upgrade moves them together.

/** Falco itself; also ships the default ruleset and the container plugin used when falcoctl is off. */
export const FALCO_IMAGE = 'docker.io/falcosecurity/falco:0.44.1';
/** Builds or downloads the kernel module (kmod/auto drivers); the chart tags it with Falco's version. */
export const FALCO_DRIVER_LOADER_IMAGE = 'docker.io/falcosecurity/falco-driver-loader:0.44.1';
/** Installs and follows rules and plugin artifacts. */
export const FALCOCTL_IMAGE = 'docker.io/falcosecurity/falcoctl:0.13.0';
/** Fans Falco events out to alerting and SIEM outputs. */
export const FALCOSIDEKICK_IMAGE = 'docker.io/falcosecurity/falcosidekick:2.32.0';
