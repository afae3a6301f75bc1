-- BillSwitch core schema: partners, ledger, catalog, orders.

create table partners (
    id            text primary key,
    name          text not null,
    status        text not null check (status in ('ACTIVE', 'SUSPENDED')),
    callback_url  text,
    ip_allow_list text[] not null default '{}',
    created_at    timestamptz not null default now(),
    updated_at    timestamptz not null default now()
);

-- One credential per partner and dialect; the secret is AES-GCM encrypted with the master key.
create table partner_credentials (
    key_id      text primary key,
    partner_id  text not null references partners (id),
    dialect     text not null,
    secret_enc  text not null,
    created_at  timestamptz not null default now(),
    rotated_at  timestamptz,
    unique (partner_id, dialect)
);

-- Ledger, after TigerBeetle: counters in minor units; balance = credits_posted - debits_posted.
create table accounts (
    id                bigint generated always as identity primary key,
    kind              text not null check (kind in ('WALLET', 'FUNDING', 'SETTLEMENT', 'COMMISSION')),
    partner_id        text references partners (id),
    currency          text not null,
    shard             int not null default 0,
    must_not_overdraw boolean not null,
    debits_pending    bigint not null default 0 check (debits_pending >= 0),
    debits_posted     bigint not null default 0 check (debits_posted >= 0),
    credits_pending   bigint not null default 0 check (credits_pending >= 0),
    credits_posted    bigint not null default 0 check (credits_posted >= 0),
    created_at        timestamptz not null default now(),
    constraint accounts_no_overdraw
        check (not must_not_overdraw or debits_pending + debits_posted <= credits_posted)
);
create unique index accounts_identity on accounts (kind, coalesce(partner_id, ''), currency, shard);

create table transfers (
    id                   bigint generated always as identity primary key,
    kind                 text not null check (kind in ('POSTED', 'PENDING', 'POST_PENDING', 'VOID_PENDING')),
    pending_id           bigint references transfers (id),
    debit_account_id     bigint not null references accounts (id),
    credit_account_id    bigint not null references accounts (id),
    amount_minor         bigint not null check (amount_minor > 0),
    currency             text not null,
    code                 text not null,
    order_id             bigint,
    reference            text,
    wallet_account_id    bigint references accounts (id),
    wallet_opening_minor bigint,
    wallet_closing_minor bigint,
    created_at           timestamptz not null default now(),
    check ((kind in ('POST_PENDING', 'VOID_PENDING')) = (pending_id is not null)),
    check (debit_account_id <> credit_account_id)
);
-- A pending transfer is posted or voided at most once.
create unique index transfers_one_resolution on transfers (pending_id) where pending_id is not null;
create unique index transfers_topup_reference on transfers (credit_account_id, reference) where code = 'TOPUP';
create index transfers_wallet on transfers (wallet_account_id, id);
create index transfers_order on transfers (order_id) where order_id is not null;

-- Catalog.
create table categories (
    id          text primary key,
    name        text not null,
    grp         text not null,
    country     text not null,
    provider_id int not null unique  -- the number numeric-id dialects (Eko) know it by
);

create table locations (
    id           text primary key,
    name         text not null,
    abbreviation text not null,
    country      text not null,
    provider_id  int not null unique
);

