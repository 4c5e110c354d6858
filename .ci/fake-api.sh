#!/usr/bin/env bash
# The fake GitHub API of the runner runs (FAKE_API_CMD of
# ../shared/act/run-action.sh, called as `fake-api.sh PORTFILE LOGFILE`):
# the project's fakegithub, knowing the pull request of the run's event
# (event.json beside LOGFILE), with a state file that consecutive runs
# share, so a second run finds the first one's comment.
#   FAKEGITHUB  the fakegithub binary
#   FAKE_STATE  state file, read at start when it exists, rewritten on every change
# FAKEGITHUB_TOKEN and FAKEGITHUB_READ_ONLY pass through to fakegithub.
set -euo pipefail
portfile=$1 logfile=$2
event=$(dirname "$logfile")/event.json
args=()
if [[ -f $event ]]; then
  pull=$(python3 -c '
import json, sys
ev = json.load(open(sys.argv[1]))
pr = ev.get("pull_request") or {}
if pr:
    print("%s#%d@%s" % (ev["repository"]["full_name"], pr["number"], pr["head"]["sha"]))' "$event")
  [[ -n $pull ]] && args+=(-pull "$pull")
fi
if [[ -n ${FAKE_STATE:-} ]]; then
  [[ -f $FAKE_STATE ]] && args+=(-seed "$FAKE_STATE")
  args+=(-state "$FAKE_STATE")
fi
exec "$FAKEGITHUB" "${args[@]}" "$portfile" "$logfile"
