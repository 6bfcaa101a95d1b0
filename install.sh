#!/usr/bin/env bash
# EdgeAgent installer: checks the .NET SDK, installs the Debian packages the agent uses, obtains ONNX Runtime,
# builds and publishes the agent to artifacts/edgeagent/. Idempotent: run it again at any time.
#
#   ./install.sh                 set up and build (artifacts/edgeagent/edgeagent)
#   ./install.sh --test          the same, then run every test (what CI runs)
#   ./install.sh --system        the same, then install as a systemd service (root)
#       [--prefix DIR]           where the agent goes (default /opt/edgeagent)
#       [--destdir DIR]          stage the system install under DIR instead of / (packaging, tests)
#   ./install.sh --ort-lib PATH  use this libonnxruntime.so.1 (also: EDGEAGENT_ORT_LIB=PATH)
#   ./install.sh --skip-packages do not call apt-get (the packages must already be there)
#   ./install.sh --no-build      use the existing artifacts/edgeagent (with --system or --test)
set -euo pipefail

ORT_VERSION=1.30.0
DOTNET_MAJOR=10
REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ARTIFACTS="$REPO/artifacts/edgeagent"
CACHE="${EDGEAGENT_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/edgeagent}"

RUN_TESTS=0
SYSTEM=0
SKIP_PACKAGES=0
NO_BUILD=0
PREFIX=/opt/edgeagent
DESTDIR="${DESTDIR:-}"
ORT_LIB="${EDGEAGENT_ORT_LIB:-}"

say() { printf '\033[1minstall.sh:\033[0m %s\n' "$*"; }
fail() { printf 'install.sh: error: %s\n' "$*" >&2; exit 1; }

while [ $# -gt 0 ]; do
  case "$1" in
    --test) RUN_TESTS=1 ;;
    --system) SYSTEM=1 ;;
    --prefix) PREFIX="${2:?--prefix needs a directory}"; shift ;;
    --destdir) DESTDIR="${2:?--destdir needs a directory}"; shift ;;
    --ort-lib) ORT_LIB="${2:?--ort-lib needs a path}"; shift ;;
    --skip-packages) SKIP_PACKAGES=1 ;;
    --no-build) NO_BUILD=1 ;;
    -h|--help) sed -n '2,13p' "$0"; exit 0 ;;
    *) fail "unknown option '$1' (see ./install.sh --help)" ;;
  esac
  shift
done

as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@";
  elif command -v sudo >/dev/null; then sudo "$@";
  else fail "'$*' needs root and sudo is not installed; run install.sh as root"; fi
}

# --- 1. .NET SDK -------------------------------------------------------------------------------------------
check_dotnet() {
  if ! command -v dotnet >/dev/null || ! dotnet --list-sdks 2>/dev/null | grep -q "^${DOTNET_MAJOR}\."; then
    fail ".NET ${DOTNET_MAJOR} SDK not found. Install it (Debian/Ubuntu: see https://learn.microsoft.com/dotnet/core/install/linux;
       Raspberry Pi OS / any arm64: the dotnet-install script with --channel ${DOTNET_MAJOR}.0), then run ./install.sh again."
  fi
  say ".NET SDK $(dotnet --list-sdks | grep "^${DOTNET_MAJOR}\." | tail -n1 | cut -d' ' -f1) found"
}

# --- 2. Debian packages ------------------------------------------------------------------------------------
# The agent needs the broker client library and ffmpeg; the broker itself is for the demo and the tests.
PACKAGES=(mosquitto mosquitto-clients libmosquitto1 ffmpeg openssl ca-certificates)
# Tests also use systemd-analyze (unit verification), gcc (the C benchmark harness) and, if present,
# python3-onnx (an independent check of the ONNX files we write).
TEST_PACKAGES=(systemd gcc libc6-dev python3 python3-onnx python3-jinja2)

