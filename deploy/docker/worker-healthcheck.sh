#!/bin/sh
# HEALTHCHECK of the worker images. The worker serves no HTTP, so this checks what a live worker always has:
# its JVM (PID 1) is running, and it holds an established TCP connection to PostgreSQL: the LISTEN
# connection while it waits for jobs, pool connections while it trains. A container's network namespace
# holds only the worker's sockets, so /proc/1/net/tcp* lists exactly those.
# (A worker that hangs while connected is not caught here; its job's lease expires and another worker
# resumes it, which is what the queue's heartbeat is for.)
set -eu
proc="${LARGO_HEALTHCHECK_PROC:-/proc/1}"

state=$(awk '/^State:/ { print $2 }' "$proc/status")
case "$state" in
    Z|T|t|X) echo "unhealthy: the worker JVM is in state $state"; exit 1 ;;
esac

# The port of SPRING_DATASOURCE_URL (jdbc:postgresql://host:port/db), 5432 when the URL names none.
port=$(printf '%s' "${SPRING_DATASOURCE_URL:-}" | sed -n 's#^jdbc:postgresql://[^/]*:\([0-9][0-9]*\)/.*#\1#p')
port="${port:-5432}"
hex=$(printf '%04X' "$port")

tables=""
for table in "$proc/net/tcp" "$proc/net/tcp6"; do
    [ -r "$table" ] && tables="$tables $table"
done
# Columns: sl local_address rem_address st ...; st 01 is ESTABLISHED; addresses are HEX_IP:HEX_PORT.
# shellcheck disable=SC2086
if awk -v port="$hex" 'FNR > 1 && $4 == "01" { n = split($3, a, ":"); if (a[n] == port) found = 1 }
        END { exit found ? 0 : 1 }' $tables; then
    exit 0
fi
echo "unhealthy: the worker holds no established connection to PostgreSQL port $port"
exit 1
