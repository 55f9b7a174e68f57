/*
 * svx import's tables: each systemd directive svx knows, what it becomes
 * under each backend (kept, translated: how) or why it is lost, and
 * whether that loss changes what the daemon does (the import's exit 1);
 * the Limit* options of each backend's soft-limit tool; the daemons whose
 * documented foreground flag lets a Type=forking unit be supervised; the
 * readiness checks for Type=notify under s6. Rows sorted for bsearch (a
 * unit test checks).
 */
#include <stdlib.h>
#include <string.h>

#include "systemd_map.h"

#define ALL4(f)	{ [BACKEND_DAEMONTOOLS] = f, [BACKEND_ENCORE] = f, \
	[BACKEND_RUNIT] = f, [BACKEND_S6] = f }
#define EACH(dt, rn, s6) { [BACKEND_DAEMONTOOLS] = dt, \
	[BACKEND_ENCORE] = dt, [BACKEND_RUNIT] = rn, [BACKEND_S6] = s6 }

/* Restart=on-*: ./finish decides from how it ended (runit: EXIT SIG,
 * s6: EXIT SIG NAME; PROTOCOLS.md#finish-scripts). */
#define RESTART_RUNIT	"finish: after an exit systemd would not " \
	"restart " \
	"after, it writes d to supervise/control (wanted down)"
#define RESTART_S6	"finish: after an exit systemd would not restart " \
	"after, it exits 125 (s6: no restart)"
#define RESTART_LOST	"supervise restarts it whenever it exits, " \
	"whatever the exit (it runs no finish script)"

