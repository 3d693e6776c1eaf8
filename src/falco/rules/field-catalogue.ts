/**
 * The field catalogue of the `syscall` source, taken from falcosecurity/libs
 * (`userspace/libsinsp/sinsp_filtercheck_*.cpp`), and the fields every plugin
 * source has; plugins' fields are in plugin-catalogue.ts. Names only: the
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

/** The fields every plugin source has besides the plugins' own. */
export const GENERIC_FIELDS: FieldCatalogue = catalogue(GENERIC_EVENT_FIELDS, '', '');

/** The field classes of the `syscall` source (`proc`, `fd`, ...), the part of a name before its first dot. */
export function fieldClasses(fields: FieldCatalogue): Set<string> {
  return new Set([...fields.keys()].map((name) => name.slice(0, name.indexOf('.'))));
}

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
  'evt.abspath fd.types proc.aargs proc.acmdline proc.aenv proc.aexe proc.aexepath proc.aname proc.apid proc.args proc.env',
  'evt.arg evt.around evt.rawarg evt.type.is thread.cgroup',
);

/**
 * Value types of the syscall and container-plugin fields that are not
 * strings, as `falco --list --format json` reports them for Falco 0.44.
 * The type decides which operators Falco accepts and how it reads a value.
 */
export enum FieldType {
  STRING = 'string',
  /** Signed or unsigned integers, absolute and relative times. */
  INTEGER = 'integer',
  /** A port: a number or a service name such as `http`. */
  PORT = 'port',
  DOUBLE = 'double',
  BOOL = 'bool',
  IPADDR = 'ip address',
  IPNET = 'ip network',
  BUFFER = 'buffer',
  LIST = 'list',
}

function typed(entries: Array<[FieldType, string]>): Map<string, FieldType> {
  const types = new Map<string, FieldType>();
  entries.forEach(([type, names]) => names.split(' ').filter(Boolean).forEach((n) => types.set(n, type)));
  return types;
}

/** The type of every field that is not a string (see `FieldType`). */
export const FIELD_TYPES: ReadonlyMap<string, FieldType> = typed([
  [FieldType.INTEGER,
    'container.duration container.start_ts evt.around evt.buflen evt.count evt.count.error evt.count.error.file ' +
    'evt.count.error.memory evt.count.error.net evt.count.error.other evt.count.exit evt.cpu evt.deltatime evt.deltatime.ns ' +
    'evt.deltatime.s evt.num evt.rawres evt.rawtime evt.rawtime.ns evt.rawtime.s evt.reltime evt.reltime.ns evt.reltime.s ' +
    'evt.type.is fd.dev fd.dev.major fd.dev.minor fd.ino fd.num fd.proto ' +
    'group.gid proc.apid proc.cmdlenargs proc.cmdnargs proc.duration proc.exe_ino proc.exe_ino.ctime ' +
    'proc.exe_ino.ctime_duration_pidns_start proc.exe_ino.ctime_duration_proc_start proc.exe_ino.mtime proc.fdlimit ' +
    'proc.fdopencount proc.loginshellid proc.nchilds proc.nthreads proc.pgid proc.pid proc.pid.ts proc.pidns_init_start_ts ' +
    'proc.ppid proc.ppid.duration proc.ppid.ts proc.pvpid proc.sid proc.tty proc.vmrss proc.vmsize proc.vmswap proc.vpgid ' +
    'proc.vpid thread.exectime thread.pfmajor thread.pfminor thread.tid thread.totexectime thread.vmrss thread.vmsize ' +
    'thread.vtid user.loginuid user.uid ' +
    // A raw argument takes the type of the event's parameter; an exit event's `res` (errno, fd or pid) is always numeric.
    'evt.rawarg.res'],
  [FieldType.PORT, 'fd.cport fd.lport fd.port fd.rport fd.sport'],
  [FieldType.DOUBLE, 'proc.fdusage thread.cpu thread.cpu.system thread.cpu.user'],
  [FieldType.BOOL,
    'container.host_ipc container.host_network container.host_pid container.privileged evt.failed evt.is_async evt.is_io ' +
    'evt.is_io_read evt.is_io_write evt.is_open_create evt.is_open_exec evt.is_open_read evt.is_open_write evt.is_syslog ' +
    'evt.is_wait fd.connected fd.is_lower_layer fd.is_server fd.is_upper_layer fd.name_changed proc.is_container_healthcheck ' +
    'proc.is_container_liveness_probe proc.is_container_readiness_probe proc.is_exe_from_memfd proc.is_exe_lower_layer ' +
    'proc.is_exe_upper_layer proc.is_exe_writable proc.is_pgid_leader proc.is_sid_leader proc.is_vpgid_leader thread.ismain'],
  [FieldType.IPADDR, 'fd.cip fd.ip fd.lip fd.rip fd.sip'],
  [FieldType.IPNET, 'fd.cnet fd.lnet fd.net fd.rnet fd.snet'],
  [FieldType.BUFFER, 'evt.buffer'],
  [FieldType.LIST, 'fd.types'],
]);

