-- Pricing plans (billswitch.pricing): what a partner earns (commission) and pays (fee) per operator or category,
-- and the billers' BBPS customer convenience fee (CCF) slabs per payment mode. Every node keeps all of it in
-- memory (Pricing) and re-reads it when pricing_version has moved, as the catalog does with catalog_version.

create table pricing_plans (
    id         text primary key,
    name       text not null,
    created_at timestamptz not null default now()
);

-- A plan's versions. A version is never changed once written: it is in force from effective_from until the
-- next version of its plan starts. rules is the JSON array of its rules (PricingRule: operatorId or categoryId,
-- commission and fee charges), checked by PricingRules before it is written.
create table pricing_plan_versions (
    id             bigserial primary key,
    plan_id        text not null references pricing_plans (id),
    effective_from timestamptz not null,
    rules          jsonb not null,
    created_at     timestamptz not null default now(),
    created_by     text not null,
    unique (plan_id, effective_from)
);

-- The plan of a partner; a partner without a row here has the default plan.
create table pricing_assignments (
    partner_id  text primary key references partners (id),
    plan_id     text not null references pricing_plans (id),
    assigned_at timestamptz not null default now()
);

-- The default plan (one row; plan_id null: none, and partners without a plan get the catalog's commission).
create table pricing_default (
    id      boolean primary key default true check (id),
    plan_id text references pricing_plans (id)
);
insert into pricing_default (id, plan_id) values (true, null);

-- BBPS customer convenience fee slabs per biller and payment mode (payment_mode null: any mode without slabs of
-- its own). An operator without any slab charges its catalog fee (fee_flat_minor + fee_bps) as its CCF.
-- Slabs cover [from_minor, to_minor): the lower edge inclusive, the upper exclusive (to_minor null: no upper edge).
create table ccf_slabs (
    operator_id  text not null references operators (id),
    payment_mode text,
    from_minor   bigint not null check (from_minor >= 0),
    to_minor     bigint check (to_minor > from_minor),
    flat_minor   bigint not null check (flat_minor >= 0),
    bps          int not null check (bps between 0 and 10000)
);
create index ccf_slabs_operator on ccf_slabs (operator_id);

-- The change marker, bumped by every statement writing one of the tables above, in its transaction.
create table pricing_version (
    id      boolean primary key default true check (id),
    version bigint not null
);
insert into pricing_version (id, version) values (true, 1);

create function bump_pricing_version() returns trigger language plpgsql as $$
begin
    update pricing_version set version = version + 1;
    return null;
end
$$;
create trigger pricing_plans_changed after insert or update or delete or truncate on pricing_plans
    for each statement execute function bump_pricing_version();
create trigger pricing_plan_versions_changed after insert or update or delete or truncate on pricing_plan_versions
    for each statement execute function bump_pricing_version();
create trigger pricing_assignments_changed after insert or update or delete or truncate on pricing_assignments
    for each statement execute function bump_pricing_version();
create trigger pricing_default_changed after insert or update or delete or truncate on pricing_default
    for each statement execute function bump_pricing_version();
create trigger ccf_slabs_changed after insert or update or delete or truncate on ccf_slabs
    for each statement execute function bump_pricing_version();
