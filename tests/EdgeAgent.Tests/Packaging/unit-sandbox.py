#!/usr/bin/python3
"""Runs a command under the sandbox that packaging/edgeagent.service asks systemd for, without systemd.

Where systemd is not PID 1 (containers, CI), systemd-run cannot apply a unit's properties; this applies the ones
that decide whether the agent can work at all, the way systemd 252 (Debian 12) implements them:
  NoNewPrivileges=yes           prctl(PR_SET_NO_NEW_PRIVS)
  ProtectProc= / ProcSubset=    a private mount namespace with /proc mounted hidepid=..., subset=...
  SystemCallFilter=             a seccomp allow-list from `systemd-analyze syscall-filter`'s groups, ~lists removed,
  SystemCallErrorNumber=        refused calls fail with that errno
  MemoryDenyWriteExecute=yes    seccomp: mmap(PROT_WRITE|PROT_EXEC), mprotect/pkey_mprotect(PROT_EXEC), shmat(SHM_EXEC) fail
Usage: unit-sandbox.py UNIT_FILE [--set Key=Value]... -- COMMAND [ARG]...
Exit status: the command's (128+N when killed by signal N); 125 when the sandbox itself cannot be set up.
"""
import ctypes
import errno
import os
import subprocess
import sys

import seccomp

CLONE_NEWNS = 0x00020000
MS_NOSUID, MS_NODEV, MS_NOEXEC, MS_REC, MS_PRIVATE = 2, 4, 8, 0x4000, 1 << 18
PR_SET_NO_NEW_PRIVS = 38
PROT_WRITE, PROT_EXEC, SHM_EXEC = 0x2, 0x4, 0o100000

libc = ctypes.CDLL(None, use_errno=True)


def fail(message):
    print(f"unit-sandbox: {message}", file=sys.stderr)
    sys.exit(125)


def check(result, what):
    if result != 0:
        fail(f"{what}: {os.strerror(ctypes.get_errno())}")


def read_unit(path, overrides):
    settings = {}
    section = None
    with open(path, encoding="utf-8") as unit:
        lines = [line.strip() for line in unit] + [None] + overrides
    for line in lines:
        if line is None:
            section = "Service"
            continue
        if not line or line.startswith("#"):
            continue
        if line.startswith("["):
            section = line.strip("[]")
            continue
        if section == "Service" and "=" in line:
            key, value = line.split("=", 1)
            settings.setdefault(key, []).append(value)
    return settings


def syscall_groups():
    text = subprocess.run(["systemd-analyze", "syscall-filter", "--no-pager"], check=True, capture_output=True, text=True).stdout
    groups, current = {}, None
    for raw in text.splitlines():
        line = raw.strip()
        if line.startswith("@") and not raw.startswith(" "):
            current = groups.setdefault(line.split()[0], [])
        elif current is not None and line and not line.startswith("#"):
            current.append(line.split()[0])
    return groups


def expand(names, groups, seen=None):
    seen = set() if seen is None else seen
    result = set()
    for name in names:
        if name.startswith("@"):
            if name not in seen:
                seen.add(name)
                result |= expand(groups.get(name, []), groups, seen)
        else:
            result.add(name)
    return result


def syscall_filter(settings):
    lines = settings.get("SystemCallFilter", [])
    if not lines:
        return None
    groups = syscall_groups()
    allowed = None
    for value in lines:
        deny = value.startswith("~")
        names = expand(value.lstrip("~").split(), groups)
        if deny and allowed is not None:
            allowed -= names
        elif not deny:
            allowed = names if allowed is None else allowed | names
    if allowed is None:
        fail("a deny-only SystemCallFilter= is not emulated")
    number = settings.get("SystemCallErrorNumber", ["EPERM"])[-1]
    action = seccomp.ERRNO(getattr(errno, number)) if number != "kill" else seccomp.KILL_PROCESS
    rules = seccomp.SyscallFilter(action)
    for name in sorted(allowed):
        try:
            rules.add_rule(seccomp.ALLOW, name)
        except (RuntimeError, ValueError, OSError):
            pass  # not a system call on this architecture
    return rules


def write_execute_filter():
    rules = seccomp.SyscallFilter(seccomp.ALLOW)
    refuse = seccomp.ERRNO(errno.EPERM)
    rules.add_rule(refuse, "mmap", seccomp.Arg(2, seccomp.MASKED_EQ, PROT_WRITE | PROT_EXEC, PROT_WRITE | PROT_EXEC))
    for name in ("mprotect", "pkey_mprotect"):
        rules.add_rule(refuse, name, seccomp.Arg(2, seccomp.MASKED_EQ, PROT_EXEC, PROT_EXEC))
    rules.add_rule(refuse, "shmat", seccomp.Arg(2, seccomp.MASKED_EQ, SHM_EXEC, SHM_EXEC))
    return rules


def main():
    args = sys.argv[1:]
    if len(args) < 3 or "--" not in args:
        fail(__doc__.strip().splitlines()[-2])
    split = args.index("--")
    unit, options, command = args[0], args[1:split], args[split + 1:]
    overrides = [options[i + 1] for i in range(0, len(options) - 1, 2) if options[i] == "--set"]
    settings = read_unit(unit, overrides)

    proc_options = []
    if settings.get("ProtectProc", ["default"])[-1] != "default":
        proc_options.append("hidepid=" + settings["ProtectProc"][-1])
    if settings.get("ProcSubset", ["all"])[-1] == "pid":
        proc_options.append("subset=pid")

    filters = []
    if (rules := syscall_filter(settings)) is not None:
        filters.append(rules)
    if settings.get("MemoryDenyWriteExecute", ["no"])[-1] == "yes":
        filters.append(write_execute_filter())

    if proc_options:
        # As systemd does: a private mount namespace with its own /proc instance (no PID namespace), then exec,
        # so the command keeps this process's PID and receives the test's signals itself.
        check(libc.unshare(CLONE_NEWNS), "unshare")
        check(libc.mount(b"none", b"/", None, MS_REC | MS_PRIVATE, None), "mount --make-rprivate /")
        check(libc.mount(b"proc", b"/proc", b"proc", MS_NOSUID | MS_NODEV | MS_NOEXEC, ",".join(proc_options).encode()),
              "mount proc " + ",".join(proc_options))

    if settings.get("NoNewPrivileges", ["no"])[-1] == "yes" or filters:
        check(libc.prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0), "prctl(PR_SET_NO_NEW_PRIVS)")
    for rules in reversed(filters):  # the allow-list last: it may not allow seccomp() itself
        rules.load()
    try:
        os.execvp(command[0], command)
    except OSError as ex:
        print(f"unit-sandbox: cannot run {command[0]}: {ex}", file=sys.stderr)
        os._exit(126)


if __name__ == "__main__":
    main()
