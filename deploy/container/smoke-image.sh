#!/usr/bin/env bash
# Runs the image that build-image.sh wrote the way a container runtime would, without one (no daemon here): its
# layers unpacked in order into a rootfs (umoci honours whiteouts), its config read (Entrypoint, Cmd, Env, WorkingDir,
# User), its entrypoint started in its own mount and PID namespaces under chroot as the image's user, with only the
# image's environment and a runtime's /proc, /dev and HOME. Two runs:
#   sqlite    its embedded default (SQLite in /app/data), in a network namespace of its own, on the image's port 8080;
#   postgres  Storage__Provider=Postgres on a new database of the PostgreSQL server named by DESKBRIDGE_TEST_POSTGRES
#             (an Npgsql connection string), on the host's loopback with ASPNETCORE_HTTP_PORTS set to a free port.
# Each run turns the demo on (Demo__Enabled=true: the in-process HubSpot sandbox and a connected organization) and
# checks GET /health/live and /health/ready (200), the sign-in page, and a webhook round trip: a customer writes on the
# sandbox, the sandbox sends the webhook, the image's Deskbridge posts the AI's reply on the thread.
#
# Usage (as root: namespaces and chroot need it):
#   deploy/container/smoke-image.sh [IMAGE]        default artifacts/deskbridge-image.tar.gz
# DESKBRIDGE_SMOKE_KEEP=1 keeps the unpacked rootfs and the runs' logs.
# Needs: apt-get install skopeo umoci (jq, curl, psql, util-linux, iproute2). Last line: "N passed, N failed".
set -Eeuo pipefail

die() { printf 'smoke-image: %s\n' "$*" >&2; exit 1; }

# ---- Inside the namespaces (the script calls itself through unshare) -------------------------------------------------
if [ "${1:-}" = "--inside" ]; then
  shift
  work=$1 name=$2 isolated_net=$3 port=$4 sandbox_port=$5
  shift 5
  rootfs="$work/bundle/rootfs"
  mapfile -t env_list <"$work/env"
  mapfile -t args <"$work/args"
  read -r uid gid workdir home <"$work/user"

  [ "$isolated_net" = yes ] && ip link set lo up
  # What a runtime gives a container: its own /proc, a small /dev (never the host's), /dev/shm.
  mount -t proc proc "$rootfs/proc"
  mount -t tmpfs -o mode=0755,nosuid tmpfs "$rootfs/dev"
  for node in null zero full random urandom tty; do
    touch "$rootfs/dev/$node" && mount --bind "/dev/$node" "$rootfs/dev/$node"
  done
  mkdir -p "$rootfs/dev/shm" "$rootfs/dev/pts" && mount -t tmpfs -o mode=1777,nosuid,nodev tmpfs "$rootfs/dev/shm"
  ln -s /proc/self/fd "$rootfs/dev/fd"; ln -s fd/0 "$rootfs/dev/stdin"; ln -s fd/1 "$rootfs/dev/stdout"; ln -s fd/2 "$rootfs/dev/stderr"

  # From here on every check reports and the run goes on: the log's tail is printed when any failed.
  set +e +o pipefail
  trap - ERR
  log="$work/$name.log"
  # env -i: the image's environment and the run's own settings only, as `docker run -e` gives them.
  env -i HOME="$home" HOSTNAME=deskbridge-smoke "${env_list[@]}" "$@" \
    chroot --userspec="$uid:$gid" "$rootfs" /usr/bin/env --chdir="$workdir" "${args[@]}" >"$log" 2>&1 &
  app=$!

  base="http://127.0.0.1:$port"
  sandbox="http://127.0.0.1:$sandbox_port"
  failures=0
  ok() { printf 'ok    %-8s %s\n' "$name" "$*"; }
  bad() { printf 'FAIL  %-8s %s\n' "$name" "$*"; failures=$((failures + 1)); }
  alive() { kill -0 "$app" 2>/dev/null; }
  started=$SECONDS

  ready=no
  while [ $((SECONDS - started)) -lt 240 ] && alive; do
    if [ "$(curl -s -o /dev/null -w '%{http_code}' "$base/health/ready")" = 200 ]; then ready=yes; break; fi
    sleep 1
  done
  if [ "$ready" = yes ]; then ok "GET /health/ready 200 after $((SECONDS - started)) s"; else bad "GET /health/ready not 200 within 240 s"; fi
  code=$(curl -s -o /dev/null -w '%{http_code}' "$base/health/live"); [ "$code" = 200 ] && ok "GET /health/live 200" || bad "GET /health/live $code"
  login=$(curl -s -w '\n%{http_code}' "$base/login")
  if [ "$(tail -n 1 <<<"$login")" = 200 ] && grep -q 'type="password"' <<<"$login"; then ok "GET /login 200 (the sign-in form)"; else bad "GET /login: $(tail -n 1 <<<"$login")"; fi

  # The demo connects once the server listens; its portal's webhooks then point at this instance.
  while [ $((SECONDS - started)) -lt 300 ] && alive && ! grep -q 'Demo ready' "$log"; do sleep 1; done
  if grep -q 'Demo ready' "$log"; then
    ok "demo organization connected to the sandbox"
    thread=$(curl -sf -X POST "$sandbox/_sandbox/simulate/customer-message" -H 'content-type: application/json' \
      -d '{"channel":"chat","email":"smoke@example.com","name":"Smoke","text":"How long does shipping take?"}' | jq -r .threadId) || thread=
    sent=$SECONDS
    reply=
    while [ -n "$thread" ] && [ $((SECONDS - sent)) -lt 180 ] && alive; do
      reply=$(curl -sf "$sandbox/_sandbox/threads/$thread" |
        jq -r '[.messages[] | select(.type == "MESSAGE" and .direction == "OUTGOING")][0].text // empty') || reply=
      [ -n "$reply" ] && break
      sleep 1
    done
    reply=$(tr -s '\n' ' ' <<<"$reply")
    if [ -n "$reply" ]; then ok "webhook round trip: the AI replied on thread $thread after $((SECONDS - sent)) s: \"${reply:0:70}…\""
    else bad "webhook round trip: no AI reply on thread '${thread:-none}' within 180 s"; fi
  else
    bad "the demo did not connect (no 'Demo ready' in the log)"
  fi

  if alive; then
    kill -TERM "$app"
    for _ in $(seq 1 30); do alive || break; sleep 0.5; done
    if alive; then bad "did not stop within 15 s of SIGTERM"; kill -KILL "$app"; else ok "stopped on SIGTERM"; fi
  else
    bad "exited by itself"
  fi
  wait "$app" 2>/dev/null || true
  if [ "$failures" -gt 0 ]; then
    printf -- '--- %s: last lines of the log (%s) ---\n' "$name" "$log"
    tail -n 40 "$log"
  fi
  exit "$failures"
