#!/usr/bin/env bash
# EdgeAgent installer: checks the .NET SDK and the C library, installs the Debian packages the agent uses, builds and
# publishes the agent with its ONNX Runtime (from NuGet) to artifacts/edgeagent/. Idempotent: run it again at any time.
#
#   ./install.sh                 set up and build (artifacts/edgeagent/edgeagent)
#   ./install.sh --test          the same, then run every test, the process-level tests again against the Native AOT
#                                binary (artifacts/edgeagent-aot) and, on x64, the arm64 smoke test under qemu (what CI runs)
#   ./install.sh --aot           build the agent as a Native AOT binary (no .NET runtime needed on the device; needs clang)
#   ./install.sh --arch arm64    cross-build for another architecture (x64|arm64; also --rid linux-x64|linux-arm64)
#                                into artifacts/edgeagent-linux-arm64/ (self-contained; nothing foreign is run)
#   ./install.sh --system        the same, then install as a systemd service (root)
#       [--prefix DIR]           where the agent goes (default /opt/edgeagent)
#       [--destdir DIR]          stage the system install under DIR instead of / (packaging, tests)
#   ./install.sh --ort-lib PATH  ship this libonnxruntime.so (your own ORT build) instead of NuGet's (also: EDGEAGENT_ORT_LIB)
#   ./install.sh --skip-packages do not call apt-get (the packages must already be there)
#   ./install.sh --no-build      use the existing artifacts/edgeagent (with --system or --test)
set -euo pipefail

DOTNET_MAJOR=10
# libe_sqlite3.so (SQLitePCLRaw) needs glibc 2.34; ONNX Runtime 2.28, .NET 2.27.
GLIBC_FLOOR=2.34
SUPPORTED="EdgeAgent supports Debian 12 (bookworm), Raspberry Pi OS bookworm (64-bit), Ubuntu 22.04 or newer and NVIDIA JetPack 6 (glibc 2.34 or newer) on x86-64 and arm64"
REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
RID=""

RUN_TESTS=0
SYSTEM=0
SKIP_PACKAGES=0
NO_BUILD=0
AOT=0
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
    --arch)
      case "${2:-}" in x64|arm64) RID="linux-$2" ;; *) fail "--arch takes x64 or arm64, not '${2:-}'" ;; esac; shift ;;
    --rid)
      case "${2:-}" in linux-x64|linux-arm64) RID="$2" ;; *) fail "--rid takes linux-x64 or linux-arm64, not '${2:-}'" ;; esac; shift ;;
    --aot) AOT=1 ;;
    -h|--help) sed -n '2,17p' "$0"; exit 0 ;;
    *) fail "unknown option '$1' (see ./install.sh --help)" ;;
  esac
  shift
done

as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@";
  elif command -v sudo >/dev/null; then sudo "$@";
  else fail "'$*' needs root and sudo is not installed; run install.sh as root"; fi
}

case "$(uname -m)" in
  x86_64|amd64) HOST_RID=linux-x64 ;;
  aarch64|arm64) HOST_RID=linux-arm64 ;;
  *) HOST_RID="linux-$(uname -m)" ;;
esac
RID="${RID:-$HOST_RID}"
case "$RID" in
  linux-x64|linux-arm64) ;;
  *) fail "this machine is $(uname -m); $SUPPORTED. Cross-build with --arch x64|arm64 on a supported machine" ;;
esac
# The build for this machine goes to artifacts/edgeagent; a cross build beside it, so the two never mix.
if [ "$RID" = "$HOST_RID" ]; then ARTIFACTS="$REPO/artifacts/edgeagent"; else ARTIFACTS="$REPO/artifacts/edgeagent-$RID"; fi
[ "$RUN_TESTS" -eq 1 ] && [ "$RID" != "$HOST_RID" ] \
  && fail "--test runs the suite on this machine ($HOST_RID), not on $RID; drop --arch (on x64, --test also runs the arm64 build under emulation)"

