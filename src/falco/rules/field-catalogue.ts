/**
 * Field catalogues of the Falco sources this library validates, taken from
 * falcosecurity/libs (`userspace/libsinsp/sinsp_filtercheck_*.cpp`) and the
 * falcosecurity/plugins `container` and `k8saudit` plugins. Names only: the
 * validator needs to know whether a field exists and whether it takes an
 * argument (`proc.aname[2]`, `evt.arg.flags`, `container.label[app]`).
 */

/** How a field treats an argument. */
export enum FieldArgument {
  NONE = 'none',
  ALLOWED = 'allowed',
  REQUIRED = 'required',
}

/** The fields a set of rules may use, by name. */
export type FieldCatalogue = ReadonlyMap<string, FieldArgument>;

function catalogue(none: string, allowed: string, required: string): Map<string, FieldArgument> {
  const fields = new Map<string, FieldArgument>();
  const add = (names: string, arg: FieldArgument) => names.split(' ').filter(Boolean).forEach((n) => fields.set(n, arg));
  add(none, FieldArgument.NONE);
  add(allowed, FieldArgument.ALLOWED);
  add(required, FieldArgument.REQUIRED);
  return fields;
}

/** Fields every event source has (libsinsp's generic event checks). */
const GENERIC_EVENT_FIELDS =
'evt.asynctype evt.datetime evt.datetime.s evt.hostname evt.is_async evt.num evt.plugininfo ' +
  'evt.pluginname evt.rawtime evt.rawtime.ns evt.rawtime.s evt.reltime evt.reltime.ns evt.reltime.s ' +
 'evt.source evt.time evt.time.iso8601 evt.time.s';

/** libsinsp fields of the `syscall` source. */
export const SYSCALL_FIELDS: FieldCatalogue = catalogue(
  GENERIC_EVENT_FIELDS + ' ' +
'evt.args evt.buffer evt.buflen evt.buflen.file evt.buflen.file.in evt.buflen.file.out evt.buflen.in ' +
  'evt.buflen.net evt.buflen.net.in evt.buflen.net.out evt.buflen.out evt.category evt.count ' +
  'evt.count.error evt.count.error.file evt.count.error.memory evt.count.error.net ' +
  'evt.count.error.other evt.count.exit evt.count.procinfo evt.count.threadinfo evt.cpu evt.deltatime ' +
  'evt.deltatime.ns evt.deltatime.s evt.dir evt.failed evt.info evt.infra.docker.container.id ' +
  'evt.infra.docker.container.image evt.infra.docker.container.name evt.infra.docker.name evt.io_dir ' +
  'evt.is_io evt.is_io_read evt.is_io_write evt.is_open_create evt.is_open_exec evt.is_open_read ' +
  'evt.is_open_write evt.is_syslog evt.is_wait evt.latency evt.latency.human evt.latency.ns ' +
  'evt.latency.quantized evt.latency.s evt.outputtime evt.rawres evt.res evt.type evt.wait_latency ' +
  'fd.cip fd.cip.name fd.cnet fd.connected fd.containerdirectory fd.containername fd.cport fd.cproto ' +
  'fd.dev fd.dev.major fd.dev.minor fd.directory fd.filename fd.ino fd.ip fd.is_lower_layer ' +
  'fd.is_server fd.is_upper_layer fd.l4proto fd.lip fd.lip.name fd.lnet fd.lport fd.lproto fd.name ' +
  'fd.name_changed fd.nameraw fd.net fd.num fd.port fd.proto fd.rip fd.rip.name fd.rnet fd.rport ' +
  'fd.rproto fd.sip fd.sip.name fd.snet fd.sockfamily fd.sport fd.sproto fd.type fd.typechar fd.uid ' +
  'fdlist.cips fdlist.cports fdlist.names fdlist.nums fdlist.sips fdlist.sports fs.path.name ' +
  'fs.path.nameraw fs.path.source fs.path.sourceraw fs.path.target fs.path.targetraw group.gid ' +
  'group.name proc.cmdlenargs proc.cmdline proc.cmdnargs proc.cwd proc.duration proc.exe proc.exe_ino ' +
  'proc.exe_ino.ctime proc.exe_ino.ctime_duration_pidns_start proc.exe_ino.ctime_duration_proc_start ' +
  'proc.exe_ino.mtime proc.exeline proc.exepath proc.fdlimit proc.fdopencount proc.fdusage ' +
  'proc.is_exe_from_memfd proc.is_exe_lower_layer proc.is_exe_upper_layer proc.is_exe_writable ' +
  'proc.is_pgid_leader proc.is_sid_leader proc.is_vpgid_leader proc.loginshellid proc.name proc.nchilds ' +
  'proc.nthreads proc.pcmdline proc.pexe proc.pexepath proc.pgid proc.pgid.exe proc.pgid.exepath ' +
  'proc.pgid.name proc.pid proc.pid.ts proc.pidns_init_start_ts proc.pname proc.ppid proc.ppid.duration ' +
  'proc.ppid.ts proc.pvpid proc.sid proc.sid.exe proc.sid.exepath proc.sname proc.stderr.name ' +
  'proc.stderr.type proc.stdin.name proc.stdin.type proc.stdout.name proc.stdout.type proc.tty ' +
  'proc.vmrss proc.vmsize proc.vmswap proc.vpgid proc.vpgid.exe proc.vpgid.exepath proc.vpgid.name ' +
  'proc.vpid syscall.type thread.cap_effective thread.cap_inheritable thread.cap_permitted ' +
  'thread.cgroups thread.cpu thread.cpu.system thread.cpu.user thread.exectime thread.ismain ' +
  'thread.nametid thread.pfmajor thread.pfminor thread.tid thread.totexectime thread.vmrss ' +
  'thread.vmrss.b thread.vmsize thread.vmsize.b thread.vtid user.homedir user.loginname user.loginuid ' +
 'user.name user.shell user.uid',
  'fd.types proc.aargs proc.acmdline proc.aenv proc.aexe proc.aexepath proc.aname proc.apid proc.args proc.env',
  'evt.abspath evt.arg evt.around evt.rawarg evt.type.is thread.cgroup',
);

