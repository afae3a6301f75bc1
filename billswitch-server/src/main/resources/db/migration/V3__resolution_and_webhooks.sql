-- Status resolution: every unsettled order carries when it is next re-asked and how often it was.
alter table orders drop constraint orders_status_check;
alter table orders add constraint orders_status_check
    check (status in ('INITIATED', 'PENDING', 'UNKNOWN', 'NEEDS_REVIEW', 'SUCCESS', 'FAILED', 'REFUNDED'));
alter table orders add column next_check_at timestamptz;
alter table orders add column check_count int not null default 0;
alter table orders add column review_reason text;
alter table orders add column reviewed_at timestamptz;
drop index orders_open;
create index orders_due on orders (next_check_at) where status in ('INITIATED', 'PENDING', 'UNKNOWN');
create index orders_needs_review on orders (id) where status = 'NEEDS_REVIEW';

-- Webhooks: an outbox written in the transaction of the state change, delivered signed, in order per order.
alter table partners add column webhook_secret_enc text;

create table webhook_events (
    id              bigint generated always as identity primary key,
    event_id        uuid not null unique,
    partner_id      text not null references partners (id),
    order_id        bigint not null references orders (id),
    type            text not null,
    payload         text not null,
    status          text not null check (status in ('PENDING', 'DELIVERED', 'DEAD')),
    attempts        int not null default 0,
    next_attempt_at timestamptz not null default now(),
    last_error      text,
    created_at      timestamptz not null default now(),
    delivered_at    timestamptz
);
create index webhook_events_due on webhook_events (next_attempt_at) where status = 'PENDING';
create index webhook_events_order on webhook_events (order_id, id);
create index webhook_events_partner on webhook_events (partner_id, id);

create table webhook_deliveries (
    id          bigint generated always as identity primary key,
    event_id    bigint not null references webhook_events (id),
    attempt     int not null,
    url         text not null,
    http_status int,
    error       text,
    duration_ms bigint not null,
    at          timestamptz not null default now()
);
create index webhook_deliveries_event on webhook_deliveries (event_id, id);