# --- 0. C library ------------------------------------------------------------------------------------------
# Checked on the machine that will run the agent; a cross build cannot know its target's C library.
check_glibc() {
  [ "$RID" = "$HOST_RID" ] || { say "cross build for $RID: the target needs glibc $GLIBC_FLOOR or newer"; return; }
  local version
  version="$(getconf GNU_LIBC_VERSION 2>/dev/null | awk '$1 == "glibc" { print $2 }' || true)"
  [ -n "$version" ] || fail "this system's C library is not glibc. $SUPPORTED."
  [ "$(printf '%s\n%s\n' "$GLIBC_FLOOR" "$version" | sort -V | head -n1)" = "$GLIBC_FLOOR" ] \
    || fail "this system has glibc $version, older than $GLIBC_FLOOR. $SUPPORTED."
  say "glibc $version"
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
# Tests also use systemd-analyze (unit verification), gcc (the C benchmark harness, the native-constant probe),
# the other architecture's cross gcc (the same probe, compiled only: added below) and, if present, python3-onnx (an independent check
# of the ONNX files we write).
TEST_PACKAGES=(systemd gcc libc6-dev python3 python3-onnx python3-seccomp python3-jinja2)
# Native AOT links with clang; lld and zlib are what the ILCompiler's link step asks for on Debian.
AOT_PACKAGES=(clang lld zlib1g-dev)
# On x64, the arm64 build runs under qemu-user with Debian's arm64 C library and broker client (multiarch).
ARM64_SMOKE_PACKAGES=(qemu-user-static util-linux libc6:arm64 libstdc++6:arm64 libgcc-s1:arm64 libmosquitto1:arm64)

install_packages() {
  local wanted=("${PACKAGES[@]}") missing=()
  [ "$RUN_TESTS" -eq 1 ] && wanted+=("${TEST_PACKAGES[@]}")
  # --test builds the Native AOT binary too.
  { [ "$AOT" -eq 1 ] || [ "$RUN_TESTS" -eq 1 ]; } && wanted+=("${AOT_PACKAGES[@]}")
  if [ "$RUN_TESTS" -eq 1 ] && [ "$HOST_RID" = linux-x64 ]; then
    wanted+=(gcc-aarch64-linux-gnu libc6-dev-arm64-cross "${ARM64_SMOKE_PACKAGES[@]}")
  elif [ "$RUN_TESTS" -eq 1 ]; then
    wanted+=(gcc-x86-64-linux-gnu libc6-dev-amd64-cross)
  fi
  for p in "${wanted[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
  if [ ${#missing[@]} -eq 0 ]; then say "Debian packages present"; return; fi
  [ "$SKIP_PACKAGES" -eq 1 ] && fail "missing Debian packages: ${missing[*]} (rerun without --skip-packages)"
  command -v apt-get >/dev/null || fail "apt-get not found; install these packages with your package manager: ${missing[*]}"
  say "installing Debian packages: ${missing[*]}"
  if printf '%s\n' "${missing[@]}" | grep -q ':arm64$' && ! dpkg --print-foreign-architectures | grep -qx arm64; then
    as_root dpkg --add-architecture arm64
  fi
  as_root apt-get update -qq
  DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null \
    || fail "apt-get could not install: ${missing[*]}"
}

# --- 3. ONNX Runtime ---------------------------------------------------------------------------------------
# The NuGet package Microsoft.ML.OnnxRuntime (pinned in Directory.Packages.props) ships libonnxruntime.so for
# linux-x64 and linux-arm64; a publish for one RID takes that architecture's. --ort-lib replaces it with your own build
# (OpenVINO, CUDA, ACL...). The check is against the target's architecture, not this machine's.
elf_machine() { case "$1" in linux-x64) echo 3e ;; linux-arm64) echo b7 ;; esac; }

check_elf() {
  local lib="$1"
  [ -f "$lib" ] || fail "ONNX Runtime library '$lib' does not exist"
  # ELF e_machine at offset 18: 0x3e x86-64, 0xb7 aarch64.
  [ "$(od -An -tx1 -j18 -N1 "$lib" | tr -d ' ')" = "$(elf_machine "$RID")" ] \
    || fail "'$lib' is not a $RID ELF library (wrong architecture or not a library)"
}

check_given_ort() {
  [ -n "$ORT_LIB" ] || return 0
  check_elf "$ORT_LIB"; ORT_LIB="$(readlink -f "$ORT_LIB")"
  say "ONNX Runtime: $ORT_LIB (given)"
}

# --- 4. Build and publish ----------------------------------------------------------------------------------
# publish_rid RID DIR: the agent for RID into DIR. A build for another architecture is self-contained (this
# machine's .NET runtime cannot serve it) and is never run here.
# publish_rid RID DIR [aot]: with "aot", one self-contained Native AOT executable (ILCompiler from NuGet, linked by clang).
publish_rid() {
  local rid="$1" out="$2" kind="${3:-jit}" args
  args=(-c Release -r "$rid" -o "$out" --nologo -p:UseAppHost=true)
  if [ "$kind" = aot ]; then
    command -v clang >/dev/null || fail "Native AOT needs clang (apt-get install clang lld zlib1g-dev), or build without --aot"
    args+=(-p:PublishAot=true)
  elif [ "$rid" != "$HOST_RID" ]; then
    args+=(--self-contained true)
  fi
  say "building and publishing ($kind) for $rid to $out"
  # The folder is all build output: clear it so no file of the other kind of build (edgeagent.dll, the runtime
  # config, or a Native AOT executable) stays behind.
  rm -rf "$out"
  dotnet publish "$REPO/src/EdgeAgent/EdgeAgent.csproj" "${args[@]}" -v quiet >/dev/null || {
      dotnet publish "$REPO/src/EdgeAgent/EdgeAgent.csproj" "${args[@]}" -v minimal
      fail "dotnet publish ($kind) for $rid failed (output above)"; }
  [ -x "$out/edgeagent" ] || fail "publish did not produce $out/edgeagent"
  # Debug symbols of a Native AOT build stay in the build tree; the device gets the stripped executable.
  rm -f "$out"/*.dbg
  # An install.sh before ONNX Runtime came from NuGet left libonnxruntime.so.1 here; the agent would still find it.
  rm -f "$out/libonnxruntime.so.1"
}

publish() {
  if [ "$NO_BUILD" -eq 1 ]; then
    [ -x "$ARTIFACTS/edgeagent" ] || fail "--no-build: $ARTIFACTS/edgeagent does not exist; run ./install.sh first"
  else
    publish_rid "$RID" "$ARTIFACTS" "$([ "$AOT" -eq 1 ] && echo aot || echo jit)"
    # The agent looks for ONNX Runtime beside itself first, so a given build replaces NuGet's there.
    [ -n "$ORT_LIB" ] && install -m 0644 "$ORT_LIB" "$ARTIFACTS/libonnxruntime.so"
  fi
  [ -z "$ORT_LIB" ] && ORT_LIB="$ARTIFACTS/libonnxruntime.so"
  [ -f "$ORT_LIB" ] || ORT_LIB="$ARTIFACTS/libonnxruntime.so.1"
  check_elf "$ORT_LIB"
  if [ "$RID" = "$HOST_RID" ]; then
    say "built $("$ARTIFACTS/edgeagent" --version) at $ARTIFACTS/edgeagent (ONNX Runtime: $ORT_LIB)"
  else
    say "built for $RID at $ARTIFACTS/edgeagent (cross build: not run here)"
  fi
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
  # A Native AOT build writes no code at run time, so its unit also forbids writable+executable memory.
  local aot_only='s#^\#MemoryDenyWriteExecute=yes#MemoryDenyWriteExecute=yes#'
  [ -f "$ARTIFACTS/edgeagent.dll" ] && aot_only=''
  sed -e "s#/opt/edgeagent#$PREFIX#g" -e "$aot_only" "$REPO/packaging/edgeagent.service" > "$unitdir/edgeagent.service"
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
  local status=0
  # Built once, here; every test run below uses --no-build, so the publishes that run beside them (AOT, arm64)
  # never race a restore or a build of the same projects.
  dotnet build "$REPO/EdgeAgent.sln" -c Release --nologo -v quiet >/dev/null || {
      dotnet build "$REPO/EdgeAgent.sln" -c Release --nologo -v minimal
      fail "dotnet build of the solution failed (output above)"; }
  # The tests that start the real executable (Category=Process) run once, against the Native AOT binary: it is the
  # stricter build of the same code (trimmed, no JIT). Its compile (minutes of CPU) runs beside the JIT tests.
  local filter=() aot="$REPO/artifacts/edgeagent-aot" aot_pid="" aot_log="" arm64_pid="" arm64_log=""
  if [ "$AOT" -eq 0 ]; then
    filter=(--filter "Category!=Process")
    aot_log="$(mktemp)"
    ( publish_rid "$HOST_RID" "$aot" aot ) >"$aot_log" 2>&1 &
    aot_pid=$!
  fi
  # One test project at a time (not the solution: that would also evaluate the projects being published).
  local project
  for project in Pipelines.Tests EdgeAgent.Tests; do
    set +e
    EDGEAGENT_ORT_LIB="$ORT_LIB" EDGEAGENT_BIN="$ARTIFACTS/edgeagent" EDGEAGENT_REPO="$REPO" \
      dotnet test "$REPO/tests/$project/$project.csproj" -c Release --nologo --no-build --blame-hang-timeout 5m "${filter[@]}" 2>&1 | tee -a "$log"
    [ "${PIPESTATUS[0]}" -eq 0 ] || status=1
    set -e
  done
  local aot_status=0
  if [ -n "$aot_pid" ]; then
    wait "$aot_pid" || aot_status=$?
    cat "$aot_log"; rm -f "$aot_log"
  fi
  # The arm64 build, cross-published and run under qemu-user (on x64 only; an arm64 machine ran the suite natively),
  # beside the process-level tests, which mostly wait. Started only now: two publishes of one project at once would
  # race on its restore.
  if [ "$HOST_RID" = linux-x64 ]; then
    local arm64="$REPO/artifacts/edgeagent-linux-arm64"
    arm64_log="$(mktemp)"
    ( publish_rid linux-arm64 "$arm64" && "$REPO/tests/Arm64/smoke.sh" "$arm64" ) >"$arm64_log" 2>&1 &
    arm64_pid=$!
  fi
  if [ -n "$aot_pid" ]; then
    if [ "$aot_status" -eq 0 ]; then
      say "running the process-level tests against the Native AOT binary"
      set +e
      EDGEAGENT_ORT_LIB="$ORT_LIB" EDGEAGENT_BIN="$aot/edgeagent" EDGEAGENT_REPO="$REPO" \
        dotnet test "$REPO/tests/EdgeAgent.Tests/EdgeAgent.Tests.csproj" -c Release --nologo --no-build \
        --filter "Category=Process" --blame-hang-timeout 5m 2>&1 | sed 's/^/[aot] /' | tee -a "$log"
      [ "${PIPESTATUS[0]}" -eq 0 ] || status=1
      set -e
    else
      echo "Native AOT publish: Failed!  - Failed:     1, Passed:     0" >>"$log"; status=1
    fi
  fi
  if [ -n "$arm64_pid" ]; then
    local smoke=0
    wait "$arm64_pid" || smoke=$?
    cat "$arm64_log"; rm -f "$arm64_log"
    # Counted in the closing line like a test run.
    if [ "$smoke" -eq 0 ]; then echo "arm64 smoke test: Passed!  - Failed:     0, Passed:     1" >>"$log";
    else echo "arm64 smoke test: Failed!  - Failed:     1, Passed:     0" >>"$log"; status=1; fi
  fi
  # One plain closing line for whoever reads the log: N passed, N failed.
  awk '/(Passed|Failed)!/ { for (i = 1; i <= NF; i++) { if ($i == "Failed:") f += $(i+1); if ($i == "Passed:") p += $(i+1) } }
       END { printf "%d passed, %d failed\n", p, f }' "$log"
  rm -f "$log"
  return "$status"
}

check_glibc
check_dotnet
install_packages
check_given_ort
publish
[ "$SYSTEM" -eq 1 ] && install_system
[ "$RUN_TESTS" -eq 1 ] && run_tests
say "done"
