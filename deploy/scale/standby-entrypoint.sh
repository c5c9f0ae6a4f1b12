#!/bin/sh
# The streaming standby: on first start, a base backup of the primary with pg_basebackup -R
# (writes standby.signal and primary_conninfo) through a physical replication slot, so WAL the
# standby has not received yet is kept while it is down. Later starts reuse the data.
set -eu
if [ ! -s "$PGDATA/PG_VERSION" ]; then
  until pg_isready -h primary -p 5432 -U replicator; do sleep 1; done
  mkdir -p "$PGDATA" && chown postgres:postgres "$PGDATA" && chmod 0700 "$PGDATA"
  PGPASSWORD="$REPLICATION_PASSWORD" gosu postgres pg_basebackup \
    -h primary -p 5432 -U replicator -D "$PGDATA" -R -X stream -S standby1 -C -c fast
fi
exec docker-entrypoint.sh postgres -c hot_standby=on -c max_connections=200