const struct unit_rule unit_rules[] = {
	{ "After", UR_REPORT, ALL4(FATE_LOST), { NULL },
	    "ordering: a scanner starts its services in no order (the "
	    "supervisor restarts what fails meanwhile)", 0 },
	{ "Alias", UR_REPORT, ALL4(FATE_LOST), { NULL },
	    "one name: the service directory's", 0 },
	{ "AllowIsolate", UR_REPORT, ALL4(FATE_LOST), { NULL },
	    "no isolation of targets", 0 },
	{ "Also", UR_REPORT, ALL4(FATE_LOST), { NULL },
	    "install-time only", 0 },
	{ "AmbientCapabilities", UR_REPORT, ALL4(FATE_LOST), { NULL },
	    "capabilities kept across the user switch: the supervisor's tools "
	    "have no counterpart", 1 },
	{ "AppArmorProfile", UR_REPORT, ALL4(FATE_LOST), { NULL },
	    "sandboxing: it runs unconfined", 0 },
	{ "AssertPathExists", UR_REPORT, ALL4(FATE_LOST), { NULL },
	    "the supervisor starts it whatever the assertion", 1 },
	{ "Before", UR_REPORT, ALL4(FATE_LOST), { NULL },
	    "ordering: a scanner starts its services in no order", 0 },
	{ "BindPaths", UR_REPORT, ALL4(FATE_LOST), { NULL },
	    "no bind mounts: the daemon sees the real paths", 1 },
	{ "BindReadOnlyPaths", UR_REPORT, ALL4(FATE_LOST), { NULL },
	    "no bind mounts: the daemon sees the real paths", 1 },
	{ "BindsTo", UR_REPORT, ALL4(FATE_LOST), { NULL },
	    "dependencies: the supervisor knows no other services", 0 },
	{ "BlockIOAccounting", UR_REPORT, ALL4(FATE_LOST), { NULL },
	    "cgroup resource control: no cgroup is made for it", 0 },
	{ "BusName", UR_REPORT, ALL4(FATE_LOST), { NULL },
	    "readiness by its bus name is not watched", 0 },
	{ "CPUAccounting", UR_REPORT, ALL4(FATE_LOST), { NULL },
	    "cgroup resource control: no cgroup is made for it", 0 },
	{ "CPUAffinity", UR_REPORT, ALL4(FATE_LOST), { NULL },
	    "no affinity is set", 1 },
	{ "CPUQuota", UR_REPORT, ALL4(FATE_LOST), { NULL },
	    "cgroup resource control: no cgroup is made for it", 0 },
	{ "CPUSchedulingPolicy", UR_REPORT, ALL4(FATE_LOST), { NULL },
	    "no scheduling tool is run", 1 },
	{ "CPUWeight", UR_REPORT, ALL4(FATE_LOST), { NULL },
	    "cgroup resource control: no cgroup is made for it", 0 },
	{ "CacheDirectory", UR_REPORT, ALL4(FATE_LOST), { NULL },
	    "not made: make it once, or add it to run", 1 },
	{ "CapabilityBoundingSet", UR_REPORT, ALL4(FATE_LOST), { NULL },
	    "sandboxing: it runs unconfined", 0 },
	{ "CollectMode", UR_REPORT, ALL4(FATE_LOST), { NULL },
	    "the supervisor keeps its state", 0 },
	{ "ConditionCapability", UR_REPORT, ALL4(FATE_LOST), { NULL },
	    "the supervisor starts it whatever the condition", 1 },
	{ "ConditionDirectoryNotEmpty", UR_REPORT, ALL4(FATE_LOST), { NULL },
	    "the supervisor starts it whatever the condition", 1 },
	{ "ConditionFileIsExecutable", UR_REPORT, ALL4(FATE_LOST), { NULL },
	    "the supervisor starts it whatever the condition", 1 },
	{ "ConditionFileNotEmpty", UR_REPORT, ALL4(FATE_LOST), { NULL },
	    "the supervisor starts it whatever the condition", 1 },
	{ "ConditionKernelCommandLine", UR_REPORT, ALL4(FATE_LOST), { NULL },
	    "the supervisor starts it whatever the condition", 1 },
	{ "ConditionPathExists", UR_REPORT, ALL4(FATE_LOST), { NULL },
	    "the supervisor starts it whatever the condition", 1 },
	{ "ConditionPathExistsGlob", UR_REPORT, ALL4(FATE_LOST), { NULL },
	    "the supervisor starts it whatever the condition", 1 },
	{ "ConditionPathIsDirectory", UR_REPORT, ALL4(FATE_LOST), { NULL },
	    "the supervisor starts it whatever the condition", 1 },
	{ "ConditionVirtualization", UR_REPORT, ALL4(FATE_LOST), { NULL },
	    "the supervisor starts it whatever the condition", 1 },
	{ "ConfigurationDirectory", UR_REPORT, ALL4(FATE_LOST), { NULL },
	    "not made: make it once, or add it to run", 1 },
	{ "Conflicts", UR_REPORT, ALL4(FATE_LOST), { NULL },
	    "dependencies: the supervisor knows no other services", 0 },
	{ "DefaultDependencies", UR_REPORT, ALL4(FATE_LOST), { NULL },
	    "dependencies: the supervisor knows no other services", 0 },
	{ "DefaultInstance", UR_REPORT, ALL4(FATE_LOST), { NULL },
	    "install-time only", 0 },
	{ "Delegate", UR_REPORT, ALL4(FATE_LOST), { NULL },
	    "cgroup resource control: no cgroup is made for it", 0 },
	{ "Description", UR_REPORT, ALL4(FATE_KEEP),
	    ALL4("a comment in run"), NULL, 0 },
	{ "DeviceAllow", UR_REPORT, ALL4(FATE_LOST), { NULL },
	    "sandboxing: it runs unconfined", 0 },
	{ "DevicePolicy", UR_REPORT, ALL4(FATE_LOST), { NULL },
	    "sandboxing: it runs unconfined", 0 },
	{ "Documentation", UR_REPORT, ALL4(FATE_KEEP),
	    ALL4("a comment in run"), NULL, 0 },
	{ "DynamicUser", UR_REPORT, ALL4(FATE_LOST), { NULL },
	    "no user is made for it: it would run as the supervisor's "
	    "user", 1 },
	{ "Environment", UR_ENVIRONMENT, ALL4(FATE_TRANSLATE),
	    ALL4("run exports each variable (systemd's quoting and escapes "
	    "undone, specifiers resolved)"), NULL, 0 },
	{ "EnvironmentFile", UR_ENVIRONMENT_FILE, ALL4(FATE_TRANSLATE),
	    ALL4("run reads it at start (sh's '.' under set -a); with '-', a "
	    "missing file is skipped"), NULL, 0 },
	{ "ExecCondition", UR_REPORT, ALL4(FATE_LOST), { NULL },
	    "the supervisor would start it again and again whatever the "
	    "condition", 1 },
	{ "ExecPaths", UR_REPORT, ALL4(FATE_LOST), { NULL },
	    "sandboxing: it runs unconfined", 0 },
	{ "ExecReload", UR_EXEC_RELOAD, EACH(FATE_LOST, FATE_TRANSLATE,
	    FATE_LOST), EACH(NULL, "control/h runs it, MAINPID set (svx hup; "
	    "runsv then sends no SIGHUP)", NULL), "no reload command: svx hup "
	    "sends SIGHUP", 0 },
	{ "ExecStart", UR_EXEC_START, ALL4(FATE_TRANSLATE),
	    ALL4("run execs it, split into words as systemd splits them, $VAR "
	    "and ${VAR} as systemd expands them"), NULL, 0 },
	{ "ExecStartPost", UR_REPORT, ALL4(FATE_LOST), { NULL },
	    "nothing runs after the start", 1 },
	{ "ExecStartPre", UR_EXEC_START_PRE, ALL4(FATE_TRANSLATE),
	    ALL4("run runs it first; its failure fails the start (but with "
	    "'-')"), NULL, 0 },
	{ "ExecStop", UR_REPORT, ALL4(FATE_LOST), { NULL },
	    "the supervisor stops it with a signal, not with this command", 1 },
	{ "ExecStopPost", UR_EXEC_STOP_POST, EACH(FATE_LOST, FATE_TRANSLATE,
	    FATE_TRANSLATE), EACH(NULL, "finish runs it once the service "
	    "ended, EXIT_CODE and EXIT_STATUS set as systemd sets them",
	    "finish runs it once the service ended, EXIT_CODE and "
	    "EXIT_STATUS set as systemd sets them (within s6's "
	    "timeout-finish, 5 s)"),
	    "nothing runs after it stops", 1 },
	{ "FailureAction", UR_REPORT, ALL4(FATE_LOST), { NULL },
	    "nothing else happens when it fails", 0 },
	{ "FileDescriptorStoreMax", UR_REPORT, ALL4(FATE_LOST), { NULL },
	    "no descriptor store: what the daemon kept there is lost at a "
	    "restart", 0 },
	{ "Group", UR_GROUP, EACH(FATE_TRANSLATE, FATE_TRANSLATE,
	    FATE_TRANSLATE),
	    EACH("run: setuidgid takes the user's own group only", "run: "
	    "chpst -u USER:GROUP", "run: s6-applyuidgid -g"), NULL, 0 },
	{ "IOAccounting", UR_REPORT, ALL4(FATE_LOST), { NULL },
	    "cgroup resource control: no cgroup is made for it", 0 },
	{ "IOSchedulingClass", UR_REPORT, ALL4(FATE_LOST), { NULL },
	    "no I/O scheduling tool is run", 0 },
	{ "IOSchedulingPriority", UR_REPORT, ALL4(FATE_LOST), { NULL },
	    "no I/O scheduling tool is run", 0 },
	{ "IOWeight", UR_REPORT, ALL4(FATE_LOST), { NULL },
	    "cgroup resource control: no cgroup is made for it", 0 },
	{ "IPAddressAllow", UR_REPORT, ALL4(FATE_LOST), { NULL },
	    "sandboxing: it runs unconfined", 0 },
	{ "IPAddressDeny", UR_REPORT, ALL4(FATE_LOST), { NULL },
	    "sandboxing: it runs unconfined", 0 },
	{ "IgnoreOnIsolate", UR_REPORT, ALL4(FATE_LOST), { NULL },
	    "no isolation of targets", 0 },
	{ "IgnoreSIGPIPE", UR_IGNORE_SIGPIPE, ALL4(FATE_TRANSLATE),
	    ALL4("run ignores SIGPIPE (trap '' PIPE) unless it says "
	    "false"), NULL, 0 },
	{ "InaccessiblePaths", UR_REPORT, ALL4(FATE_LOST), { NULL },
	    "sandboxing: it runs unconfined", 0 },
	{ "JobTimeoutSec", UR_REPORT, ALL4(FATE_LOST), { NULL },
	    "no jobs: nothing bounds a start", 0 },
	{ "JoinsNamespaceOf", UR_REPORT, ALL4(FATE_LOST), { NULL },
	    "it runs in the supervisor's namespaces", 0 },
	{ "KeyringMode", UR_REPORT, ALL4(FATE_LOST), { NULL },
	    "sandboxing: it runs unconfined", 0 },
	{ "KillMode", UR_REPORT, ALL4(FATE_LOST), { NULL },
	    "the supervisor signals the main process only, never its "
	    "cgroup", 0 },
	{ "KillMode=mixed", UR_REPORT, ALL4(FATE_LOST), { NULL },
	    "the supervisor signals the main process only; nothing is killed "
	    "after it", 0 },
	{ "KillMode=process", UR_REPORT, ALL4(FATE_KEEP),
	    ALL4("the supervisor signals the main process only"), NULL, 0 },
	{ "KillSignal", UR_KILL_SIGNAL, EACH(FATE_LOST, FATE_TRANSLATE,
	    FATE_TRANSLATE),
	    EACH(NULL, "control/t sends it in place of SIGTERM", "down-signal"),
	    "supervise stops a service with SIGTERM only", 1 },
	{ "LimitAS", UR_LIMIT, ALL4(FATE_TRANSLATE),
	    ALL4("run: the backend's soft-limit tool"), NULL, 0 },
	{ "LimitCORE", UR_LIMIT, ALL4(FATE_TRANSLATE),
	    ALL4("run: the backend's soft-limit tool"), NULL, 0 },
	{ "LimitCPU", UR_LIMIT, ALL4(FATE_TRANSLATE),
	    ALL4("run: the backend's soft-limit tool"), NULL, 0 },
	{ "LimitDATA", UR_LIMIT, ALL4(FATE_TRANSLATE),
	    ALL4("run: the backend's soft-limit tool"), NULL, 0 },
	{ "LimitFSIZE", UR_LIMIT, ALL4(FATE_TRANSLATE),
	    ALL4("run: the backend's soft-limit tool"), NULL, 0 },
	{ "LimitLOCKS", UR_REPORT, ALL4(FATE_LOST), { NULL },
	    "the backend's soft-limit tool has no option for it", 1 },
	{ "LimitMEMLOCK", UR_LIMIT, ALL4(FATE_TRANSLATE),
	    ALL4("run: the backend's soft-limit tool"), NULL, 0 },
	{ "LimitMSGQUEUE", UR_REPORT, ALL4(FATE_LOST), { NULL },
	    "the backend's soft-limit tool has no option for it", 1 },
	{ "LimitNICE", UR_REPORT, ALL4(FATE_LOST), { NULL },
	    "the backend's soft-limit tool has no option for it", 1 },
	{ "LimitNOFILE", UR_LIMIT, ALL4(FATE_TRANSLATE),
	    ALL4("run: the backend's soft-limit tool"), NULL, 0 },
	{ "LimitNPROC", UR_LIMIT, ALL4(FATE_TRANSLATE),
	    ALL4("run: the backend's soft-limit tool"), NULL, 0 },
	{ "LimitRSS", UR_LIMIT, ALL4(FATE_TRANSLATE),
	    ALL4("run: the backend's soft-limit tool"), NULL, 0 },
	{ "LimitRTPRIO", UR_REPORT, ALL4(FATE_LOST), { NULL },
	    "the backend's soft-limit tool has no option for it", 1 },
	{ "LimitRTTIME", UR_REPORT, ALL4(FATE_LOST), { NULL },
	    "the backend's soft-limit tool has no option for it", 1 },
	{ "LimitSIGPENDING", UR_REPORT, ALL4(FATE_LOST), { NULL },
	    "the backend's soft-limit tool has no option for it", 1 },
	{ "LimitSTACK", UR_LIMIT, ALL4(FATE_TRANSLATE),
	    ALL4("run: the backend's soft-limit tool"), NULL, 0 },
	{ "LoadCredential", UR_REPORT, ALL4(FATE_LOST), { NULL },
	    "no credentials are passed", 1 },
	{ "LockPersonality", UR_REPORT, ALL4(FATE_LOST), { NULL },
	    "sandboxing: it runs unconfined", 0 },
	{ "LogLevelMax", UR_REPORT, ALL4(FATE_LOST), { NULL },
	    "the logger keeps every line", 0 },
	{ "LogRateLimitBurst", UR_REPORT, ALL4(FATE_LOST), { NULL },
	    "the logger keeps every line", 0 },
	{ "LogRateLimitIntervalSec", UR_REPORT, ALL4(FATE_LOST), { NULL },
	    "the logger keeps every line", 0 },
	{ "LogsDirectory", UR_REPORT, ALL4(FATE_LOST), { NULL },
	    "not made: make it once, or add it to run", 1 },
	{ "ManagedOOMMemoryPressure", UR_REPORT, ALL4(FATE_LOST), { NULL },
	    "cgroup resource control: no cgroup is made for it", 0 },
	{ "ManagedOOMSwap", UR_REPORT, ALL4(FATE_LOST), { NULL },
	    "cgroup resource control: no cgroup is made for it", 0 },
	{ "MemoryAccounting", UR_REPORT, ALL4(FATE_LOST), { NULL },
	    "cgroup resource control: no cgroup is made for it", 0 },
	{ "MemoryDenyWriteExecute", UR_REPORT, ALL4(FATE_LOST), { NULL },
	    "sandboxing: it runs unconfined", 0 },
	{ "MemoryHigh", UR_REPORT, ALL4(FATE_LOST), { NULL },
	    "cgroup resource control: no cgroup is made for it", 0 },
	{ "MemoryLimit", UR_REPORT, ALL4(FATE_LOST), { NULL },
	    "cgroup resource control: no cgroup is made for it", 0 },
	{ "MemoryLow", UR_REPORT, ALL4(FATE_LOST), { NULL },
	    "cgroup resource control: no cgroup is made for it", 0 },
	{ "MemoryMax", UR_REPORT, ALL4(FATE_LOST), { NULL },
	    "cgroup resource control: no cgroup is made for it", 0 },
	{ "MemoryMin", UR_REPORT, ALL4(FATE_LOST), { NULL },
	    "cgroup resource control: no cgroup is made for it", 0 },
	{ "MemorySwapMax", UR_REPORT, ALL4(FATE_LOST), { NULL },
	    "cgroup resource control: no cgroup is made for it", 0 },
	{ "NetworkNamespacePath", UR_REPORT, ALL4(FATE_LOST), { NULL },
	    "it runs in the supervisor's network namespace", 1 },
	{ "Nice", UR_NICE, ALL4(FATE_TRANSLATE),
	    ALL4("run: nice -n"), NULL, 0 },
	{ "NoExecPaths", UR_REPORT, ALL4(FATE_LOST), { NULL },
	    "sandboxing: it runs unconfined", 0 },
	{ "NoNewPrivileges", UR_REPORT, ALL4(FATE_LOST), { NULL },
	    "sandboxing: it runs unconfined", 0 },
	{ "NotifyAccess", UR_REPORT, ALL4(FATE_LOST), { NULL },
	    "no notification socket", 0 },
	{ "OOMPolicy", UR_REPORT, ALL4(FATE_LOST), { NULL },
	    "the supervisor does not watch the OOM killer", 0 },
	{ "OOMScoreAdjust", UR_OOM_SCORE, ALL4(FATE_TRANSLATE),
	    ALL4("run writes it to /proc/self/oom_score_adj"), NULL, 0 },
	{ "OnFailure", UR_REPORT, ALL4(FATE_LOST), { NULL },
	    "nothing else is started when it fails", 0 },
	{ "OnSuccess", UR_REPORT, ALL4(FATE_LOST), { NULL },
	    "nothing else is started when it ends", 0 },
	{ "PAMName", UR_REPORT, ALL4(FATE_LOST), { NULL },
	    "no PAM session is opened", 1 },
	{ "PIDFile", UR_PIDFILE, ALL4(FATE_KEEP),
	    ALL4("not needed: the supervisor is its parent and knows its "
	    "pid"), NULL, 0 },
	{ "PartOf", UR_REPORT, ALL4(FATE_LOST), { NULL },
	    "dependencies: the supervisor knows no other services", 0 },
	{ "PassEnvironment", UR_REPORT, ALL4(FATE_LOST), { NULL },
	    "it inherits its supervisor's environment: every variable "
	    "passes", 0 },
	{ "PermissionsStartOnly", UR_REPORT, ALL4(FATE_LOST), { NULL },
	    "every command runs with the unit's user", 1 },
	{ "Personality", UR_REPORT, ALL4(FATE_LOST), { NULL },
	    "no personality is set", 1 },
	{ "PrivateDevices", UR_REPORT, ALL4(FATE_LOST), { NULL },
	    "sandboxing: it runs unconfined", 0 },
	{ "PrivateIPC", UR_REPORT, ALL4(FATE_LOST), { NULL },
	    "sandboxing: it runs unconfined", 0 },
	{ "PrivateMounts", UR_REPORT, ALL4(FATE_LOST), { NULL },
	    "sandboxing: it runs unconfined", 0 },
	{ "PrivateNetwork", UR_REPORT, ALL4(FATE_LOST), { NULL },
	    "sandboxing: it runs unconfined", 0 },
	{ "PrivateTmp", UR_REPORT, ALL4(FATE_LOST), { NULL },
	    "sandboxing: it runs unconfined (with the shared /tmp)", 0 },
	{ "PrivateUsers", UR_REPORT, ALL4(FATE_LOST), { NULL },
	    "sandboxing: it runs unconfined", 0 },
	{ "PropagatesReloadTo", UR_REPORT, ALL4(FATE_LOST), { NULL },
	    "dependencies: the supervisor knows no other services", 0 },
	{ "ProtectClock", UR_REPORT, ALL4(FATE_LOST), { NULL },
	    "sandboxing: it runs unconfined", 0 },
	{ "ProtectControlGroups", UR_REPORT, ALL4(FATE_LOST), { NULL },
	    "sandboxing: it runs unconfined", 0 },
	{ "ProtectHome", UR_REPORT, ALL4(FATE_LOST), { NULL },
	    "sandboxing: it runs unconfined", 0 },
	{ "ProtectHostname", UR_REPORT, ALL4(FATE_LOST), { NULL },
	    "sandboxing: it runs unconfined", 0 },
	{ "ProtectKernelLogs", UR_REPORT, ALL4(FATE_LOST), { NULL },
	    "sandboxing: it runs unconfined", 0 },
	{ "ProtectKernelModules", UR_REPORT, ALL4(FATE_LOST), { NULL },
	    "sandboxing: it runs unconfined", 0 },
	{ "ProtectKernelTunables", UR_REPORT, ALL4(FATE_LOST), { NULL },
	    "sandboxing: it runs unconfined", 0 },
	{ "ProtectProc", UR_REPORT, ALL4(FATE_LOST), { NULL },
	    "sandboxing: it runs unconfined", 0 },
	{ "ProtectSystem", UR_REPORT, ALL4(FATE_LOST), { NULL },
	    "sandboxing: it runs unconfined", 0 },
	{ "ReadOnlyPaths", UR_REPORT, ALL4(FATE_LOST), { NULL },
	    "sandboxing: it runs unconfined", 0 },
	{ "ReadWriteDirectories", UR_REPORT, ALL4(FATE_LOST), { NULL },
	    "sandboxing: it runs unconfined", 0 },
	{ "ReadWritePaths", UR_REPORT, ALL4(FATE_LOST), { NULL },
	    "sandboxing: it runs unconfined", 0 },
	{ "RefuseManualStart", UR_REPORT, ALL4(FATE_LOST), { NULL },
	    "svx starts it when asked", 0 },
	{ "RefuseManualStop", UR_REPORT, ALL4(FATE_LOST), { NULL },
	    "svx stops it when asked", 0 },
	{ "ReloadPropagatedFrom", UR_REPORT, ALL4(FATE_LOST), { NULL },
	    "dependencies: the supervisor knows no other services", 0 },
	{ "RemainAfterExit", UR_REPORT, ALL4(FATE_LOST), { NULL },
	    "a supervisor's service is up only while its process runs", 1 },
	{ "RemoveIPC", UR_REPORT, ALL4(FATE_LOST), { NULL },
	    "sandboxing: it runs unconfined", 0 },
	{ "RequiredBy", UR_REPORT, ALL4(FATE_LOST), { NULL },
	    "svx enable links it into a scan directory", 0 },
	{ "Requires", UR_REPORT, ALL4(FATE_LOST), { NULL },
	    "dependencies: the supervisor knows no other services", 0 },
	{ "RequiresMountsFor", UR_REPORT, ALL4(FATE_LOST), { NULL },
	    "mounts: the supervisor starts it whatever is mounted", 0 },
	{ "Requisite", UR_REPORT, ALL4(FATE_LOST), { NULL },
	    "dependencies: the supervisor knows no other services", 0 },
	{ "Restart", UR_REPORT, ALL4(FATE_LOST), { NULL },
	    "the supervisor restarts it whenever it exits, whatever the "
	    "exit", 1 },
	{ "Restart=always", UR_REPORT, ALL4(FATE_KEEP),
	    ALL4("the supervisor restarts it whenever it exits"), NULL, 0 },
	{ "Restart=no", UR_RESTART_NO, ALL4(FATE_TRANSLATE),
	    ALL4("./down: not started with its supervisor; svx once runs it "
	    "once (no restart)"), NULL, 0 },
	{ "Restart=on-abnormal", UR_RESTART_WHEN, EACH(FATE_LOST,
	    FATE_TRANSLATE, FATE_TRANSLATE), EACH(NULL, RESTART_RUNIT,
	    RESTART_S6), RESTART_LOST, 1 },
	{ "Restart=on-abort", UR_RESTART_WHEN, EACH(FATE_LOST,
	    FATE_TRANSLATE, FATE_TRANSLATE), EACH(NULL, RESTART_RUNIT,
	    RESTART_S6), RESTART_LOST, 1 },
	{ "Restart=on-failure", UR_RESTART_WHEN, EACH(FATE_LOST,
	    FATE_TRANSLATE, FATE_TRANSLATE), EACH(NULL, RESTART_RUNIT,
	    RESTART_S6), RESTART_LOST, 1 },
	{ "Restart=on-success", UR_RESTART_WHEN, EACH(FATE_LOST,
	    FATE_TRANSLATE, FATE_TRANSLATE), EACH(NULL, RESTART_RUNIT,
	    RESTART_S6), RESTART_LOST, 1 },
	{ "Restart=on-watchdog", UR_RESTART_WHEN, EACH(FATE_LOST,
	    FATE_TRANSLATE, FATE_TRANSLATE), EACH(NULL, RESTART_RUNIT,
	    RESTART_S6), RESTART_LOST, 1 },
	{ "RestartKillSignal", UR_REPORT, ALL4(FATE_LOST), { NULL },
	    "the supervisor sends its stop signal", 0 },
	{ "RestartSec", UR_REPORT, ALL4(FATE_LOST), { NULL },
	    "the supervisor waits about a second between two starts", 0 },
	{ "RestrictAddressFamilies", UR_REPORT, ALL4(FATE_LOST), { NULL },
	    "sandboxing: it runs unconfined", 0 },
	{ "RestrictFileSystems", UR_REPORT, ALL4(FATE_LOST), { NULL },
	    "sandboxing: it runs unconfined", 0 },
	{ "RestrictNamespaces", UR_REPORT, ALL4(FATE_LOST), { NULL },
	    "sandboxing: it runs unconfined", 0 },
	{ "RestrictRealtime", UR_REPORT, ALL4(FATE_LOST), { NULL },
	    "sandboxing: it runs unconfined", 0 },
	{ "RestrictSUIDSGID", UR_REPORT, ALL4(FATE_LOST), { NULL },
	    "sandboxing: it runs unconfined", 0 },
	{ "RootDirectory", UR_REPORT, ALL4(FATE_LOST), { NULL },
	    "no chroot", 1 },
	{ "RootImage", UR_REPORT, ALL4(FATE_LOST), { NULL },
	    "no chroot", 1 },
	{ "RuntimeDirectory", UR_RUNTIME_DIRECTORY, ALL4(FATE_TRANSLATE),
	    ALL4("run makes it under /run, owned by the service's user (left "
	    "there when it stops)"), NULL, 0 },
	{ "RuntimeDirectoryMode", UR_DIRECTORY_MODE, ALL4(FATE_TRANSLATE),
	    ALL4("run sets the mode"), NULL, 0 },
	{ "RuntimeDirectoryPreserve", UR_REPORT, ALL4(FATE_LOST), { NULL },
	    "the directory stays when it stops, whatever this says", 0 },
	{ "SELinuxContext", UR_REPORT, ALL4(FATE_LOST), { NULL },
	    "sandboxing: it runs unconfined", 0 },
	{ "SecureBits", UR_REPORT, ALL4(FATE_LOST), { NULL },
	    "sandboxing: it runs unconfined", 0 },
	{ "SendSIGHUP", UR_REPORT, ALL4(FATE_LOST), { NULL },
	    "the supervisor sends no SIGHUP after the stop signal", 0 },
	{ "SendSIGKILL", UR_REPORT, ALL4(FATE_LOST), { NULL },
	    "the supervisor never follows SIGTERM with SIGKILL", 0 },
	{ "SetCredential", UR_REPORT, ALL4(FATE_LOST), { NULL },
	    "no credentials are passed", 1 },
	{ "Slice", UR_REPORT, ALL4(FATE_LOST), { NULL },
	    "cgroup resource control: no cgroup is made for it", 0 },
	{ "SmackProcessLabel", UR_REPORT, ALL4(FATE_LOST), { NULL },
	    "sandboxing: it runs unconfined", 0 },
	{ "Sockets", UR_REPORT, ALL4(FATE_LOST), { NULL },
	    "socket activation: the daemon is given no socket", 1 },
	{ "SourcePath", UR_REPORT, ALL4(FATE_LOST), { NULL },
	    "where a generator read it", 0 },
	{ "StandardError", UR_STDERR, ALL4(FATE_TRANSLATE),
	    ALL4("(per value)"), NULL, 0 },
	{ "StandardInput", UR_REPORT, ALL4(FATE_LOST), { NULL },
	    "stdin is what the supervisor gives (/dev/null or its own)", 1 },
	{ "StandardOutput", UR_STDOUT, ALL4(FATE_TRANSLATE),
	    ALL4("(per value)"), NULL, 0 },
	{ "StartLimitAction", UR_REPORT, ALL4(FATE_LOST), { NULL },
	    "the supervisor restarts it without a limit", 0 },
	{ "StartLimitBurst", UR_REPORT, ALL4(FATE_LOST), { NULL },
	    "the supervisor restarts it without a limit", 0 },
	{ "StartLimitInterval", UR_REPORT, ALL4(FATE_LOST), { NULL },
	    "the supervisor restarts it without a limit", 0 },
	{ "StartLimitIntervalSec", UR_REPORT, ALL4(FATE_LOST), { NULL },
	    "the supervisor restarts it without a limit", 0 },
	{ "StateDirectory", UR_STATE_DIRECTORY, ALL4(FATE_TRANSLATE),
	    ALL4("run makes it under /var/lib, owned by the service's "
	    "user"), NULL, 0 },
	{ "StateDirectoryMode", UR_DIRECTORY_MODE, ALL4(FATE_TRANSLATE),
	    ALL4("run sets the mode"), NULL, 0 },
	{ "StopWhenUnneeded", UR_REPORT, ALL4(FATE_LOST), { NULL },
	    "dependencies: the supervisor knows no other services", 0 },
	{ "SuccessAction", UR_REPORT, ALL4(FATE_LOST), { NULL },
	    "nothing else happens when it ends", 0 },
	{ "SuccessExitStatus", UR_REPORT, ALL4(FATE_LOST), { NULL },
	    "the supervisor knows no expected exit codes", 0 },
	{ "SupplementaryGroups", UR_SUPPLEMENTARY_GROUPS, EACH(FATE_LOST,
	    FATE_TRANSLATE, FATE_TRANSLATE),
	    EACH(NULL, "run: chpst -u USER:GROUP:GROUP...", "run: "
	    "s6-applyuidgid -G"), "setuidgid sets the user's own group "
	    "only", 1 },
	{ "SyslogFacility", UR_REPORT, ALL4(FATE_LOST), { NULL },
	    "the logger stamps lines, it names no facility", 0 },
	{ "SyslogIdentifier", UR_REPORT, ALL4(FATE_LOST), { NULL },
	    "the logger stamps lines, it names no program", 0 },
	{ "SyslogLevel", UR_REPORT, ALL4(FATE_LOST), { NULL },
	    "the logger stamps lines, it names no level", 0 },
	{ "SyslogLevelPrefix", UR_REPORT, ALL4(FATE_LOST), { NULL },
	    "the logger stamps lines as they come", 0 },
	{ "SystemCallArchitectures", UR_REPORT, ALL4(FATE_LOST), { NULL },
	    "sandboxing: it runs unconfined", 0 },
	{ "SystemCallErrorNumber", UR_REPORT, ALL4(FATE_LOST), { NULL },
	    "sandboxing: it runs unconfined", 0 },
	{ "SystemCallFilter", UR_REPORT, ALL4(FATE_LOST), { NULL },
	    "sandboxing: it runs unconfined", 0 },
	{ "SystemCallLog", UR_REPORT, ALL4(FATE_LOST), { NULL },
	    "sandboxing: it runs unconfined", 0 },
	{ "TTYPath", UR_REPORT, ALL4(FATE_LOST), { NULL },
	    "no terminal is set up for it", 1 },
	{ "TTYReset", UR_REPORT, ALL4(FATE_LOST), { NULL },
	    "no terminal is set up for it", 1 },
	{ "TTYVHangup", UR_REPORT, ALL4(FATE_LOST), { NULL },
	    "no terminal is set up for it", 1 },
	{ "TTYVTDisallocate", UR_REPORT, ALL4(FATE_LOST), { NULL },
	    "no terminal is set up for it", 1 },
	{ "TasksAccounting", UR_REPORT, ALL4(FATE_LOST), { NULL },
	    "cgroup resource control: no cgroup is made for it", 0 },
	{ "TasksMax", UR_REPORT, ALL4(FATE_LOST), { NULL },
	    "cgroup resource control: no cgroup is made for it", 0 },
	{ "TemporaryFileSystem", UR_REPORT, ALL4(FATE_LOST), { NULL },
	    "sandboxing: it runs unconfined", 0 },
	{ "TimeoutAbortSec", UR_REPORT, ALL4(FATE_LOST), { NULL },
	    "no watchdog abort", 0 },
	{ "TimeoutSec", UR_REPORT, ALL4(FATE_LOST), { NULL },
	    "nothing bounds the start; the stop, as TimeoutStopSec", 0 },
	{ "TimeoutStartSec", UR_REPORT, ALL4(FATE_LOST), { NULL },
	    "nothing bounds the start (svx -w up does, when asked)", 0 },
	{ "TimeoutStopSec", UR_TIMEOUT_STOP, EACH(FATE_LOST, FATE_LOST,
	    FATE_TRANSLATE),
	    EACH(NULL, NULL, "timeout-kill"), "the supervisor never follows "
	    "SIGTERM with SIGKILL (svx down -w N --kill-on-timeout does)", 0 },
	{ "Type", UR_TYPE_OTHER, ALL4(FATE_LOST), { NULL },
	    "a type svx does not translate", 1 },
	{ "Type=dbus", UR_TYPE_NOTIFY, ALL4(FATE_LOST), { NULL },
	    "readiness: its bus name is not watched (it runs as simple)", 0 },
	{ "Type=exec", UR_TYPE_SIMPLE, ALL4(FATE_KEEP),
	    ALL4("the supervisor runs it in the foreground"), NULL, 0 },
	{ "Type=forking", UR_TYPE_FORKING, ALL4(FATE_TRANSLATE),
	    ALL4("(the foreground table)"), NULL, 0 },
	{ "Type=idle", UR_TYPE_SIMPLE, ALL4(FATE_KEEP),
	    ALL4("the supervisor runs it in the foreground (no waiting for "
	    "idle)"), NULL, 0 },
	{ "Type=notify", UR_TYPE_NOTIFY, ALL4(FATE_TRANSLATE),
	    ALL4("(readiness)"), NULL, 0 },
	{ "Type=notify-reload", UR_TYPE_NOTIFY, ALL4(FATE_TRANSLATE),
	    ALL4("(readiness)"), NULL, 0 },
	{ "Type=oneshot", UR_TYPE_OTHER, ALL4(FATE_LOST), { NULL },
	    "a supervisor runs daemons; a oneshot unit would be run again and "
	    "again", 1 },
	{ "Type=simple", UR_TYPE_SIMPLE, ALL4(FATE_KEEP),
	    ALL4("the supervisor runs it in the foreground"), NULL, 0 },
	{ "UMask", UR_UMASK, ALL4(FATE_TRANSLATE),
	    ALL4("run sets it"), NULL, 0 },
	{ "UnsetEnvironment", UR_UNSET_ENVIRONMENT, ALL4(FATE_TRANSLATE),
	    ALL4("run unsets each variable (NAME=VALUE: only while it holds "
	    "that value), after the others are set"), NULL, 0 },
	{ "Upholds", UR_REPORT, ALL4(FATE_LOST), { NULL },
	    "dependencies: the supervisor knows no other services", 0 },
	{ "User", UR_USER, EACH(FATE_TRANSLATE, FATE_TRANSLATE, FATE_TRANSLATE),
	    EACH("run: setuidgid", "run: chpst -u", "run: s6-applyuidgid -u "
	    "-g -G, the ids looked up at import (its "
	    "groups as initgroups gives them)"), NULL, 0 },
	{ "UtmpIdentifier", UR_REPORT, ALL4(FATE_LOST), { NULL },
	    "no utmp record is written", 0 },
	{ "WantedBy", UR_REPORT, ALL4(FATE_TRANSLATE),
	    ALL4("svx enable links it into a scan directory"), NULL, 0 },
	{ "Wants", UR_REPORT, ALL4(FATE_LOST), { NULL },
	    "dependencies: the supervisor knows no other services", 0 },
	{ "WatchdogSec", UR_REPORT, ALL4(FATE_LOST), { NULL },
	    "no watchdog: a daemon that hangs is not restarted", 0 },
	{ "WorkingDirectory", UR_WORKING_DIRECTORY, ALL4(FATE_TRANSLATE),
	    ALL4("run changes into it (with '-', a missing one is "
	    "skipped)"), NULL, 0 },
};
const size_t unit_nrules = sizeof(unit_rules) / sizeof(unit_rules[0]);

