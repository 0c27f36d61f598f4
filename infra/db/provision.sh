#!/usr/bin/env bash
# Idempotently create one database + user per service (password = user name).
#   PostgreSQL: street_order, street_delivery, street_identity     MariaDB: street_payment, street_marketing
# --reset drops and recreates these databases (users are kept).
set -euo pipefail

PG_DBS=(street_order street_delivery street_identity)
MY_DBS=(street_payment street_marketing)

reset=0
case "${1:-}" in
  "") ;;
  --reset) reset=1 ;;
  *) echo "usage: $0 [--reset]" >&2; exit 2 ;;
esac

PSQL=()
for u in postgres root; do
  if psql -h 127.0.0.1 -U "$u" -d postgres -Atqc 'select 1' >/dev/null 2>&1; then
    PSQL=(psql -h 127.0.0.1 -U "$u" -d postgres -v ON_ERROR_STOP=1 -Atq)
    break
  fi
done
((${#PSQL[@]})) || { echo "provision: cannot connect to PostgreSQL as postgres or root" >&2; exit 1; }

MYSQL=(mariadb)
command -v mariadb >/dev/null || MYSQL=(mysql)
MYSQL+=(-h 127.0.0.1 -u root)

for db in "${PG_DBS[@]}"; do
  "${PSQL[@]}" -c "DO \$\$ BEGIN
      IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '$db') THEN CREATE ROLE $db; END IF;
    END \$\$;" -c "ALTER ROLE $db LOGIN PASSWORD '$db'"
  ((reset)) && "${PSQL[@]}" -c "DROP DATABASE IF EXISTS $db WITH (FORCE)"
  if [[ -z $("${PSQL[@]}" -c "SELECT 1 FROM pg_database WHERE datname = '$db'") ]]; then
    "${PSQL[@]}" -c "CREATE DATABASE $db OWNER $db"
  fi
done

sql=""
for db in "${MY_DBS[@]}"; do
  ((reset)) && sql+="DROP DATABASE IF EXISTS \`$db\`;"
  sql+="CREATE DATABASE IF NOT EXISTS \`$db\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;"
  for host in '%' localhost; do
    sql+="CREATE USER IF NOT EXISTS '$db'@'$host' IDENTIFIED BY '$db';"
    sql+="ALTER USER '$db'@'$host' IDENTIFIED BY '$db';"
    sql+="GRANT ALL PRIVILEGES ON \`$db\`.* TO '$db'@'$host';"
  done
done
"${MYSQL[@]}" -e "$sql"

echo "provision: postgres ${PG_DBS[*]}, mariadb ${MY_DBS[*]} ready$( ((reset)) && echo ' (reset)')"