/**
 * Every parameter name of the libs 0.25.4 event table (`falco --list-events`):
 * `evt.arg.<name>` and `evt.rawarg.<name>` must name one of them, or Falco
 * reports "unknown event argument".
 */
export const EVENT_ARGUMENTS: ReadonlySet<string> = new Set((
  'ID action addr arg arg2 arg2_int arg2_str arg3 arg4 arg5 args argument aux backlog cap_effective cap_inheritable ' +
  'cap_permitted cgroups clockid cmd comm container_id core cpu cpu_sys cpu_usr cq_entries creat_flags cur cwd data desc ' +
  'description dev dir dirfd domain dpid dqb_bhardlimit dqb_bsoftlimit dqb_btime dqb_curspace dqb_ihardlimit dqb_isoftlimit ' +
  'dqb_itime dqi_bgrace dqi_flags dqi_igrace egid entries env error euid event_data event_type exe exe_ino exe_ino_ctime ' +
  'exe_ino_mtime fd fd1 fd2 fd_in fd_out fdin fdlimit fdout fds features filename first flags gid home how id img in_fd initval ' +
  'ino interval ip json key last len length level linkdirfd linkpath loginuid mask max maxevents min_complete mode mountfd ' +
  'msgcontrol name nativeID newcur newdir newdirfd newfd newmax newpath next nr_args nsems nsops nstype offin offout offset ' +
  'oldcur olddir olddirfd oldfd oldmax oldpath op opcode operation option optlen optname out_fd path pathname peer pgft_maj ' +
  'pgft_min pgid pgoffset pid pid_fd pidns_init_start_ts plugin_id pos prot proto ptid queuelen queuemax queuepct quota_fmt ' +
  'quota_fmt_out quotafilepath ratio reaper_tid request res resolve resource ret rgid ruid scope sem_flg_0 sem_flg_1 sem_num_0 ' +
  'sem_num_1 sem_op_0 sem_op_1 semflg semid semnum sgid shell sig sigmask size source special spid sq_entries sq_thread_cpu ' +
  'sq_thread_idle status suid target target_fd tid timeout to_submit trusted_exepath tty tuple type uargs uid val value_bytebuf ' +
  'value_charbuf vm_rss vm_size vm_swap vpgid vpid vtid whence').split(' '));

/** Operators Falco 0.44 rejects for a field type ("'bcontains' operator not supported for string filters"). */
export const UNSUPPORTED_OPERATORS: ReadonlyMap<FieldType, ReadonlySet<string>> = (() => {
  const textual = ['contains', 'icontains', 'bcontains', 'startswith', 'bstartswith', 'endswith', 'glob', 'iglob', 'regex', 'pmatch'];
  const ordering = ['<', '<=', '>', '>='];
  return new Map<FieldType, ReadonlySet<string>>([
    [FieldType.STRING, new Set(['bcontains', 'bstartswith'])],
    [FieldType.INTEGER, new Set(textual)],
    [FieldType.PORT, new Set(textual)],
    [FieldType.DOUBLE, new Set(textual)],
    [FieldType.BOOL, new Set([...textual, ...ordering])],
    [FieldType.IPADDR, new Set([...textual, ...ordering])],
    [FieldType.IPNET, new Set([...textual, ...ordering])],
    [FieldType.BUFFER, new Set(['icontains', 'glob', 'iglob', 'regex', 'pmatch', ...ordering])],
    [FieldType.LIST, new Set(['=', '==', '!=', ...textual, ...ordering])],
  ]);
})();

const OPERATORS = ['=', '!=', '<', '<=', '>', '>=', 'contains', 'icontains', 'bcontains', 'startswith', 'bstartswith', 'endswith',
  'glob', 'iglob', 'regex', 'in', 'intersects', 'pmatch', 'exists'];

/** The operators Falco accepts for fields of `type`, for error messages. */
export function supportedOperators(type: FieldType): string[] {
  const unsupported = UNSUPPORTED_OPERATORS.get(type);
  return OPERATORS.filter((o) => !unsupported?.has(o));
}

