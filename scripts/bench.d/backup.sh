# shellcheck shell=bash disable=SC2154
# Sourced by scripts/bench, whose settings (work, port, bench_db, seconds, ...) it uses.
# Backups (docs/backups.md): a full pgBackRest backup of the cluster that holds the bench database
# (what scripts/db backup --full runs, timed without the script's package checks), its size in the repository, an incremental one right after, and a
# restore of the full one into a folder of its own, started on a private socket until it is
# promoted; against the baseline of the same run, a plain copy of the data directory (cp -a).
# The cluster in use is not touched: the restored copy never archives and is deleted afterwards.
log "backup: full and incremental backup, restore, against a copy of the data directory"
if [ "$(db_psql -d postgres -tAc 'SHOW archive_mode')" != on ]; then
  log "backup: WAL archiving is off in the running cluster; restarting it"
  db_stop
  db_start
fi
backup_stanza || die "backup: the repository $GRIDGOV_BACKUP_REPO does not take this cluster (see above)"
backup_turn_on
cluster_mb=$(du -sm "$PGDATA_DIR" | cut -f1)
echo "backup.cluster_mb=$cluster_mb"
echo "backup.bench_db_mb=$(( $(db_psql -d postgres -tAc "SELECT pg_database_size('$bench_db')") / 1048576 ))"
ms_since() { echo $(( ($(date +%s%N) - $1) / 1000000 )); }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", (b > 0 ? a / b : 0) }'; }

# the baseline: the data directory copied as files (what a restore has to write back, at least)
copy="$work/backup-copy"
rm -rf "$copy"
t0=$(date +%s%N)
cp -a "$PGDATA_DIR" "$copy"
sync
copy_ms=$(ms_since "$t0")
rm -rf "$copy"
echo "backup.copy_seconds=$(ratio "$copy_ms" 1000)"

t0=$(date +%s%N)
pgbr --type=full backup || die "backup: the full backup failed (log: $BACKUP_CONF_DIR/log)"
full_ms=$(ms_since "$t0")
# the newest backup's size in the repository (compressed), from pgBackRest's own account
stored=$(pgbr info --output=json | grep -o '"repository":{"delta":[0-9]*,"size":[0-9]*}' | tail -1 \
  | sed 's/.*"size":\([0-9]*\)}/\1/')
echo "backup.full_seconds=$(ratio "$full_ms" 1000)"
echo "backup.full_vs_copy=$(ratio "$full_ms" "$copy_ms")"
echo "backup.size_mb=$(( ${stored:-0} / 1048576 ))"
echo "backup.size_vs_cluster=$(ratio "$(( ${stored:-0} / 1048576 ))" "$cluster_mb")"

t0=$(date +%s%N)
pgbr --type=incr backup || die "backup: the incremental backup failed (log: $BACKUP_CONF_DIR/log)"
echo "backup.incr_seconds=$(ratio "$(ms_since "$t0")" 1000)"

# restore: files out of the repository, then PostgreSQL up and promoted (archive_mode off, on a
# socket of its own and no TCP port, so it cannot disturb the cluster in use or the repository)
restored="$work/backup-restore"
rsock="$work/backup-restore-run"
rm -rf "$restored" "$rsock"
mkdir -p "$restored" "$rsock"
[ "$(id -u)" = 0 ] && chown "$(pg_user)" "$restored" "$rsock"
chmod 700 "$restored" "$rsock"
t0=$(date +%s%N)
pgbr --pg1-path="$restored" --archive-mode=off --type=immediate --target-action=promote restore \
  || die "backup: the restore failed"
files_ms=$(ms_since "$t0")
pg_run "$GRIDGOV_PG_BIN/pg_ctl" -D "$restored" -l "$rsock/postgres.log" -w -t 3600 start \
  -o "-c listen_addresses='' -c unix_socket_directories='$rsock' -c archive_mode=off -c shared_buffers=128MB" \
  >/dev/null || { tail -20 "$rsock/postgres.log"; die "backup: the restored copy did not start"; }
until [ "$(pg_run "$GRIDGOV_PG_BIN/psql" -X -h "$rsock" -p "$GRIDGOV_PG_PORT" -U postgres -d postgres -tAc \
          'SELECT pg_is_in_recovery()' 2>/dev/null)" = f ]; do
  pg_run "$GRIDGOV_PG_BIN/pg_ctl" -D "$restored" status >/dev/null || die "backup: the restored copy stopped"
  sleep 0.2
done
restore_ms=$(ms_since "$t0")
restored_incidents=$(pg_run "$GRIDGOV_PG_BIN/psql" -X -h "$rsock" -p "$GRIDGOV_PG_PORT" -U postgres -d "$bench_db" \
  -tAc 'SELECT count(*) FROM incident')
pg_run "$GRIDGOV_PG_BIN/pg_ctl" -D "$restored" -m immediate -w stop >/dev/null
rm -rf "$restored" "$rsock"
echo "backup.restore_files_seconds=$(ratio "$files_ms" 1000)"
echo "backup.restore_seconds=$(ratio "$restore_ms" 1000)"
echo "backup.restore_vs_copy=$(ratio "$restore_ms" "$copy_ms")"
echo "backup.restored_incidents=$restored_incidents"
