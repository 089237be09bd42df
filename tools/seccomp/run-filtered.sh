#!/bin/sh
# Runs a command under the system-call filter of packaging/systemd/pouw-node.service without systemd
# (a container, where systemd-run cannot start a transient unit): the allow-list is the unit's first
# SystemCallFilter= group minus the groups of its "~" line, expanded with `systemd-analyze
# syscall-filter`; every other call fails with EPERM (SystemCallErrorNumber=EPERM), after
# PR_SET_NO_NEW_PRIVS (NoNewPrivileges=yes). Only the seccomp part of the unit is reproduced (no
# user, namespaces or /proc settings). Needs cc, libseccomp.so.2 (no headers), python3, systemd-analyze.
#
#   tools/seccomp/run-filtered.sh /usr/lib/jvm/temurin-25-jdk-amd64/bin/java -version
#   tools/seccomp/run-filtered.sh /usr/bin/nice -n 5 true     # must fail: setpriority is in @resources
set -eu
here=$(cd "$(dirname "$0")" && pwd)
unit="$here/../../packaging/systemd/pouw-node.service"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
allow=$(sed -n 's/^SystemCallFilter=\([^~].*\)$/\1/p' "$unit")
deny=$(sed -n 's/^SystemCallFilter=~\(.*\)$/\1/p' "$unit")
python3 - "$allow" "$deny" >"$work/allow.txt" <<'PY'
import functools, subprocess, sys
@functools.lru_cache(None)
def expand(entry):
    if not entry.startswith("@"):
        return frozenset([entry])
    out = subprocess.run(["systemd-analyze", "syscall-filter", entry], capture_output=True, text=True, check=True).stdout
    names = set()
    for line in out.splitlines()[1:]:
        t = line.strip()
        if t and not t.startswith("#"):
            names |= expand(t)
    return frozenset(names)
allowed = set().union(*(expand(e) for e in sys.argv[1].split()))
allowed -= set().union(*(expand(e) for e in sys.argv[2].split()))
print("\n".join(sorted(allowed)))
PY
cc -O -o "$work/filtered-exec" "$here/filtered-exec.c" -l:libseccomp.so.2
"$work/filtered-exec" "$work/allow.txt" "$@"