/** How Falco reads the argument of a field, where it is stricter than "either form". */
export enum ArgumentForm {
  /** Only `field[N]` with a number: `proc.aname[2]`. */
  INDEX = 'index',
  /** `field[N]` with a number, or `field.name`: `evt.arg[0]`, `evt.arg.flags`. */
  INDEX_OR_DOT = 'index-or-dot',
  /** Only `field.name`: `thread.cgroup.cpu`. */
  DOT = 'dot',
  /** Only `field[key]`: `container.label[app]`. */
  BRACKET = 'bracket',
}

export const ARGUMENT_FORMS: ReadonlyMap<string, ArgumentForm> = new Map<string, ArgumentForm>([
  ...'proc.aname evt.around'.split(' ').map((n): [string, ArgumentForm] => [n, ArgumentForm.INDEX]),
  ['evt.arg', ArgumentForm.INDEX_OR_DOT],
  ...'evt.rawarg evt.type.is thread.cgroup evt.abspath'.split(' ').map((n): [string, ArgumentForm] => [n, ArgumentForm.DOT]),
  ...('proc.env proc.aenv container.label container.mount container.mount.source container.mount.dest container.mount.mode ' +
    'container.mount.rdwr container.mount.propagation k8s.ns.label k8s.pod.label k8s.deployment.label k8s.rc.label ' +
    'k8s.rs.label k8s.svc.label').split(' ').map((n): [string, ArgumentForm] => [n, ArgumentForm.BRACKET]),
]);

/** Fields Falco 0.44 warns about (LOAD_DEPRECATED_ITEM): it dropped enter events. */
export const DEPRECATED_FIELDS: ReadonlyMap<string, string> = new Map([
  ['evt.dir', 'enter events are dropped, so "evt.dir = <" is always true and "evt.dir = >" always false'],
  ...'evt.latency evt.latency.human evt.latency.ns evt.latency.s evt.wait_latency'.split(' ')
    .map((n): [string, string] => [n, 'it is computed from enter events, which are dropped']),
]);

/** Fields libsinsp marks EPF_NO_RHS: they cannot appear in `val()`. */
export const NO_RHS_FIELDS: ReadonlySet<string> = new Set(
  ('evt.rawarg evt.around fd.ip fd.port fd.proto fd.net fd.cnet fd.snet fd.lnet fd.rnet fd.cip.name fd.sip.name fd.lip.name ' +
  'fd.rip.name proc.aexe proc.aexepath proc.aname proc.acmdline proc.aenv proc.apid fd.types').split(' '));

/** Fields libsinsp marks EPF_NO_TRANSFORMER: no transformer may take them. */
export const NO_TRANSFORMER_FIELDS: ReadonlySet<string> = new Set([...NO_RHS_FIELDS].filter((f) => f !== 'fd.types'));

/**
 * The names `evt.type` may be compared with in Falco 0.44 (libs 0.25): the
 * event table (`falco --list-events`) and the syscall names (`PPM_SC_FIELDS`).
 */
