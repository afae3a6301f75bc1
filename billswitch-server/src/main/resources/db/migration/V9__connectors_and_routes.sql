-- Upstream connectors, configured at run time (POST /admin/connectors). Credentials are sealed with AES-GCM
-- under the master key, as partner secrets are. The built-in sandbox connector has no row.
create table connectors (
    name               text primary key check (name ~ '^[a-z0-9][a-z0-9_-]{0,39}$'),
    type               text not null,
    base_url           text not null,
    credentials_enc    text not null,
    connect_timeout_ms int not null check (connect_timeout_ms > 0),
    read_timeout_ms    int not null check (read_timeout_ms > 0),
    max_in_flight      int not null check (max_in_flight > 0),
    enabled            boolean not null default true,
    created_at         timestamptz not null default now(),
    updated_at         timestamptz not null default now()
);

-- Per operator, the ordered routes to upstreams: the connector, the operator as that upstream codes it, a
-- priority (lower first), and a weight and cost that order routes of equal priority. The connector is checked
-- by the admin API (it may name the built-in sandbox connector, which has no row).
create table routes (
    operator_id   text not null references operators (id),
    connector     text not null,
    upstream_code text not null,
    priority      int not null check (priority >= 0),
    weight        int not null default 1 check (weight > 0),
    cost_minor    bigint check (cost_minor >= 0),
    primary key (operator_id, connector)
);

-- Bumped in the transaction of every change to connectors or routes: every node polls it and reloads when it moved.
create table routing_version (
    id      int primary key check (id = 1),
    version bigint not null
);
insert into routing_version values (1, 0);

-- An attempt names the operator as its connector's upstream codes it (the route's upstream code). A payment's
-- attempt is sent with a reference derived from its id (installation.reference_prefix || id); a bill fetch's
-- attempt, written once answered, keeps the random reference it was sent with.
alter table attempts add column operator_code text;
alter table attempts alter column operator_code set statistics 10;
alter table attempts add column reference text;
alter table attempts alter column reference set statistics 10;

-- This installation's own prefix of the references it sends upstream (an attempt's reference is the prefix and
-- the attempt's id): another BillSwitch, or this one after its database was recreated, never sends the same one.
create table installation (
    reference_prefix text not null
);
insert into installation
select 'BS' || upper(substr(md5(random()::text || clock_timestamp()::text), 1, 6));
