#!/usr/bin/env bash
# Installs (or upgrades) pouw-node from a built jar. Idempotent: running it again with the same
# arguments changes nothing; running it with a new version adds a release and flips `current`.
#
#   sudo packaging/install.sh [--root DIR] [--no-systemctl] [--no-java-check] JAR VERSION
#
# What it does (every path below is prefixed with --root DIR when given):
#   - checks, before changing anything, that the launcher finds a Java 25 (JAVA_HOME from the
#     environment or from an existing /etc/pouw/pouw-node.env, java on the PATH, /usr/lib/jvm/*),
#     and stops with one line saying so when it does not           [skipped with --no-java-check]
#   - creates the system user and group `pouw` (no login shell) if missing   [skipped with --root]
#   - copies JAR to /opt/pouw/releases/VERSION/pouw-node.jar
#   - points /opt/pouw/releases/previous at the release `current` pointed at before, then flips
#     /opt/pouw/current -> releases/VERSION atomically (a temporary link renamed over the old one),
#     so the runbook's rollback `ln -sfn /opt/pouw/releases/previous /opt/pouw/current` works
#   - installs the launcher /usr/local/bin/pouw-node (runs the current jar on a Java 25; the unit uses it),
#     /etc/systemd/system/pouw-node.service and /etc/logrotate.d/pouw-node
#   - installs /etc/pouw/pouw-node.env (mode 0600) from pouw-node.env.example, only if absent
#   - creates /var/lib/pouw and /var/log/pouw owned by pouw
#   - runs `systemctl daemon-reload`                                        [skipped with --no-systemctl]
# It never starts, stops or restarts the service: a running node keeps its jar until
# `systemctl restart pouw-node`.
#
# --root DIR installs under DIR instead of / (for tests and image builds): no user is created,
# nothing is chown'ed and root is not needed. Links are relative so they resolve inside DIR.
set -euo pipefail

SELF=$(basename "$0")
SRC=$(cd "$(dirname "$0")" && pwd)

usage() {
  cat >&2 <<USAGE
usage: $SELF [--root DIR] [--no-systemctl] [--no-java-check] JAR VERSION

  JAR             the node jar to install (e.g. bootstrap/target/pouw-node.jar)
  VERSION         release name under /opt/pouw/releases (letters, digits, '.', '_', '+', '-')
  --root DIR      install under DIR instead of / (no user creation, no chown, no root needed)
  --no-systemctl  do not run 'systemctl daemon-reload'
  --no-java-check do not check for a Java 25 (e.g. an image that gets its JDK later)
USAGE
  exit 64
}
die() { echo "$SELF: $*" >&2; exit 1; }
say() { echo "$SELF: $*"; }

ROOT=""
SYSTEMCTL=yes
JAVA_CHECK=yes
ARGS=()
while [ $# -gt 0 ]; do
  case "$1" in
    --root) [ $# -ge 2 ] && [ -n "$2" ] || usage; ROOT=$2; shift 2 ;;
    --root=*) ROOT=${1#--root=}; [ -n "$ROOT" ] || usage; shift ;;
    --no-systemctl) SYSTEMCTL=no; shift ;;
    --no-java-check) JAVA_CHECK=no; shift ;;
    -h|--help) usage ;;
    --) shift; ARGS+=("$@"); break ;;
    -*) echo "$SELF: unknown option '$1'" >&2; usage ;;
    *) ARGS+=("$1"); shift ;;
  esac