export const EVENT_TYPES: ReadonlySet<string> = new Set((
  '_llseek _newselect _sysctl accept accept4 access acct add_key adjtimex alarm arch_prctl asyncevent bdflush bind bpf ' +
  'brk cachestat capget capset chdir chmod chown chroot clock_adjtime clock_getres clock_gettime clock_nanosleep ' +
  'clock_settime clone clone3 close close_range connect container copy_file_range cpu_hotplug creat create_module ' +
  'delete_module drop dup dup2 dup3 epoll_create epoll_create1 epoll_ctl epoll_ctl_old epoll_pwait epoll_pwait2 ' +
  'epoll_wait epoll_wait_old eventfd eventfd2 execve execveat exit exit_group faccessat faccessat2 fadvise64 fallocate ' +
  'fanotify_init fanotify_mark fchdir fchmod fchmodat fchmodat2 fchown fchownat fcntl fcntl64 fdatasync fgetxattr ' +
  'file_getattr file_setattr finit_module flistxattr flock fork fremovexattr fsconfig fsetxattr fsmount fsopen fspick ' +
  'fstat fstat64 fstatat64 fstatfs fstatfs64 fsync ftruncate futex futex_requeue futex_wait futex_waitv futex_wake ' +
  'futimesat get_kernel_syms get_mempolicy get_robust_list get_thread_area getcpu getcwd getdents getdents64 getegid ' +
  'getegid32 geteuid geteuid32 getgid getgid32 getgroups getitimer getpeername getpgid getpgrp getpid getpmsg getppid ' +
  'getpriority getrandom getresgid getresgid32 getresuid getresuid32 getrlimit getrusage getsid getsockname getsockopt ' +
  'gettid gettimeofday getuid getuid32 getxattr getxattrat groupadded groupdeleted idle infra init_module ' +
  'inotify_add_watch inotify_init inotify_init1 inotify_rm_watch io_cancel io_destroy io_getevents io_pgetevents io_setup ' +
  'io_submit io_uring_enter io_uring_register io_uring_setup ioctl ioperm iopl ioprio_get ioprio_set ipc kcmp ' +
  'kexec_file_load kexec_load keyctl kill landlock_add_rule landlock_create_ruleset landlock_restrict_self lchown ' +
  'lgetxattr link linkat listen listmount listns listxattr listxattrat llistxattr llseek lookup_dcookie lremovexattr ' +
  'lseek lsetxattr lsm_get_self_attr lsm_list_modules lsm_set_self_attr lstat lstat64 madvise map_shadow_stack mbind ' +
  'membarrier memfd_create memfd_secret migrate_pages mincore mkdir mkdirat mknod mknodat mlock mlock2 mlockall mmap ' +
  'mmap2 modify_ldt mount mount_setattr move_mount move_pages mprotect mq_getsetattr mq_notify mq_open mq_timedreceive ' +
  'mq_timedsend mq_unlink mremap mseal msgctl msgget msgrcv msgsnd msync multiplexer munlock munlockall munmap na_1 ' +
  'name_to_handle_at nanosleep newfstatat nfsservctl nice notification oldfstat oldlstat oldolduname oldstat olduname ' +
  'open open_by_handle_at open_tree open_tree_attr openat openat2 page_fault page_fault_kernel page_fault_user pause ' +
  'pciconfig_iobase pciconfig_read pciconfig_write perf_event_open personality pidfd_getfd pidfd_open pidfd_send_signal ' +
  'pipe pipe2 pivot_root pkey_alloc pkey_free pkey_mprotect pluginevent poll ppoll prctl pread pread64 preadv preadv2 ' +
  'prlimit prlimit64 process_madvise process_mrelease process_vm_readv process_vm_writev procexit procinfo pselect6 ' +
  'ptrace pwrite pwrite64 pwritev pwritev2 query_module quotactl quotactl_fd read readahead readdir readlink readlinkat ' +
  'readv reboot recv recvfrom recvmmsg recvmsg remap_file_pages removexattr removexattrat rename renameat renameat2 ' +
  'request_key restart_syscall riscv_flush_icache riscv_hwprobe rmdir rseq rseq_slice_yield rt_sigaction rt_sigpending ' +
  'rt_sigprocmask rt_sigqueueinfo rt_sigreturn rt_sigsuspend rt_sigtimedwait rt_tgsigqueueinfo rtas s390_guarded_storage ' +
  's390_pci_mmio_read s390_pci_mmio_write s390_runtime_instr s390_sthyi scapevent sched_get_priority_max ' +
  'sched_get_priority_min sched_getaffinity sched_getattr sched_getparam sched_getscheduler sched_process_exit ' +
  'sched_rr_get_interval sched_setaffinity sched_setattr sched_setparam sched_setscheduler sched_switch sched_yield ' +
  'seccomp select semctl semget semop semtimedop send sendfile sendfile64 sendmmsg sendmsg sendto set_mempolicy ' +
  'set_mempolicy_home_node set_robust_list set_thread_area set_tid_address setdomainname setfsgid setfsuid setgid ' +
  'setgid32 setgroups sethostname setitimer setns setpgid setpriority setregid setresgid setresgid32 setresuid ' +
  'setresuid32 setreuid setrlimit setsid setsockopt settimeofday setuid setuid32 setxattr setxattrat sgetmask shmat ' +
  'shmctl shmdt shmget shutdown sigaction sigaltstack signal signal_deliver signaldeliver signalfd signalfd4 sigpending ' +
  'sigprocmask sigreturn sigsuspend socket socketcall socketpair splice spu_create spu_run ssetmask stat stat64 statfs ' +
  'statfs64 statmount statx stime subpage_prot swapcontext swapoff swapon switch switch_endian symlink symlinkat sync ' +
  'sync_file_range sync_file_range2 syncfs sys_debug_setcontext sysfs sysinfo syslog tee tgkill time timer_create ' +
  'timer_delete timer_getoverrun timer_gettime timer_settime timerfd timerfd_create timerfd_gettime timerfd_settime times ' +
  'tkill truncate ugetrlimit umask umount umount2 uname unknown unlink unlinkat unshare uprobe uretprobe uselib useradded ' +
  'userdeleted userfaultfd ustat utime utimensat utimes vfork vhangup vm86 vmsplice wait4 waitid waitpid write writev').split(' '));