fi

# ---- Outside ----------------------------------------------------------------------------------------------------------
repo=$(cd "$(dirname "$0")/../.." && pwd)
image=$(realpath -m "${1:-$repo/artifacts/deskbridge-image.tar.gz}")
[ "$(id -u)" -eq 0 ] || die "run it as root (namespaces, mounts and chroot need it)"
[ -f "$image" ] || die "no image at $image: run deploy/container/build-image.sh first"
missing=()
for tool in skopeo umoci jq curl unshare chroot ip psql python3; do command -v "$tool" >/dev/null 2>&1 || missing+=("$tool"); done
[ ${#missing[@]} -eq 0 ] || die "missing ${missing[*]}: apt-get install -y skopeo umoci jq curl iproute2 postgresql-client"
[ -n "${DESKBRIDGE_TEST_POSTGRES:-}" ] ||
  die "DESKBRIDGE_TEST_POSTGRES is not set: the PostgreSQL run needs a server it may create a database on (an Npgsql connection string, e.g. Host=127.0.0.1;Port=5432;Username=postgres;Database=postgres)"

work=$(mktemp -d /tmp/deskbridge-smoke.XXXXXX)
pg_db=
psql_cmd=()
cleanup() {
  if [ -n "$pg_db" ]; then "${psql_cmd[@]}" -c "DROP DATABASE IF EXISTS \"$pg_db\" WITH (FORCE)" >/dev/null 2>&1 || true; fi
  # The mounts lived in the runs' own mount namespaces and went with them: this removes files only.
  if [ -n "${DESKBRIDGE_SMOKE_KEEP:-}" ]; then echo "kept $work (the rootfs and each run's log)"; else rm -rf "$work"; fi
}
trap cleanup EXIT
trap 'printf "smoke-image: FAILED at line %s: %s\n" "$LINENO" "$BASH_COMMAND" >&2' ERR

echo "image: $image ($(du -m "$image" | cut -f1) MB)"
skopeo --insecure-policy copy --quiet "docker-archive:$image" "oci:$work/oci:smoke"
umoci unpack --image "$work/oci:smoke" "$work/bundle" >/dev/null
rootfs="$work/bundle/rootfs"
echo "rootfs: $(du -sm "$rootfs" | cut -f1) MB unpacked from $(jq '.[0].Layers | length' < <(tar -xOf "$image" manifest.json)) layers"

config=$(skopeo --insecure-policy inspect --config "docker-archive:$image")
jq -r '.config | "entrypoint: \(.Entrypoint) cmd: \(.Cmd) workdir: \(.WorkingDir) user: \(.User)\nenv: \(.Env | join(" "))"' <<<"$config"
jq -r '.config | (.Entrypoint // []) + (.Cmd // []) | .[]' <<<"$config" >"$work/args"
jq -r '.config.Env // [] | .[]' <<<"$config" >"$work/env"
[ -s "$work/args" ] || die "the image has neither Entrypoint nor Cmd"
workdir=$(jq -r '.config.WorkingDir // "" | if . == "" then "/" else . end' <<<"$config")
user=$(jq -r '.config.User // ""' <<<"$config")
[ -n "$user" ] && [ "${user%%:*}" != 0 ] && [ "${user%%:*}" != root ] || die "the image runs as root (User '$user')"
# User is a name or uid, optionally :group; resolved in the image's own /etc/passwd, as a runtime does.
user_name=${user%%:*}
entry=$(awk -F: -v u="$user_name" '$1 == u || $3 == u { print; exit }' "$rootfs/etc/passwd")
if [[ "$user_name" =~ ^[0-9]+$ ]]; then uid=$user_name; else uid=$(cut -d: -f3 <<<"$entry"); fi
[ -n "$uid" ] || die "user '$user' is not in the image's /etc/passwd"
gid=${user#*:}; [ "$gid" != "$user" ] || gid=$(cut -d: -f4 <<<"$entry"); gid=${gid:-$uid}
home=$(cut -d: -f6 <<<"$entry"); home=${home:-/}
echo "$uid $gid $workdir $home" >"$work/user"

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'; }
script=$(realpath "$0")
passed=0
failed=0
count() { # the ok/FAIL lines of a run's output, and the run's exit code
  local out=$1 status=$2 fails
  printf '%s\n' "$out"
  fails=$(grep -c '^FAIL ' <<<"$out" || true)
  passed=$((passed + $(grep -c '^ok ' <<<"$out" || true)))
  failed=$((failed + fails))
  if [ "$status" -ne 0 ] && [ "$fails" -eq 0 ]; then failed=$((failed + 1)); fi
}
check() { # name description command...
  local name=$1 what=$2; shift 2
  if "$@"; then printf 'ok    %-8s %s\n' "$name" "$what"; passed=$((passed + 1)); else printf 'FAIL  %-8s %s\n' "$name" "$what"; failed=$((failed + 1)); fi
}

# (a) The embedded default: nothing configured but the demo; the image's own port, in a network namespace of its own.
out=$(unshare --mount --pid --fork --kill-child --net -- bash "$script" --inside "$work" sqlite yes 8080 5099 \
  Demo__Enabled=true 2>&1) && status=0 || status=$?
count "$out" "$status"
db="$rootfs/app/data/deskbridge.db"
check sqlite "/app/data/deskbridge.db written by uid $uid" test -f "$db" -a "$(stat -c %u "$db" 2>/dev/null)" = "$uid"

# (b) PostgreSQL: a database of its own on the server DESKBRIDGE_TEST_POSTGRES names, the host's loopback.
declare -A pg=()
IFS=';' read -ra parts <<<"$DESKBRIDGE_TEST_POSTGRES"
for part in "${parts[@]}"; do
  [ -n "$part" ] || continue
  key=$(tr '[:upper:]' '[:lower:]' <<<"${part%%=*}" | tr -d ' ')
  pg[$key]=${part#*=}
done
pg_host=${pg[host]:-${pg[server]:-127.0.0.1}}
pg_port=${pg[port]:-5432}
pg_user=${pg[username]:-${pg[userid]:-${pg[user]:-postgres}}}
pg_password=${pg[password]:-}
psql_cmd=(env PGPASSWORD="$pg_password" psql -v ON_ERROR_STOP=1 -qAt -h "$pg_host" -p "$pg_port" -U "$pg_user")
pg_db="deskbridge_smoke_$(date +%s)_$$"
"${psql_cmd[@]}" -d "${pg[database]:-postgres}" -c "CREATE DATABASE \"$pg_db\"" >/dev/null ||
  { pg_db=; die "could not create a database on $pg_host:$pg_port (DESKBRIDGE_TEST_POSTGRES)"; }
psql_cmd+=(-d "${pg[database]:-postgres}")
connection="Host=$pg_host;Port=$pg_port;Username=$pg_user;Database=$pg_db${pg_password:+;Password=$pg_password}"
rm -f "$db" "$db-wal" "$db-shm"
http_port=$(free_port)
sandbox_port=$(free_port)
out=$(unshare --mount --pid --fork --kill-child -- bash "$script" --inside "$work" postgres no "$http_port" "$sandbox_port" \
  Demo__Enabled=true Demo__SandboxUrl="http://127.0.0.1:$sandbox_port" ASPNETCORE_HTTP_PORTS="$http_port" \
  Storage__Provider=Postgres "ConnectionStrings__Deskbridge=$connection" 2>&1) && status=0 || status=$?
count "$out" "$status"
organizations=$(env PGPASSWORD="$pg_password" psql -qAt -h "$pg_host" -p "$pg_port" -U "$pg_user" -d "$pg_db" \
  -c 'SELECT count(*) FROM "Organizations"' 2>/dev/null || echo none)
check postgres "the demo organization is in database $pg_db ($organizations row)" test "$organizations" = 1
check postgres "no SQLite file beside it" test ! -e "$db"

echo "$passed passed, $failed failed"
if [ "$failed" -ne 0 ]; then exit 1; fi