const char *
unit_rule_name(const void *row)
{
	return ((const struct unit_rule *)row)->name;
}

static int
cmp_rule(const void *key, const void *row)
{
	return strcmp(key, unit_rule_name(row));
}

/* Families of directives named by their start: every condition and
 * assertion systemd has, and those it will add. */
static const struct unit_rule unit_prefix_rules[] = {
	{ "Assert", UR_REPORT, ALL4(FATE_LOST), { NULL },
	    "the supervisor starts it whatever the assertion", 1 },
	{ "Condition", UR_REPORT, ALL4(FATE_LOST), { NULL },
	    "the supervisor starts it whatever the condition", 1 },
};

const struct unit_rule *
map_unit_rule(const char *section, const char *key, const char *value)
{
	char both[128];
	const struct unit_rule *r;
	size_t i;

	if (strcmp(section, "Unit") != 0 && strcmp(section, "Service") != 0 &&
	    strcmp(section, "Install") != 0)
		return NULL;
	if ((size_t)snprintf(both, sizeof(both), "%s=%s", key, value) <
	    sizeof(both) && (r = bsearch(both, unit_rules, unit_nrules,
	    sizeof(unit_rules[0]), cmp_rule)) != NULL)
		return r;
	if ((r = bsearch(key, unit_rules, unit_nrules, sizeof(unit_rules[0]),
	    cmp_rule)) != NULL)
		return r;
	for (i = 0; i < sizeof(unit_prefix_rules) /
	    sizeof(unit_prefix_rules[0]); i++)
		if (strncmp(key, unit_prefix_rules[i].name,
		    strlen(unit_prefix_rules[i].name)) == 0)
			return &unit_prefix_rules[i];
	return NULL;
}

