#!/usr/bin/env bash
# A throwaway Dovecot (IMAP + POP3, plain text, 127.0.0.1 only) for tests and manual trials.
#
#   scripts/dovecot.sh start DIR IMAP_PORT POP3_PORT [USER [PASSWORD]]
#   scripts/dovecot.sh stop DIR
#
# `start` writes a standalone config into DIR (nothing from /etc/dovecot), a user (default
# testuser/secret) whose Maildir is DIR/mail/USER/Maildir, starts Dovecot and waits for the
# IMAP greeting. It prints `owner=UID:GID maildir=PATH`: new mail is a file written into
# PATH/new owned by that uid. As root the mail belongs to the system user `vmail` (created
# here when missing), because Dovecot refuses uid 0. `stop` stops it and leaves DIR alone.
set -euo pipefail

# A daemon started from here must not inherit the caller's other descriptors: a test process's
# pipes, held open for ever by a PostgreSQL or Dovecot started beside a command's test, kept that
# test waiting for its output's end. Bash's own descriptor for this script is kept.
self_script="$(readlink -f "$0")"
for fd_path in /proc/$$/fd/*; do
  fd="${fd_path##*/}"
  [[ "$fd" =~ ^[0-9]+$ ]] && (( fd > 2 )) || continue
  [[ "$(readlink -f "$fd_path" 2>/dev/null)" == "$self_script" ]] && continue
  eval "exec $fd>&-" 2>/dev/null || true
done

usage() { echo "usage: $0 start DIR IMAP_PORT POP3_PORT [USER [PASSWORD]] | stop DIR" >&2; exit 2; }
[[ $# -ge 2 ]] || usage
command -v dovecot >/dev/null 2>&1 || PATH="$PATH:/usr/sbin"
command -v dovecot >/dev/null 2>&1 || { echo "dovecot: not installed (scripts/setup.sh --test installs it)" >&2; exit 3; }

action=$1
dir=$(realpath -m "$2")

case "$action" in
stop)
  [[ -f "$dir/dovecot.conf" ]] || exit 0
  dovecot -c "$dir/dovecot.conf" stop </dev/null >/dev/null 2>&1 || true
  for _ in $(seq 1 50); do
    [[ -e "$dir/run/master.pid" ]] || exit 0
    sleep 0.05
  done
  exit 0
  ;;
start) ;;
*) usage ;;
esac

[[ $# -ge 4 ]] || usage
imap_port=$3
pop3_port=$4
user=${5:-testuser}
password=${6:-secret}

if [[ $(id -u) -eq 0 ]]; then
  if ! id vmail >/dev/null 2>&1; then
    useradd -r -M -d /nonexistent -s /usr/sbin/nologin vmail
  fi
  owner=vmail
  uid=$(id -u vmail)
  gid=$(id -g vmail)
  internal=""
else
  owner=$(id -un)
  uid=$(id -u)
  gid=$(id -g)
  group=$(id -gn)
  internal="default_internal_user = $owner
default_internal_group = $group
default_login_user = $owner"
fi

nochroot=""
[[ $(id -u) -eq 0 ]] || nochroot="chroot ="

mkdir -p "$dir/run" "$dir/state" "$dir/mail/$user/Maildir/"{new,cur,tmp}
chown -R "$uid:$gid" "$dir/mail"
chmod 755 "$dir"
# The mail user must reach DIR through its parents (mktemp -d makes 0700 folders).
if [[ $(id -u) -eq 0 ]] && ! runuser -u "$owner" -- test -x "$dir/mail/$user/Maildir" 2>/dev/null; then
  echo "dovecot: the mail user $owner cannot reach $dir (a parent folder is not searchable by others, like mktemp -d's 0700): chmod o+x its parents or choose another DIR" >&2
  exit 1
fi
printf '%s:{PLAIN}%s::::::\n' "$user" "$password" > "$dir/users"

cat > "$dir/dovecot.conf" <<EOF
base_dir = $dir/run
state_dir = $dir/state
log_path = $dir/dovecot.log
instance_name = outcry-test-$(basename "$dir")
protocols = imap pop3
listen = 127.0.0.1
ssl = no
disable_plaintext_auth = no
auth_mechanisms = plain login
mail_location = maildir:$dir/mail/%n/Maildir
first_valid_uid = $uid
$internal
pop3_uidl_format = %08Xu%08Xv
passdb {
  driver = passwd-file
  args = scheme=PLAIN username_format=%n $dir/users
}
userdb {
  driver = static
  args = uid=$uid gid=$gid home=$dir/mail/%n
}
namespace inbox {
  inbox = yes
  separator = /
  mailbox Sent {
    special_use = \\Sent
    auto = create
  }
  mailbox Done {
    auto = create
  }
}
service imap-login {
  inet_listener imap {
    port = $imap_port
  }
  inet_listener imaps {
    port = 0
  }
  $nochroot
}
service pop3-login {
  inet_listener pop3 {
    port = $pop3_port
  }
  inet_listener pop3s {
    port = 0
  }
  $nochroot
}
service anvil {
  $nochroot
}
service ipc {
  $nochroot
}
EOF
if [[ $(id -u) -ne 0 ]]; then
  printf 'service old-stats {\n  %s\n}\n' "$nochroot" >> "$dir/dovecot.conf"
fi

# Dovecot daemonizes: its processes must not inherit the caller's stdout/stderr, or a caller
# that reads this script's output to EOF (a test through a pipe) waits for as long as Dovecot
# runs. Its own messages go to DIR/dovecot.log (log_path) and DIR/dovecot.out.
dovecot -c "$dir/dovecot.conf" </dev/null >"$dir/dovecot.out" 2>&1 || {
  echo "dovecot: failed to start (see $dir/dovecot.out and $dir/dovecot.log):" >&2
  cat "$dir/dovecot.out" >&2
  exit 1
}

# Ready when the IMAP port greets.
for _ in $(seq 1 100); do
  if exec 3<>"/dev/tcp/127.0.0.1/$imap_port" 2>/dev/null; then
    if IFS= read -r -t 2 greeting <&3 && [[ $greeting == "* OK"* ]]; then
      exec 3<&- 3>&-
      echo "owner=$uid:$gid maildir=$dir/mail/$user/Maildir"
      exit 0
    fi
    exec 3<&- 3>&-
  fi
  sleep 0.05
done
echo "dovecot: no IMAP greeting on 127.0.0.1:$imap_port (see $dir/dovecot.log)" >&2
dovecot -c "$dir/dovecot.conf" stop </dev/null >/dev/null 2>&1 || true
exit 1
