-- Run once by the mariadb image on an empty data directory (docker-entrypoint-initdb.d).
-- The same databases and users as infra/db/provision.sh: one per service, password = user name.
CREATE DATABASE IF NOT EXISTS `street_payment` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;
CREATE USER IF NOT EXISTS 'street_payment'@'%' IDENTIFIED BY 'street_payment';
GRANT ALL PRIVILEGES ON `street_payment`.* TO 'street_payment'@'%';

CREATE DATABASE IF NOT EXISTS `street_marketing` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;
CREATE USER IF NOT EXISTS 'street_marketing'@'%' IDENTIFIED BY 'street_marketing';
GRANT ALL PRIVILEGES ON `street_marketing`.* TO 'street_marketing'@'%';