install_packages() {
  local wanted=("${PACKAGES[@]}") missing=()
  [ "$RUN_TESTS" -eq 1 ] && wanted+=("${TEST_PACKAGES[@]}")
  for p in "${wanted[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
  if [ ${#missing[@]} -eq 0 ]; then say "Debian packages present"; return; fi
  [ "$SKIP_PACKAGES" -eq 1 ] && fail "missing Debian packages: ${missing[*]} (rerun without --skip-packages)"
  command -v apt-get >/dev/null || fail "apt-get not found; install these packages with your package manager: ${missing[*]}"
  say "installing Debian packages: ${missing[*]}"
  as_root apt-get update -qq
  DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null \
    || fail "apt-get could not install: ${missing[*]}"
}

# --- 3. ONNX Runtime ---------------------------------------------------------------------------------------
ort_arch() {
  case "$(uname -m)" in
    x86_64|amd64) echo x64 ;;
    aarch64|arm64) echo arm64 ;;
    *) fail "ONNX Runtime from onnxruntime-node exists for x86_64 and aarch64 only, not $(uname -m); pass --ort-lib PATH to a build for this machine" ;;
  esac
}

check_elf() {
  local lib="$1" expected
  [ -f "$lib" ] || fail "ONNX Runtime library '$lib' does not exist"
  # ELF e_machine at offset 18: 0x3e x86-64, 0xb7 aarch64.
  expected=$([ "$(ort_arch)" = x64 ] && echo 3e || echo b7)
  [ "$(od -An -tx1 -j18 -N1 "$lib" | tr -d ' ')" = "$expected" ] \
    || fail "'$lib' is not a $(uname -m) ELF library (wrong architecture or not a library)"
}

obtain_ort() {
  if [ -n "$ORT_LIB" ]; then
    check_elf "$ORT_LIB"; ORT_LIB="$(readlink -f "$ORT_LIB")"; say "ONNX Runtime: $ORT_LIB (given)"; return
  fi
  local system
  system="$(ldconfig -p 2>/dev/null | awk '/libonnxruntime\.so\.1 /{print $NF; exit}')"
  if [ -n "$system" ]; then ORT_LIB="$system"; say "ONNX Runtime: $ORT_LIB (system copy)"; return; fi

  local arch dir
  arch="$(ort_arch)"
  dir="$CACHE/onnxruntime-node-$ORT_VERSION"
  ORT_LIB="$dir/linux-$arch/libonnxruntime.so.1"
  if [ ! -f "$ORT_LIB" ]; then
    command -v npm >/dev/null || fail "npm is needed once to fetch ONNX Runtime $ORT_VERSION (apt-get install npm), or pass --ort-lib PATH"
    say "fetching ONNX Runtime $ORT_VERSION (onnxruntime-node@$ORT_VERSION, $arch) into $dir"
    mkdir -p "$dir"
    local tgz="$dir/onnxruntime-node-$ORT_VERSION.tgz"
    if [ ! -f "$tgz" ]; then
      (cd "$dir" && npm pack --silent "onnxruntime-node@$ORT_VERSION" >/dev/null) || fail "npm pack onnxruntime-node@$ORT_VERSION failed"
    fi
    local tmp; tmp="$(mktemp -d "$dir/extract.XXXXXX")"
    tar -xzf "$tgz" -C "$tmp" "package/bin/napi-v6/linux/$arch/libonnxruntime.so.1" \
      || { rm -rf "$tmp"; fail "the npm package does not contain linux/$arch/libonnxruntime.so.1"; }
    mkdir -p "$dir/linux-$arch"
    mv "$tmp/package/bin/napi-v6/linux/$arch/libonnxruntime.so.1" "$ORT_LIB.tmp" && mv "$ORT_LIB.tmp" "$ORT_LIB"
    rm -rf "$tmp"
  fi
  check_elf "$ORT_LIB"
  say "ONNX Runtime: $ORT_LIB"
}