done
[ ${#ARGS[@]} -eq 2 ] || usage
JAR=${ARGS[0]}
VERSION=${ARGS[1]}

[ -f "$JAR" ] || die "jar not found: $JAR (build it with ./dev build)"
[[ "$VERSION" =~ ^[A-Za-z0-9][A-Za-z0-9._+-]*$ ]] || die "bad version '$VERSION' (letters, digits, '.', '_', '+', '-')"
case "$VERSION" in previous|current) die "'$VERSION' is reserved and cannot be a version" ;; esac
for f in systemd/pouw-node.service logrotate/pouw-node pouw-node.env.example pouw-node; do
  [ -f "$SRC/$f" ] || die "missing $SRC/$f (run this script from a checkout of the project)"
done

if [ -n "$ROOT" ]; then
  mkdir -p "$ROOT"
  ROOT=$(cd "$ROOT" && pwd)
  [ "$ROOT" = / ] && ROOT=""
fi
REAL=$([ -z "$ROOT" ] && echo yes || echo no)   # a real install on this machine's /
if [ "$REAL" = yes ] && [ "$(id -u)" != 0 ]; then
  die "must run as root (or use --root DIR to install under a directory)"
fi

OPT=$ROOT/opt/pouw
RELEASES=$OPT/releases
ENVFILE=$ROOT/etc/pouw/pouw-node.env

# 0. Java: the service runs the launcher, which needs a Java 25; say so now rather than at start.
if [ "$JAVA_CHECK" = yes ]; then
  if [ -z "${JAVA_HOME:-}" ] && [ -f "$ENVFILE" ]; then   # what the service will see
    JAVA_HOME=$(sed -n 's/^[[:space:]]*JAVA_HOME=//p' "$ENVFILE" | tail -n1 | sed 's/^"\(.*\)"$/\1/')
    [ -n "$JAVA_HOME" ] && export JAVA_HOME || unset JAVA_HOME
  fi
  JAVA_FOUND=$("$SRC/pouw-node" --which-java) || die "the service needs Java 25 (see the line above); install it, or set JAVA_HOME, then run this again (--no-java-check skips this check)"
  say "java: $JAVA_FOUND"
fi

# 1. User and group.
if [ "$REAL" = yes ]; then
  if ! getent group pouw >/dev/null; then
    groupadd --system pouw
    say "created group pouw"
  fi
  if ! getent passwd pouw >/dev/null; then
    useradd --system --gid pouw --home-dir /var/lib/pouw --no-create-home \
      --shell "$(command -v nologin || echo /usr/sbin/nologin)" --comment "pouw-node" pouw
    say "created user pouw"
  fi
fi

# 2. The release.
mkdir -p "$RELEASES/$VERSION"
chmod 0755 "$OPT" "$RELEASES" "$RELEASES/$VERSION"
TARGET=$RELEASES/$VERSION/pouw-node.jar
if [ -f "$TARGET" ] && cmp -s "$JAR" "$TARGET"; then
  say "release $VERSION already holds this jar"
else
  [ -f "$TARGET" ] && say "release $VERSION exists with a different jar; replacing it"
  cp "$JAR" "$TARGET.tmp.$$"
  chmod 0644 "$TARGET.tmp.$$"
  mv -f "$TARGET.tmp.$$" "$TARGET"
  say "installed $TARGET"
fi

# 3. previous and current. `current` may point at releases/<v> (our links) or, after the
#    runbook's rollback, at /opt/pouw/releases/previous: resolve it to a version name.
release_of() { # $1 = a symlink; prints the release directory name it leads to, or nothing
  local name
  [ -L "$1" ] || return 0
  name=$(basename "$(readlink "$1")")
  if [ "$name" = previous ]; then
    [ -L "$RELEASES/previous" ] || return 0
    name=$(basename "$(readlink "$RELEASES/previous")")
  fi
  [ -d "$RELEASES/$name" ] && echo "$name"
  return 0
}
flip() { # $1 = link path, $2 = link text: replace the link atomically
  local tmp; tmp="$(dirname "$1")/.$(basename "$1").tmp.$$"
  ln -sfn "$2" "$tmp"
  mv -T "$tmp" "$1"
}
[ -e "$OPT/current" ] && [ ! -L "$OPT/current" ] && die "$OPT/current exists and is not a symlink; move it away first"
OLD=$(release_of "$OPT/current")
if [ "$OLD" = "$VERSION" ] && [ "$(readlink "$OPT/current")" = "releases/$VERSION" ]; then
  say "current is already release $VERSION"
else
  if [ -n "$OLD" ] && [ "$OLD" != "$VERSION" ]; then
    flip "$RELEASES/previous" "$OLD"
    say "previous -> release $OLD"
  fi
  flip "$OPT/current" "releases/$VERSION"
  say "current -> release $VERSION"
fi

# 4. Unit, logrotate, settings.
install -D -m 0755 "$SRC/pouw-node" "$ROOT/usr/local/bin/pouw-node"
install -D -m 0644 "$SRC/systemd/pouw-node.service" "$ROOT/etc/systemd/system/pouw-node.service"
install -D -m 0644 "$SRC/logrotate/pouw-node" "$ROOT/etc/logrotate.d/pouw-node"
mkdir -p "$ROOT/etc/pouw"
chmod 0755 "$ROOT/etc/pouw"
if [ -e "$ENVFILE" ]; then
  say "kept existing $ENVFILE"
else
  (umask 077 && cp "$SRC/pouw-node.env.example" "$ENVFILE.tmp.$$")
  chmod 0600 "$ENVFILE.tmp.$$"
  mv -f "$ENVFILE.tmp.$$" "$ENVFILE"
  say "installed $ENVFILE (mode 0600): set POUW_DATABASE_URL there"
fi

# 5. State and log directories (systemd's StateDirectory=/LogsDirectory= would create them
#    too; doing it here lets `sudo -u pouw pouw-node check-config` work before the first start).
mkdir -p "$ROOT/var/lib/pouw" "$ROOT/var/log/pouw"
chmod 0750 "$ROOT/var/lib/pouw" "$ROOT/var/log/pouw"
if [ "$REAL" = yes ]; then
  chown root:root "$ENVFILE"
  chown pouw:pouw /var/lib/pouw /var/log/pouw
fi

# 6. systemd.
if [ "$SYSTEMCTL" = yes ]; then
  if [ "$REAL" = yes ]; then
    systemctl daemon-reload
  else
    say "skipped 'systemctl daemon-reload' (--root: nothing to reload)"
  fi
fi

say "done. Next: systemctl enable --now pouw-node (first install) or systemctl restart pouw-node (upgrade)"