/* The directives whose assignments add up, until an empty one. */
static const unsigned char list_rules[UR_COUNT] = {
	[UR_ENVIRONMENT] = 1, [UR_ENVIRONMENT_FILE] = 1,
	[UR_EXEC_START_PRE] = 1, [UR_EXEC_STOP_POST] = 1,
	[UR_SUPPLEMENTARY_GROUPS] = 1, [UR_UNSET_ENVIRONMENT] = 1,
	[UR_RUNTIME_DIRECTORY] = 1, [UR_STATE_DIRECTORY] = 1,
};

int
unit_rule_is_list(enum unit_rule_id id)
{
	return (unsigned int)id < UR_COUNT && list_rules[id];
}

/* softlimit(8), chpst(8), s6-softlimit: the options each has. */
const char *const unit_limit_tool[BACKEND_DIR_COUNT] = {
	[BACKEND_DAEMONTOOLS] = "softlimit", [BACKEND_ENCORE] = "softlimit",
	[BACKEND_RUNIT] = "chpst", [BACKEND_S6] = "s6-softlimit",
};

#define DJB(o)	[BACKEND_DAEMONTOOLS] = o, [BACKEND_ENCORE] = o, \
	[BACKEND_S6] = o
const struct unit_limit unit_limits[] = {
	{ "LimitAS", { DJB("-a") } },
	{ "LimitCORE", { DJB("-c"), [BACKEND_RUNIT] = "-c" } },
	{ "LimitCPU", { DJB("-t") } },
	{ "LimitDATA", { DJB("-d"), [BACKEND_RUNIT] = "-d" } },
	{ "LimitFSIZE", { DJB("-f"), [BACKEND_RUNIT] = "-f" } },
	{ "LimitMEMLOCK", { DJB("-l") } },
	{ "LimitNOFILE", { DJB("-o"), [BACKEND_RUNIT] = "-o" } },
	{ "LimitNPROC", { DJB("-p"), [BACKEND_RUNIT] = "-p" } },
	{ "LimitRSS", { DJB("-r") } },
	{ "LimitSTACK", { DJB("-s") } },
};
const size_t unit_nlimits = sizeof(unit_limits) / sizeof(unit_limits[0]);

