/**
 * The outputs of falcosidekick 2.32.0 (the pinned image) and the settings
 * each reads from its environment, as falcosidekick names them in its
 * config.yaml (lower case; nested keys with dots). Facts taken from upstream
 * falcosecurity/falcosidekick at tag 2.32.0: `config.go` (the defaults it
 * registers, and the variables it reads itself with `os.LookupEnv`) and
 * `main.go` (the settings that enable each output).
 *
 * Only a setting with a registered default is read from the environment:
 * falcosidekick's configuration library (viper 1.19) unmarshals the keys it
 * knows, so `NATS_MINIMUMPRIORITY`, say, is ignored. That is why some outputs
 * have no `minimumpriority` here.
 */

/** An output falcosidekick knows. */
export interface KnownFalcosidekickOutput {
  /** Settings that must all be non-empty for falcosidekick to enable the output, space-separated. */
  readonly enabledBy: string;
  /** Every setting it reads from the environment, space-separated. */
  readonly keys: string;
  /** Settings whose values are http(s) URLs (comma-separated where falcosidekick takes several), space-separated. */
  readonly urls?: string;
  /** Whether certificate checking (`checkcert`) is off unless set. */
  readonly checkCertOff?: boolean;
}

/** By config key: the top-level key of config.yaml, or its dotted path for the outputs of a cloud (`aws.s3`). */
export const FALCOSIDEKICK_OUTPUTS: Readonly<Record<string, KnownFalcosidekickOutput>> = {
  'alertmanager': { enabledBy: 'hostport', keys: 'checkcert customheaders customseveritymap dropeventdefaultpriority dropeventthresholds endpoint expiresafter extraannotations extralabels hostport maxconcurrentrequests minimumpriority mutualtls', urls: 'hostport' },
  'aws.cloudwatchlogs': { enabledBy: 'loggroup', keys: 'loggroup logstream minimumpriority' },
  'aws.kinesis': { enabledBy: 'streamname', keys: 'minimumpriority streamname' },
  'aws.lambda': { enabledBy: 'functionname', keys: 'functionname invocationtype logtype minimumpriority' },
  'aws.s3': { enabledBy: 'bucket', keys: 'bucket endpoint minimumpriority objectcannedacl prefix' },
  'aws.securitylake': { enabledBy: 'bucket region accountid prefix', keys: 'accountid batchsize bucket interval minimumpriority prefix region' },
  'aws.sns': { enabledBy: 'topicarn', keys: 'minimumpriority rawjson topicarn' },
  'aws.sqs': { enabledBy: 'url', keys: 'minimumpriority url', urls: 'url' },
  'azure.eventhub': { enabledBy: 'name', keys: 'minimumpriority name namespace' },
  'cliq': { enabledBy: 'webhookurl', keys: 'checkcert icon maxconcurrentrequests messageformat minimumpriority mutualtls outputformat useemoji webhookurl' },
  'cloudevents': { enabledBy: 'address', keys: 'address checkcert extensions maxconcurrentrequests minimumpriority mutualtls', urls: 'address' },
  'datadog': { enabledBy: 'apikey', keys: 'apikey checkcert host maxconcurrentrequests minimumpriority mutualtls', urls: 'host' },
  'datadoglogs': { enabledBy: 'apikey', keys: 'apikey checkcert host maxconcurrentrequests minimumpriority mutualtls service', urls: 'host' },
  'discord': { enabledBy: 'webhookurl', keys: 'checkcert icon maxconcurrentrequests minimumpriority mutualtls webhookurl' },
  'dogstatsd': { enabledBy: 'forwarder', keys: 'forwarder namespace tags' },
  'dynatrace': { enabledBy: 'apitoken apiurl', keys: 'apitoken apiurl checkcert minimumpriority', urls: 'apiurl' },
  'elasticsearch': { enabledBy: 'hostport', keys: 'apikey batching.batchsize batching.enabled batching.flushinterval checkcert createindextemplate enablecompression flattenfields hostport index maxconcurrentrequests minimumpriority mutualtls numberofreplicas numberofshards password pipeline suffix type username', urls: 'hostport' },
  'fission': { enabledBy: 'function', keys: 'checkcert function functionnamespace kubeconfig maxconcurrentrequests minimumpriority mutualtls routernamespace routerport routerservice' },
  'gcp.cloudfunctions': { enabledBy: 'name', keys: 'minimumpriority name' },
  'gcp.cloudrun': { enabledBy: 'endpoint jwt', keys: 'endpoint jwt minimumpriority', urls: 'endpoint' },
  'gcp.pubsub': { enabledBy: 'topic projectid', keys: 'customattributes minimumpriority projectid topic' },
  'gcp.storage': { enabledBy: 'bucket', keys: 'bucket minimumpriority prefix' },
  'googlechat': { enabledBy: 'webhookurl', keys: 'checkcert maxconcurrentrequests messageformat minimumpriority mutualtls outputformat webhookurl' },
  'gotify': { enabledBy: 'hostport', keys: 'checkcert format hostport minimumpriority token', urls: 'hostport' },
  'grafana': { enabledBy: 'hostport apikey', keys: 'allfieldsastags apikey checkcert dashboardid hostport maxconcurrentrequests minimumpriority mutualtls panelid', urls: 'hostport' },
  'grafanaoncall': { enabledBy: 'webhookurl', keys: 'checkcert maxconcurrentrequests minimumpriority mutualtls webhookurl' },
  'influxdb': { enabledBy: 'hostport', keys: 'bucket checkcert database hostport maxconcurrentrequests minimumpriority mutualtls organization password precision token user', urls: 'hostport' },
  'kafka': { enabledBy: 'hostport topic', keys: 'async balancer clientid compression hostport minimumpriority password requiredacks sasl tls topic topiccreation username' },
  'kafkarest': { enabledBy: 'address', keys: 'address checkcert maxconcurrentrequests minimumpriority mutualtls version', urls: 'address' },
  'kubeless': { enabledBy: 'namespace function', keys: 'checkcert function kubeconfig maxconcurrentrequests minimumpriority mutualtls namespace port' },
  'logstash': { enabledBy: 'address', keys: 'address cacertfile certfile checkcert keyfile minimumpriority mutualtls port tags', checkCertOff: true },
  'loki': { enabledBy: 'hostport', keys: 'apikey checkcert customheaders endpoint extralabels format hostport maxconcurrentrequests minimumpriority mutualtls tenant user', urls: 'hostport' },
  'mattermost': { enabledBy: 'webhookurl', keys: 'checkcert footer icon maxconcurrentrequests messageformat minimumpriority mutualtls outputformat username webhookurl' },
  'mqtt': { enabledBy: 'broker', keys: 'broker checkcert minimumpriority password qos retained topic user' },
  'n8n': { enabledBy: 'address', keys: 'address checkcert headerauthname headerauthvalue minimumpriority password user', urls: 'address' },
  'nats': { enabledBy: 'hostport', keys: 'checkcert hostport maxconcurrentrequests mutualtls subjecttemplate' },
  'nodered': { enabledBy: 'address', keys: 'address checkcert minimumpriority password user', urls: 'address' },
  'openfaas': { enabledBy: 'functionname', keys: 'checkcert functionname functionnamespace gatewaynamespace gatewayport gatewayservice kubeconfig maxconcurrentrequests minimumpriority mutualtls' },
  'openobserve': { enabledBy: 'hostport', keys: 'checkcert hostport maxconcurrentrequests minimumpriority mutualtls organizationname password streamname username', urls: 'hostport' },
  'opsgenie': { enabledBy: 'apikey', keys: 'apikey checkcert maxconcurrentrequests minimumpriority mutualtls region' },
  'otlp.logs': { enabledBy: 'endpoint', keys: 'checkcert endpoint headers minimumpriority protocol timeout' },
  'otlp.metrics': { enabledBy: 'endpoint', keys: 'checkcert endpoint extraattributes extraenvvars headers minimumpriority protocol timeout' },
  'otlp.traces': { enabledBy: 'endpoint', keys: 'checkcert duration endpoint extraenvvars headers minimumpriority protocol synced timeout' },
  'pagerduty': { enabledBy: 'routingkey', keys: 'checkcert maxconcurrentrequests minimumpriority mutualtls region routingkey' },
  'policyreport': { enabledBy: 'enabled', keys: 'enabled falconamespace kubeconfig maxevents minimumpriority prunebypriority' },
  'quickwit': { enabledBy: 'hostport', keys: 'apiendpoint autocreateindex checkcert hostport index maxconcurrentrequests minimumpriority mutualtls version', urls: 'hostport' },
  'rabbitmq': { enabledBy: 'url queue', keys: 'minimumpriority queue url' },
  'redis': { enabledBy: 'address', keys: 'address checkcert database key maxconcurrentrequests minimumpriority mutualtls password storagetype' },
  'rocketchat': { enabledBy: 'webhookurl', keys: 'checkcert footer icon maxconcurrentrequests messageformat minimumpriority mutualtls outputformat username webhookurl' },
  'slack': { enabledBy: 'webhookurl', keys: 'channel checkcert footer icon maxconcurrentrequests messageformat minimumpriority mutualtls outputformat username webhookurl' },
  'smtp': { enabledBy: 'hostport from to', keys: 'authmechanism from hostport identity minimumpriority outputformat password tls to token trace user' },
  'splunk': { enabledBy: 'host', keys: 'checkcert customheaders host maxconcurrentrequests minimumpriority mutualtls token', urls: 'host' },
  'spyderbat': { enabledBy: 'orguid', keys: 'apikey apiurl minimumpriority orguid source sourcedescription', urls: 'apiurl' },
  'stan': { enabledBy: 'hostport clusterid clientid', keys: 'checkcert clientid clusterid hostport maxconcurrentrequests mutualtls subjecttemplate' },
  'statsd': { enabledBy: 'forwarder', keys: 'forwarder namespace' },
  'sumologic': { enabledBy: 'receiverurl', keys: 'checkcert maxconcurrentrequests minimumpriority mutualtls name receiverurl sourcecategory sourcehost' },
  'syslog': { enabledBy: 'host', keys: 'format host minimumpriority port protocol' },
  'talon': { enabledBy: 'address', keys: 'address checkcert minimumpriority', urls: 'address' },
  'teams': { enabledBy: 'webhookurl', keys: 'activityimage checkcert maxconcurrentrequests minimumpriority mutualtls outputformat webhookurl' },
  'tekton': { enabledBy: 'eventlistener', keys: 'checkcert eventlistener minimumpriority', urls: 'eventlistener' },
  'telegram': { enabledBy: 'chatid token', keys: 'chatid checkcert minimumpriority token' },
  'timescaledb': { enabledBy: 'host', keys: 'database host hypertablename minimumpriority password port user' },
  'wavefront': { enabledBy: 'endpointtype endpointhost', keys: 'batchsize endpointhost endpointmetricport endpointtoken endpointtype flushintervalsecods metricname minimumpriority' },
  'webex': { enabledBy: 'webhookurl', keys: 'checkcert maxconcurrentrequests minimumpriority mutualtls webhookurl' },
  'webhook': { enabledBy: 'address', keys: 'address checkcert customheaders maxconcurrentrequests method minimumpriority mutualtls', urls: 'address' },
  'webui': { enabledBy: 'url', keys: 'checkcert maxconcurrentrequests mutualtls url', urls: 'url' },
  'yandex.datastreams': { enabledBy: 'streamname', keys: 'endpoint minimumpriority streamname' },
  'yandex.s3': { enabledBy: 'bucket', keys: 'bucket endpoint prefix' },
  'zincsearch': { enabledBy: 'hostport', keys: 'checkcert hostport index minimumpriority password username', urls: 'hostport' },
};

/**
 * Settings shared by the outputs of one cloud (`aws.region` serves `aws.s3`
 * and `aws.sqs` alike), by the cloud's key.
 */
export const FALCOSIDEKICK_SHARED_SETTINGS: Readonly<Record<string, string>> = {
  aws: 'accesskeyid checkidentity externalid region rolearn secretaccesskey',
  gcp: 'credentials',
  yandex: 'accesskeyid region secretaccesskey',
};