# --- 4. Build and publish ----------------------------------------------------------------------------------
publish() {
  if [ "$NO_BUILD" -eq 1 ]; then
    [ -x "$ARTIFACTS/edgeagent" ] || fail "--no-build: $ARTIFACTS/edgeagent does not exist; run ./install.sh first"
    return
  fi
  say "building and publishing to $ARTIFACTS"
  dotnet publish "$REPO/src/EdgeAgent/EdgeAgent.csproj" -c Release -o "$ARTIFACTS" --nologo -v quiet \
    -p:UseAppHost=true >/dev/null || {
      dotnet publish "$REPO/src/EdgeAgent/EdgeAgent.csproj" -c Release -o "$ARTIFACTS" --nologo -v minimal -p:UseAppHost=true
      fail "dotnet publish failed (output above)"; }
  # The agent looks for ONNX Runtime beside itself first, so a copy travels with the install.
  install -m 0644 "$ORT_LIB" "$ARTIFACTS/libonnxruntime.so.1"
  [ -x "$ARTIFACTS/edgeagent" ] || fail "publish did not produce $ARTIFACTS/edgeagent"
  say "built $("$ARTIFACTS/edgeagent" --version) at $ARTIFACTS/edgeagent"
}

# --- 5. System install (optional) --------------------------------------------------------------------------
install_system() {
  local root="${DESTDIR%/}" etc unitdir
  etc="$root/etc/edgeagent"; unitdir="$root/etc/systemd/system"
  say "installing the service under ${root:-/}: $PREFIX, /etc/edgeagent, edgeagent.service"
  [ -z "$root" ] && [ "$(id -u)" -ne 0 ] && fail "--system needs root (or --destdir DIR to stage it)"
  mkdir -p "$root$PREFIX" "$etc" "$unitdir"
  cp -a "$ARTIFACTS/." "$root$PREFIX/"
  # A configuration the operator edited is never overwritten; the new default lands beside it.
  if [ -f "$etc/edgeagent.json" ]; then
    install -m 0644 "$REPO/config/edgeagent.json" "$etc/edgeagent.json.default"
  else
    install -m 0644 "$REPO/config/edgeagent.json" "$etc/edgeagent.json"
  fi
  install -m 0644 "$REPO/config/edgeagent.schema.json" "$etc/edgeagent.schema.json"
  sed "s#/opt/edgeagent#$PREFIX#g" "$REPO/packaging/edgeagent.service" > "$unitdir/edgeagent.service"
  chmod 0644 "$unitdir/edgeagent.service"
  if [ -z "$root" ]; then
    getent passwd edgeagent >/dev/null || useradd --system --no-create-home --home-dir /var/lib/edgeagent \
      --shell /usr/sbin/nologin edgeagent
    for g in video i2c gpio dialout; do getent group "$g" >/dev/null && usermod -aG "$g" edgeagent; done
    if [ -d /run/systemd/system ]; then
      systemctl daemon-reload
      say "installed; start it with: systemctl enable --now edgeagent"
    fi
  fi
}

# --- 6. Tests (optional) -----------------------------------------------------------------------------------
run_tests() {
  say "running the tests"
  local log; log="$(mktemp)"
  set +e
  EDGEAGENT_ORT_LIB="$ORT_LIB" EDGEAGENT_BIN="$ARTIFACTS/edgeagent" EDGEAGENT_REPO="$REPO" \
    dotnet test "$REPO/EdgeAgent.sln" -c Release --nologo --blame-hang-timeout 5m 2>&1 | tee "$log"
  local status=${PIPESTATUS[0]}
  set -e
  # One plain closing line for whoever reads the log: N passed, N failed.
  awk '/(Passed|Failed)!/ { for (i = 1; i <= NF; i++) { if ($i == "Failed:") f += $(i+1); if ($i == "Passed:") p += $(i+1) } }
       END { printf "%d passed, %d failed\n", p, f }' "$log"
  rm -f "$log"
  return "$status"
}

check_dotnet
install_packages
obtain_ort
publish
[ "$SYSTEM" -eq 1 ] && install_system
[ "$RUN_TESTS" -eq 1 ] && run_tests
say "done"
