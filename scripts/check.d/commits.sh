#!/usr/bin/env bash
# Commit messages since the rule began: a subject of at most 72 characters and, for every commit
# but merges, a body that says why. (Older history is left as it was written.)
set -euo pipefail
first_ruled_parent=8474bcbb6b85fce9eebd856e0131ca80195decdc   # the last commit before the rule
cd "$(dirname "$0")/../.."
base="$(git rev-parse -q --verify "$first_ruled_parent^{commit}" 2>/dev/null || true)"
if [ -z "$base" ]; then
  echo "commits: ${first_ruled_parent:0:7} is not in this clone (a shallow clone?): checking HEAD only"
  range=(-1 HEAD)
else
  range=("$base..HEAD")
fi
bad=0
while read -r h; do
  subject="$(git log -1 --format=%s "$h")"
  if [ "$(printf '%s' "$subject" | LC_ALL=C.UTF-8 wc -m)" -gt 72 ]; then
    echo "commit ${h:0:10}: subject longer than 72 characters: $subject"; bad=1
  fi
  if [ "$(git rev-list --parents -n 1 "$h" | wc -w)" -le 2 ] && [ -z "$(git log -1 --format=%b "$h" | tr -d '[:space:]')" ]; then
    echo "commit ${h:0:10}: no body saying why: $subject"; bad=1
  fi
done < <(git rev-list "${range[@]}")
exit $bad
