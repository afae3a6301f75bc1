-- The catalog's change marker. Every node keeps the catalog (categories, locations, operators, plans) in
-- memory and re-reads it when this number has moved (Catalog.refresh, every billswitch.catalog.refresh-interval).
-- Triggers bump it in the same transaction as every statement that writes a catalog table, whoever runs it:
-- the admin API on any node, the sandbox catalog's migration, or an operator's own SQL. A bump is seen only
-- once its transaction commits, so a node that read the marker and then the tables never misses a change.
create table catalog_version (
    id      boolean primary key default true check (id),  -- one row
    version bigint not null
);
insert into catalog_version (id, version) values (true, 1);

create function bump_catalog_version() returns trigger language plpgsql as $$
begin
    update catalog_version set version = version + 1;
    return null;
end
$$;
create trigger categories_changed after insert or update or delete or truncate on categories
    for each statement execute function bump_catalog_version();
create trigger locations_changed after insert or update or delete or truncate on locations
    for each statement execute function bump_catalog_version();
create trigger operators_changed after insert or update or delete or truncate on operators
    for each statement execute function bump_catalog_version();
create trigger plans_changed after insert or update or delete or truncate on plans
    for each statement execute function bump_catalog_version();