create table operators (
    id               text primary key,
    name             text not null,
    category_id      text not null references categories (id),
    location_id      text references locations (id),
    kind             text not null check (kind in ('PREPAID', 'DTH', 'POSTPAID', 'UTILITY')),
    country          text not null,
    currency         text not null,
    fetch_option     text not null check (fetch_option in ('MANDATORY', 'OPTIONAL', 'NOT_SUPPORTED')),
    exactness        text not null check (exactness in ('EXACT', 'EXACT_AND_ABOVE', 'EXACT_AND_BELOW', 'ADHOC')),
    min_amount_minor bigint not null check (min_amount_minor > 0),
    max_amount_minor bigint not null,
    partial_payment  boolean not null,
    channels         text[] not null,
    fee_flat_minor   bigint not null default 0,
    fee_bps          int not null default 0,
    commission_bps   int not null default 0,
    kyc_required     boolean not null default false,
    connector        text not null,
    enabled          boolean not null default true,
    aopay_operator   text,
    aopay_product_id int,
    eko_operator_id  int,
    appota_service_code text,
    appota_telco     text,
    params           jsonb not null,
    check (max_amount_minor >= min_amount_minor)
);
create unique index operators_aopay_operator on operators (aopay_operator) where aopay_operator is not null;
create unique index operators_aopay_product on operators (aopay_product_id) where aopay_product_id is not null;
create unique index operators_eko on operators (eko_operator_id) where eko_operator_id is not null;
create unique index operators_appota_service on operators (appota_service_code) where appota_service_code is not null;
create unique index operators_appota_telco on operators (appota_telco) where appota_telco is not null;

-- Recharge plans (India) and product codes (Vietnam).
create table plans (
    operator_id  text not null references operators (id),
    code         text not null,
    location_id  text references locations (id),
    amount_minor bigint not null check (amount_minor > 0),
    description  text not null,
    validity     text,
    primary key (operator_id, code)
);

-- Payments: an order and its attempts. Bill fetches are orders too, moving no money.
create sequence order_ids start with 1000001;

create table orders (
    id               bigint primary key default nextval('order_ids'),
    partner_id       text not null references partners (id),
    reference        text not null,
    kind             text not null check (kind in ('BILL_FETCH', 'BILL_PAY', 'RECHARGE')),
    dialect          text not null,
    channel          text not null,
    operator_id      text not null references operators (id),
    account_number   text not null,
    params           jsonb not null default '{}',
    amount_minor     bigint not null,
    fee_minor        bigint not null default 0,
    commission_minor bigint not null default 0,
    currency         text not null,
    status           text not null check (status in ('INITIATED', 'PENDING', 'UNKNOWN', 'SUCCESS', 'FAILED', 'REFUNDED')),
    fingerprint      text not null,
    bill_fetch_id    bigint references orders (id),
    bill             jsonb,
    operator_ref     text,
    failure_code     text,
    failure_message  text,
    answer_status    int,
    answer_body      text,
    created_at       timestamptz not null default now(),
    updated_at       timestamptz not null default now(),
    finished_at      timestamptz
);
-- Idempotency: a partner's reference names one payment; bill fetches have their own namespace.
create unique index orders_payment_reference on orders (partner_id, reference) where kind <> 'BILL_FETCH';
create unique index orders_fetch_reference on orders (partner_id, reference) where kind = 'BILL_FETCH';
create index orders_latest_fetch on orders (partner_id, operator_id, account_number, id) where kind = 'BILL_FETCH';
create index orders_open on orders (status) where status in ('INITIATED', 'PENDING', 'UNKNOWN');

create table attempts (
    id            bigint generated always as identity primary key,
    order_id      bigint not null references orders (id),
    connector     text not null,
    outcome       text,
    upstream_ref  text,
    upstream_code text,
    message       text,
    started_at    timestamptz not null default now(),
    finished_at   timestamptz
);
create index attempts_order on attempts (order_id);

-- Platform accounts per currency. FUNDING is where top-ups come from (the outside world);
-- SETTLEMENT receives held and posted payments; COMMISSION pays partners their commission.
-- SETTLEMENT and COMMISSION are split into 16 shards so payments never queue on one hot row.
insert into accounts (kind, currency, shard, must_not_overdraw)
select 'FUNDING', c, 0, false from unnest(array['INR', 'VND']) c;
insert into accounts (kind, currency, shard, must_not_overdraw)
select k, c, s, false
from unnest(array['SETTLEMENT', 'COMMISSION']) k, unnest(array['INR', 'VND']) c, generate_series(0, 15) s;