/**
 * Fields of the `container` plugin (Falco 0.41+ moved `container.*` and the
 * `k8s.*` pod metadata out of libsinsp). They exist for the `syscall` source
 * only when the plugin is loaded.
 */
export const CONTAINER_PLUGIN_FIELDS: FieldCatalogue = catalogue(
  'container.cni.json container.duration container.full_id container.healthcheck container.host_ipc ' +
  'container.host_network container.host_pid container.id container.image container.image.digest ' +
  'container.image.id container.image.repository container.image.tag container.ip container.labels ' +
  'container.liveness_probe container.mounts container.name container.privileged container.readiness_probe ' +
  'container.start_ts container.type k8s.ns.id k8s.ns.labels k8s.ns.name k8s.pod.cni.json ' +
  'k8s.pod.full_sandbox_id k8s.pod.id k8s.pod.ip k8s.pod.labels k8s.pod.name k8s.pod.sandbox_id k8s.pod.uid ' +
  'k8s.deployment.id k8s.deployment.labels k8s.deployment.name k8s.rc.id k8s.rc.labels k8s.rc.name ' +
  'k8s.rs.id k8s.rs.labels k8s.rs.name k8s.svc.id k8s.svc.labels k8s.svc.name',
  '',
  'container.label container.mount container.mount.dest container.mount.mode container.mount.propagation ' +
  'container.mount.rdwr container.mount.source k8s.ns.label k8s.pod.label k8s.deployment.label k8s.rc.label ' +
  'k8s.rs.label k8s.svc.label',
);

/** Fields of the `k8s_audit` source (k8saudit plugin, plus the json plugin's `jevt.*`). */
export const K8S_AUDIT_FIELDS: FieldCatalogue = catalogue(
  GENERIC_EVENT_FIELDS + ' ' +
  'ka.auditid ka.auth.decision ka.auth.openshift.decision ka.auth.openshift.username ka.auth.reason ' +
  'ka.cluster.name ka.impuser.name ka.req.binding.role ka.req.binding.subjects ' +
  'ka.req.binding.subjects.group_names ka.req.binding.subjects.serviceaccount_names ' +
  'ka.req.binding.subjects.serviceaccount_ns_names ka.req.binding.subjects.user_names ' +
  'ka.req.configmap.name ka.req.configmap.obj ka.req.container.host_network ka.req.container.image ' +
  'ka.req.container.image.repository ka.req.container.privileged ka.req.pod.fs_group ka.req.pod.host_ipc ' +
  'ka.req.pod.host_network ka.req.pod.host_pid ka.req.pod.run_as_group ka.req.pod.run_as_user ' +
  'ka.req.pod.supplemental_groups ka.req.role.rules ka.req.service.type ka.resp.name ka.response.code ' +
  'ka.response.reason ka.security.pod.violations ka.stage ka.target.name ka.target.namespace ' +
  'ka.target.pod.name ka.target.resource ka.target.subresource ka.uri ka.user.groups ka.user.name ' +
  'ka.useragent ka.validations.admission.policy.failure ka.verb jevt.obj jevt.rawtime',
  'ka.req.pod.containers.add_capabilities ka.req.pod.containers.allow_privilege_escalation ' +
  'ka.req.pod.containers.args ka.req.pod.containers.command ka.req.pod.containers.eff_run_as_group ' +
  'ka.req.pod.containers.eff_run_as_user ka.req.pod.containers.host_port ka.req.pod.containers.image ' +
  'ka.req.pod.containers.image.repository ka.req.pod.containers.name ka.req.pod.containers.privileged ' +
  'ka.req.pod.containers.proc_mount ka.req.pod.containers.read_only_fs ka.req.pod.containers.run_as_group ' +
  'ka.req.pod.containers.run_as_user ka.req.role.rules.apiGroups ka.req.role.rules.nonResourceURLs ' +
  'ka.req.role.rules.resources ka.req.role.rules.verbs ka.req.service.ports ka.req.pod.volumes.hostpath ' +
  'ka.req.pod.volumes.flexvolume_driver ka.req.pod.volumes.volume_type ka.sourceips',
  'ka.uri.param ka.req.binding.subject.has_name ka.req.volume.hostpath jevt.value',
);
