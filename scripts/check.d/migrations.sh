#!/usr/bin/env bash
# Released migrations are never edited (docs/upgrading.md). A database that took a migration
# keeps its checksum in Flyway's history; an edited file makes it refuse to start, and a change
# that is not in a new migration never reaches it. The lock file lists every released migration
# with its SHA-256, as of the last release, and any sanctioned edit of one ("edited SHA-256 file":
# the only other content that file may have; db/Database repairs its checksum in the history):
#   scripts/check.d/migrations.sh                 verifies: a listed file edited or gone fails,
#                                                 and so does a new one numbered below the last
#                                                 released one (Flyway runs them in order only)
#   scripts/check.d/migrations.sh --release vX.Y.Z   verifies, then lists every current migration
set -euo pipefail
cd "$(dirname "$0")/../.."
dir=server/src/main/resources/db/migration
lock=server/src/main/resources/db/migration.lock

version_of() {   # V8_1__unit_import.sql -> 8.1 (Flyway reads _ as .)
  local v="${1#V}"
  v="${v%%__*}"
  printf '%s' "${v//_/.}"
}

[ -f "$lock" ] || { echo "migrations: $lock is missing (cut the first release: docs/upgrading.md)"; exit 1; }
release="$(sed -n 's/^# release: //p' "$lock" | head -1)"
bad=0
declare -A listed=() edited=()
while read -r _ sum file; do
  edited["$file"]="$sum"
done < <(grep '^edited ' "$lock" || true)
last=""
while read -r sum file; do
  listed["$file"]=1
  v="$(version_of "$file")"
  if [ -z "$last" ] || [ "$(printf '%s\n%s\n' "$last" "$v" | sort -V | tail -1)" = "$v" ]; then last="$v"; fi
  if [ ! -f "$dir/$file" ]; then
    echo "migrations: $dir/$file was released in $release and is gone; restore it" \
         "(git checkout $release -- $dir/$file)"
    bad=1
  elif [ "$(sha256sum "$dir/$file" | cut -d' ' -f1)" = "${edited[$file]:-}" ]; then
    echo "migrations: $file differs from $release by its sanctioned edit (docs/upgrading.md)"
  elif [ "$(sha256sum "$dir/$file" | cut -d' ' -f1)" != "$sum" ]; then
    echo "migrations: $dir/$file was released in $release and has been edited" \
         "(SHA-256 $(sha256sum "$dir/$file" | cut -c1-12)…, released ${sum:0:12}…);" \
         "restore it (git checkout $release -- $dir/$file) and put the change in a new migration"
    bad=1
  fi
done < <(grep -v -e '^#' -e '^edited ' "$lock" | grep -v '^[[:space:]]*$')

for path in "$dir"/V*.sql; do
  file="${path##*/}"
  [ -n "${listed[$file]:-}" ] && continue
  v="$(version_of "$file")"
  if [ -n "$last" ] && { [ "$v" = "$last" ] || [ "$(printf '%s\n%s\n' "$last" "$v" | sort -V | tail -1)" != "$v" ]; }; then
    echo "migrations: $dir/$file is new but numbered $v, not above the last released" \
         "migration ($last, $release); released databases take migrations in order only:" \
         "give it a number above $last"
    bad=1
  fi
done
[ "$bad" = 0 ] || exit 1

if [ "${1:-}" = "--release" ]; then
  name="${2:?usage: $0 --release vX.Y.Z}"
  {
    echo "# Migrations released in $name, each with its SHA-256. Never edit a listed migration:"
    echo "# scripts/check (scripts/check.d/migrations.sh) fails when one changed or vanished."
    echo "# Cutting a release (docs/upgrading.md): update CHANGELOG.md, then"
    echo "#   scripts/check.d/migrations.sh --release vX.Y.Z   and tag vX.Y.Z on main."
    echo "# release: $name"
    for path in "$dir"/V*.sql; do   # in Flyway's order: by version
      printf '%s %s  %s\n' "$(version_of "${path##*/}")" "$(sha256sum "$path" | cut -d' ' -f1)" \
        "${path##*/}"
    done | sort -V -k1,1 | cut -d' ' -f2-
  } > "$lock.tmp"
  mv "$lock.tmp" "$lock"
  echo "migrations: $lock lists $(grep -vc '^#' "$lock") migrations as released in $name"
else
  echo "migrations: ${#listed[@]} released migrations unchanged or as sanctioned ($release)"
fi
