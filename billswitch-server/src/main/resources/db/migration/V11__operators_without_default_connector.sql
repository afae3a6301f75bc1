-- operators.connector names the connector a sandbox operator routes to when no routes are configured.
-- An operator created through the admin API has none (null): it is paid through the routes configured for it.
alter table operators alter column connector drop not null;
