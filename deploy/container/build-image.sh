#!/usr/bin/env bash
# Builds Deskbridge's container image with nothing but the package registries this project reaches (Debian's, NuGet):
#   1. a base image from Debian packages: bookworm minbase (debootstrap) with its security updates and the libraries
#      .NET needs, plus the ASP.NET Core runtime copied from this machine's .NET SDK (the app is framework-dependent);
#   2. that base served from a registry on loopback (Debian's docker-registry, its own config and storage in a temp
#      dir), put in with umoci and skopeo;
#   3. `dotnet publish /t:PublishContainer` on top of it, written as a docker-load tarball (no daemon needed).
#
# Usage (as root: debootstrap and chroot need it):
#   deploy/container/build-image.sh [OUTPUT]        default artifacts/deskbridge-image.tar.gz
# Needs: apt-get install debootstrap docker-registry skopeo umoci (and the .NET 10 SDK, curl, python3).
# DESKBRIDGE_BASE_OUTPUT=<dir> also keeps the base image as an OCI layout there.
# The mirrors are the ones apt uses (/etc/apt/sources.list*); DESKBRIDGE_DEBIAN_MIRROR and
# DESKBRIDGE_DEBIAN_SECURITY_MIRROR override them.
set -Eeuo pipefail

repo=$(cd "$(dirname "$0")/../.." && pwd)
output=$(realpath -m "${1:-$repo/artifacts/deskbridge-image.tar.gz}")
suite=bookworm
app_uid=1654 # the uid of Microsoft's images' `app` user, so that volumes and policies written for those fit this one
started=$SECONDS

say() { printf '[build-image %3ds] %s\n' $((SECONDS - started)) "$*"; }
die() { printf 'build-image: %s\n' "$*" >&2; exit 1; }
trap 'printf "build-image: FAILED at line %s: %s\n" "$LINENO" "$BASH_COMMAND" >&2' ERR

[ "$(id -u)" -eq 0 ] || die "run it as root (debootstrap, chroot and the rootfs's owners need it)"
missing=()
for tool in debootstrap docker-registry skopeo umoci dotnet curl python3 chroot; do
  command -v "$tool" >/dev/null 2>&1 || missing+=("$tool")
