#!/bin/sh
# Run a test against PostgreSQL: start a throw-away cluster
# (scripts/pg_cluster.sh) on a free port, create a fresh database, run
# COMMAND... with TRUCE_TEST_DB set to its URI (and TRUCE_TEST_PG to the
# cluster's, without a database, for tests that want more databases), then
# drop it all.  The command's exit status is this script's; 77 (skipped)
# when PostgreSQL 15 is not installed.
#
#   sh tests/pg_run.sh COMMAND...
here=$(cd "$(dirname "$0")" && pwd)
. "$here/../scripts/pg_cluster.sh"
trap pg_cluster_stop EXIT
trap 'exit 1' INT TERM
[ -x "$pgbin/initdb" ] || { echo "pg_run.sh: PostgreSQL 15 not installed: skipped" >&2; exit 77; }
pg_cluster_start 0 -c fsync=on -c synchronous_commit=on -c max_connections=200 || exit 1
$psql -c "CREATE DATABASE truce_test" || exit 1
TRUCE_TEST_DB=$pg_url/truce_test TRUCE_TEST_PG=$pg_url TRUCE_TEST_PG_TMP=$pg_tmp \
    TRUCE_TEST_PG_OPTS=$pg_opts "$@"
status=$?
$psql -c "DROP DATABASE truce_test WITH (FORCE)" >/dev/null 2>&1
exit $status
