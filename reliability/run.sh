#!/usr/bin/env bash
# Kill -9 reliability suite, long form: Deskbridge and the standalone HubSpot sandbox run as real processes, customers
# write through the sandbox's admin API, Deskbridge is killed with SIGKILL and restarted KILLS times, and afterwards
# every message must have exactly one AI reply and every event one fate. CI runs the same test short (2 kills).
#
#   reliability/run.sh [kills] [seconds-between-kills] [new-threads-per-second]
#   DESKBRIDGE_RELIABILITY_SEED=<seed> reliability/run.sh 50    # replays a run's kill timing (the seed is printed)
set -euo pipefail
cd "$(dirname "$0")/.."
export DESKBRIDGE_RELIABILITY_KILLS="${1:-20}"
export DESKBRIDGE_RELIABILITY_KILL_INTERVAL="${2:-6}"
export DESKBRIDGE_RELIABILITY_RATE="${3:-4}"
dotnet build tests/Deskbridge.Tests -c Release
dotnet test tests/Deskbridge.Tests -c Release --no-build \
  --filter "FullyQualifiedName~Deskbridge.Tests.Reliability.KillNineTests" \
  --logger "console;verbosity=detailed" -- RunConfiguration.TestSessionTimeout=86400000
