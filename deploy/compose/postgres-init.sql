-- Run once by the postgres image on an empty data directory (docker-entrypoint-initdb.d).
-- The same databases and users as infra/db/provision.sh: one per service, password = user name.
CREATE ROLE street_order LOGIN PASSWORD 'street_order';
CREATE DATABASE street_order OWNER street_order;

CREATE ROLE street_delivery LOGIN PASSWORD 'street_delivery';
CREATE DATABASE street_delivery OWNER street_delivery;

-- identity's accounts and clients (not in provision.sh: locally identity may run on SQLite)
CREATE ROLE street_identity LOGIN PASSWORD 'street_identity';
CREATE DATABASE street_identity OWNER street_identity;