/*
 * Each row is the daemon's own documented way to stay in the foreground
 * (its manual page, named in SOURCE). A Type=forking unit whose program
 * is not here is refused: svx does not guess.
 */
const struct unit_foreground unit_foregrounds[] = {
	{ "apache2", NULL, { "-DFOREGROUND" }, "apache2(8): -DFOREGROUND" },
	{ "chronyd", NULL, { "-n" }, "chronyd(8): -n, do not detach" },
	{ "crond", NULL, { "-n" }, "crond(8) (cronie): -n, stay in the "
	    "foreground" },
	{ "dbus-daemon", NULL, { "--nofork" }, "dbus-daemon(1): --nofork" },
	{ "dhcpd", NULL, { "-f" }, "dhcpd(8): -f, run in the foreground" },
	{ "dnsmasq", NULL, { "-k" }, "dnsmasq(8): -k, --keep-in-foreground" },
	{ "irqbalance", NULL, { "--foreground" }, "irqbalance(1): "
	    "--foreground" },
	{ "keepalived", NULL, { "--dont-fork" }, "keepalived(8): -n, "
	    "--dont-fork" },
	{ "lighttpd", NULL, { "-D" }, "lighttpd(8): -D, do not go to the "
	    "background" },
	{ "named", NULL, { "-f" }, "named(8): -f, run in the foreground" },
	{ "nginx", "-g", { "-g", "daemon off;" },
	    "nginx(8): -g 'daemon off;' (one -g is read: the unit's is "
	    "replaced)" },
	{ "ntpd", NULL, { "-n" }, "ntpd(8): -n, do not fork" },
	{ "php-fpm", NULL, { "-F" }, "php-fpm(8): -F, --nodaemonize" },
	{ "rsyslogd", NULL, { "-n" }, "rsyslogd(8): -n, do not "
	    "auto-background" },
	{ "smartd", NULL, { "-n" }, "smartd(8): -n, --no-fork" },
	{ "smbd", NULL, { "--foreground", "--no-process-group" },
	    "smbd(8): --foreground --no-process-group" },
	{ "snmpd", NULL, { "-f" }, "snmpd(8): -f, do not fork" },
	{ "squid", NULL, { "-N" }, "squid(8): -N, no daemon mode" },
	{ "sshd", NULL, { "-D" }, "sshd(8): -D, do not detach" },
	{ "unbound", NULL, { "-d" }, "unbound(8): -d, do not fork" },
};
const size_t unit_nforegrounds = sizeof(unit_foregrounds) /
    sizeof(unit_foregrounds[0]);