done
[ ${#missing[@]} -eq 0 ] || die "missing ${missing[*]}: apt-get install -y debootstrap docker-registry skopeo umoci (and the .NET 10 SDK)"

# The Debian mirrors apt is configured with: the one serving "$suite" and the one serving "$suite-security".
apt_mirror() { # $1: suite to look for
  local file
  for file in /etc/apt/sources.list.d/*.sources; do
    [ -f "$file" ] || continue
    # deb822: paragraphs with URIs: and Suites:
    awk -v want="$1" 'BEGIN { RS = ""; FS = "\n" }
      { uris = ""; hit = 0
        for (i = 1; i <= NF; i++) {
          if ($i ~ /^URIs:/) { sub(/^URIs:[ \t]*/, "", $i); split($i, u, /[ \t]+/); uris = u[1] }
          if ($i ~ /^Suites:/) { n = split($i, s, /[ \t]+/); for (j = 2; j <= n; j++) if (s[j] == want) hit = 1 }
        }
        if (hit && uris != "") { print uris; exit } }' "$file"
  done
  # one-line style: deb [options] URI suite components
  for file in /etc/apt/sources.list /etc/apt/sources.list.d/*.list; do
    [ -f "$file" ] || continue
    awk -v want="$1" '$1 == "deb" { i = 2; if ($2 ~ /^\[/) { while ($i !~ /\]$/) i++; i++ } if ($(i + 1) == want) print $i }' "$file"
  done
}
mirror=${DESKBRIDGE_DEBIAN_MIRROR:-$(apt_mirror "$suite" | sed -n 1p)}
security_mirror=${DESKBRIDGE_DEBIAN_SECURITY_MIRROR:-$(apt_mirror "$suite-security" | sed -n 1p)}
[ -n "$mirror" ] || die "no Debian mirror for $suite in /etc/apt/sources.list*; set DESKBRIDGE_DEBIAN_MIRROR"
[ -n "$security_mirror" ] || die "no Debian mirror for $suite-security in /etc/apt/sources.list*; set DESKBRIDGE_DEBIAN_SECURITY_MIRROR"

# The newest ASP.NET Core 10 runtime of this SDK, with the .NET runtime and host of the same version.
read -r runtime_version dotnet_root < <(dotnet --list-runtimes |
  sed -n 's/^Microsoft\.AspNetCore\.App \(10\.[0-9.]*\) \[\(.*\)\/shared\/Microsoft\.AspNetCore\.App\]$/\1 \2/p' | sort -V | tail -n 1) ||
  die "no Microsoft.AspNetCore.App 10.x runtime in 'dotnet --list-runtimes'"
for part in "shared/Microsoft.NETCore.App/$runtime_version" "shared/Microsoft.AspNetCore.App/$runtime_version" "host/fxr/$runtime_version" dotnet; do
  [ -e "$dotnet_root/$part" ] || die "$dotnet_root/$part is missing: the base needs the .NET host and both runtimes $runtime_version"
done

work=$(mktemp -d /tmp/deskbridge-image.XXXXXX)
registry_pid=
cleanup() {
  if [ -n "$registry_pid" ]; then kill "$registry_pid" 2>/dev/null || true; wait "$registry_pid" 2>/dev/null || true; fi
  # Nothing is mounted under $work (debootstrap unmounts what it mounted), so this removes files only.
  rm -rf "$work"
}
trap cleanup EXIT

layout="$work/oci"
bundle="$work/bundle"
rootfs="$bundle/rootfs"
umoci init --layout "$layout"
umoci new --image "$layout:$suite"
umoci unpack --image "$layout:$suite" "$bundle" >/dev/null

# --- Layer 1: Debian ---------------------------------------------------------------------------------------------
# ICU, not invariant globalization: handoff notes name the customer's language (CultureInfo.EnglishName) and the
# handoff message formats when the team is back in the customer's culture; invariant mode has no such cultures.
# tzdata for business hours (IANA zones); libssl3 and ca-certificates for HubSpot and the LLM over TLS;
# libstdc++6/libgcc-s1 for ONNX Runtime (the embedding model) and .NET's native parts; zlib1g for compression.
packages=libicu72,libssl3,ca-certificates,tzdata,zlib1g,libstdc++6,libgcc-s1
say "debootstrap --variant=minbase $suite from $mirror (+ $packages)"
debootstrap --variant=minbase --include="$packages" "$suite" "$rootfs" "$mirror" >"$work/debootstrap.log" 2>&1 ||
  { tail -n 30 "$work/debootstrap.log" >&2; die "debootstrap failed (log above)"; }

cat >"$rootfs/etc/apt/sources.list.d/debian.sources" <<EOF
Types: deb
URIs: $mirror
Suites: $suite $suite-updates
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg

Types: deb
URIs: $security_mirror
Suites: $suite-security
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
EOF
rm -f "$rootfs/etc/apt/sources.list"
# Images derived from this one stay small too: no docs, manuals or translations, no package cache.
cat >"$rootfs/etc/dpkg/dpkg.cfg.d/01-deskbridge-slim" <<'EOF'
path-exclude /usr/share/doc/*
path-include /usr/share/doc/*/copyright
path-exclude /usr/share/man/*
path-exclude /usr/share/info/*
path-exclude /usr/share/locale/*
path-exclude /usr/share/lintian/*
EOF
cat >"$rootfs/etc/apt/apt.conf.d/01-deskbridge-slim" <<'EOF'
APT::Install-Recommends "false";
DPkg::Post-Invoke { "rm -f /var/cache/apt/archives/*.deb /var/cache/apt/*.bin || true"; };
EOF

say "security updates ($suite-updates, $suite-security)"
cp /etc/resolv.conf "$rootfs/etc/resolv.conf"
chroot "$rootfs" /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin DEBIAN_FRONTEND=noninteractive \
  sh -c 'apt-get update -qq && apt-get upgrade -y -qq' >"$work/upgrade.log" 2>&1 ||
  { tail -n 30 "$work/upgrade.log" >&2; die "apt-get upgrade in the new rootfs failed (log above)"; }
chroot "$rootfs" dpkg-query -W -f='${Package} ${Version}\n' >"$work/packages.txt"

# What a container runtime provides itself (resolv.conf, hostname, devices) or nobody needs in an image.
rm -rf "$rootfs/etc/resolv.conf" "$rootfs/etc/hostname" "$rootfs"/dev/* \
  "$rootfs"/var/cache/apt/* "$rootfs"/var/lib/apt/lists/* "$rootfs"/var/cache/debconf/*-old "$rootfs"/var/lib/dpkg/*-old \
  "$rootfs"/usr/share/man "$rootfs"/usr/share/info "$rootfs"/usr/share/locale "$rootfs"/usr/share/lintian
find "$rootfs/usr/share/doc" -type f ! -name copyright -delete
find "$rootfs/usr/share/doc" -mindepth 1 -type d -empty -delete
find "$rootfs/var/log" -type f -delete
# A runtime mounts its own /etc/hosts; this one lets "localhost" resolve where none does (chroot, systemd-nspawn).
printf '127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\n' >"$rootfs/etc/hosts"
umoci repack --refresh-bundle --image "$layout:$suite" --history.created_by "debootstrap --variant=minbase --include=$packages $suite; apt-get upgrade; docs and caches removed" "$bundle"
debian_size=$(du -sm "$rootfs" | cut -f1)

# --- Layer 2: the ASP.NET Core runtime and the app user -------------------------------------------------------------
# Framework-dependent: the runtime the app was built and tested with, copied from this SDK (nothing downloaded); it
# sits in the base's layer, so an image of a new Deskbridge build differs from the last one by the app's layer only.
say "ASP.NET Core runtime $runtime_version from $dotnet_root, user app ($app_uid)"
target="$rootfs/usr/share/dotnet"
mkdir -p "$target/host/fxr" "$target/shared/Microsoft.NETCore.App" "$target/shared/Microsoft.AspNetCore.App"
cp -a "$dotnet_root/dotnet" "$target/"
cp -a "$dotnet_root"/LICENSE.txt "$dotnet_root"/ThirdPartyNotices.txt "$target/" 2>/dev/null || true
cp -a "$dotnet_root/host/fxr/$runtime_version" "$target/host/fxr/"
cp -a "$dotnet_root/shared/Microsoft.NETCore.App/$runtime_version" "$target/shared/Microsoft.NETCore.App/"
cp -a "$dotnet_root/shared/Microsoft.AspNetCore.App/$runtime_version" "$target/shared/Microsoft.AspNetCore.App/"
ln -s ../share/dotnet/dotnet "$rootfs/usr/bin/dotnet"
chroot "$rootfs" dotnet --list-runtimes | grep -q "Microsoft.AspNetCore.App $runtime_version" ||
  die "the copied runtime does not run in the new rootfs"
chroot "$rootfs" groupadd --gid "$app_uid" app
chroot "$rootfs" useradd --no-log-init --uid "$app_uid" --gid "$app_uid" --create-home --shell /usr/sbin/nologin app
# SQLite's default folder (Storage:DataDirectory ./data under /app), the app's own: a volume mounted there starts
# with this owner, so the non-root service can write its database.
install -d -o "$app_uid" -g "$app_uid" -m 0750 "$rootfs/app/data"
find "$rootfs/var/log" -type f -delete
umoci repack --image "$layout:$suite" --history.created_by "ASP.NET Core runtime $runtime_version; user app ($app_uid); /app/data" "$bundle"
base_size=$(du -sm "$rootfs" | cut -f1)

umoci config --image "$layout:$suite" --os linux --architecture amd64 \
  --config.env PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
  --config.env APP_UID="$app_uid" \
  --config.env ASPNETCORE_HTTP_PORTS=8080 \
  --config.env DOTNET_RUNNING_IN_CONTAINER=true \
  --config.env DOTNET_VERSION="$runtime_version" \
  --config.env ASPNET_VERSION="$runtime_version" \
  --config.label org.opencontainers.image.title=deskbridge-base \
  --config.label org.opencontainers.image.description="Debian $suite minbase with the ASP.NET Core $runtime_version runtime" \
  --config.label net.dot.runtime.version="$runtime_version" \
  --history.created_by "config: env, labels"
umoci gc --layout "$layout"
if [ -n "${DESKBRIDGE_BASE_OUTPUT:-}" ]; then
  rm -rf "$DESKBRIDGE_BASE_OUTPUT" && mkdir -p "$(dirname "$DESKBRIDGE_BASE_OUTPUT")" && cp -a "$layout" "$DESKBRIDGE_BASE_OUTPUT"
fi
say "base image: Debian ${debian_size} MB + runtime = ${base_size} MB unpacked, $(du -sm "$layout/blobs" | cut -f1) MB compressed"

# --- The registry on loopback ----------------------------------------------------------------------------------------
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()')
mkdir -p "$work/registry"
cat >"$work/registry/config.yml" <<EOF
version: 0.1
log:
  level: warn
  accesslog:
    disabled: true
storage:
  filesystem:
    rootdirectory: $work/registry/data
http:
  addr: 127.0.0.1:$port
EOF
docker-registry serve "$work/registry/config.yml" >"$work/registry/log" 2>&1 &
registry_pid=$!
for _ in $(seq 1 100); do
  curl -fsS -o /dev/null "http://127.0.0.1:$port/v2/" 2>/dev/null && break
  kill -0 "$registry_pid" 2>/dev/null || { cat "$work/registry/log" >&2; die "docker-registry exited (log above)"; }
  sleep 0.1
done
curl -fsS -o /dev/null "http://127.0.0.1:$port/v2/" || { cat "$work/registry/log" >&2; die "docker-registry does not answer on 127.0.0.1:$port"; }
base_ref="127.0.0.1:$port/deskbridge-base:$suite"
# Docker's manifest format (v2s2): the SDK then writes a docker-load tarball (manifest.json), which every docker and
# podman loads; on an OCI base it writes an OCI layout that older dockers refuse.
skopeo --insecure-policy copy --quiet --format v2s2 --dest-tls-verify=false "oci:$layout:$suite" "docker://$base_ref"
say "base pushed to $base_ref"

# --- The app on top ------------------------------------------------------------------------------------------------
say "dotnet publish /t:PublishContainer"
mkdir -p "$(dirname "$output")"
rm -f "$output"
# The registry speaks plain HTTP; its own build folder keeps the Release linux-x64 restore out of the work tree's obj/.
DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_CONTAINER_INSECURE_REGISTRIES="127.0.0.1:$port" \
  dotnet publish "$repo/src/Deskbridge" -c Release -r linux-x64 --self-contained false --artifacts-path "$work/build" \
  -t:PublishContainer -p:ContainerBaseImage="$base_ref" -p:ContainerArchiveOutputPath="$output" \
  >"$work/publish.log" 2>&1 || { grep -E 'error|Error' "$work/publish.log" | head -n 20 >&2; die "dotnet publish failed (errors above)"; }
[ -s "$output" ] || die "dotnet publish wrote no $output"

say "image: $output ($(du -m "$output" | cut -f1) MB; base layers $(du -sm "$layout/blobs" | cut -f1) MB of it)"
say "packages: $(wc -l <"$work/packages.txt") Debian packages; runtime $runtime_version"
