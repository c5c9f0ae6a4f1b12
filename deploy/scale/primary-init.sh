#!/bin/sh
# Runs once, when the primary's data directory is created (docker-entrypoint-initdb.d).
# A role that may stream WAL, a pg_hba.conf line letting it in from the compose network, and
# the session settings the service normally sends at connect time, which PgBouncer in
# transaction mode does not pass on (README, Scaling).
set -eu
psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname "$POSTGRES_DB" <<SQL
CREATE ROLE replicator WITH REPLICATION LOGIN PASSWORD '${REPLICATION_PASSWORD}';
ALTER DATABASE "$POSTGRES_DB" SET timezone = 'UTC';
ALTER DATABASE "$POSTGRES_DB" SET statement_timeout = '30s';
SQL
echo "host replication replicator all scram-sha-256" >> "$PGDATA/pg_hba.conf"