static int
cmp_program(const void *key, const void *row)
{
	return strcmp(key, *(const char *const *)row);
}

const struct unit_foreground *
map_unit_foreground(const char *program)
{
	return bsearch(program, unit_foregrounds, unit_nforegrounds,
	    sizeof(unit_foregrounds[0]), cmp_program);
}

/*
 * Type=notify: the daemon would tell systemd it serves. Under s6 a check
 * run by s6-notifyoncheck tells s6-supervise instead; these are checks
 * the daemon's own client gives.
 */
const struct unit_readiness unit_readiness[] = {
	{ "redis-server", "redis-cli ping | grep -q PONG",
	    "redis-cli ping answers PONG (the default port; edit data/check "
	    "if the configuration moves it)" },
};
const size_t unit_nreadiness = sizeof(unit_readiness) /
    sizeof(unit_readiness[0]);

/*
 * When systemd restarts, as an sh test over what ./finish computed:
 * clean (exit 0, or SIGHUP, SIGINT, SIGTERM, SIGPIPE: systemd's clean
 * signals) and killed (by any other signal). svx has no watchdog and no
 * start timeout, so those causes never arise.
 */
const struct unit_restart unit_restarts[] = {
	{ "on-abnormal", "[ \"$killed\" = yes ]" },
	{ "on-abort", "[ \"$killed\" = yes ]" },
	{ "on-failure", "[ \"$clean\" = no ]" },
	{ "on-success", "[ \"$clean\" = yes ]" },
	{ "on-watchdog", "false" },
};
const size_t unit_nrestarts = sizeof(unit_restarts) /
    sizeof(unit_restarts[0]);

const struct unit_restart *
map_unit_restart(const char *value)
{
	return bsearch(value, unit_restarts, unit_nrestarts,
	    sizeof(unit_restarts[0]), cmp_program);
}

const struct unit_readiness *
map_unit_readiness(const char *program)
{
	return bsearch(program, unit_readiness, unit_nreadiness,
	    sizeof(unit_readiness[0]), cmp_program);
}
