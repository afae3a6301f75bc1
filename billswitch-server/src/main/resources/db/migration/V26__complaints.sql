-- Complaints (issue 32): a partner's complaint about one of its transactions, BBPS-style (protocols.md 4).
-- At most one open complaint (INITIALIZED, ASSIGNED, ESCALATED) per order and type. due_at: the resolution
-- deadline from the type's turnaround time; past it an open, not yet escalated complaint is ESCALATED.
create table complaints (
    id                    bigint generated always as identity (start with 5000001) primary key,
    partner_id            text not null references partners (id),
    order_id              bigint not null references orders (id),
    type                  text not null check (type in ('NOT_CREDITED', 'PAID_TWICE', 'WRONG_AMOUNT', 'WRONG_ACCOUNT')),
    disposition           text not null,
    description           text not null check (length(description) between 1 and 256),
    channel               text not null,
    status                text not null check (status in ('INITIALIZED', 'ASSIGNED', 'ESCALATED', 'RESOLVED', 'REJECTED')),
    due_at                timestamptz not null,
    assigned_to           text,
    resolution            text,
    refund_minor          bigint,
    -- The upstream's side: where it was forwarded and what the upstream answered (null: not forwarded).
    upstream_connector    text,
    upstream_complaint_id text,
    upstream_status       text,
    upstream_note         text,
    -- Forwarding to the upstream, after the complaint committed (ComplaintForwarding): PENDING (to send; at
    -- forward_next_at, forward_attempts tries so far), OPEN_UPSTREAM (taken there, its status read again at
    -- forward_next_at), CLOSED_UPSTREAM (the upstream closed it), KEPT (the connector has no complaint call, or the
    -- payment never reached an upstream), REFUSED (the upstream said no), GAVE_UP (unreached after every retry).
    forward_state         text not null default 'PENDING'
        check (forward_state in ('PENDING', 'OPEN_UPSTREAM', 'CLOSED_UPSTREAM', 'KEPT', 'REFUSED', 'GAVE_UP')),
    forward_attempts      int not null default 0,
    forward_next_at       timestamptz not null default now(),
    created_at            timestamptz not null default now(),
    updated_at            timestamptz not null default now(),
    check ((status in ('RESOLVED', 'REJECTED')) = (resolution is not null))
);
create unique index complaints_one_open_per_order_and_type on complaints (order_id, type)
    where status in ('INITIALIZED', 'ASSIGNED', 'ESCALATED');
create index complaints_due on complaints (due_at) where status in ('INITIALIZED', 'ASSIGNED');
create index complaints_forward_due on complaints (forward_next_at) where forward_state in ('PENDING', 'OPEN_UPSTREAM');
create index complaints_by_partner on complaints (partner_id, id);
create index complaints_by_status on complaints (status, id);
create index complaints_by_order on complaints (order_id);

-- Every change of a complaint, oldest first: who (a partner, an admin identity, "system"), from and to, and a note.
create table complaint_history (
    id           bigint generated always as identity primary key,
    complaint_id bigint not null references complaints (id),
    at           timestamptz not null default clock_timestamp(),
    actor        text not null,
    from_status  text,
    to_status    text not null,
    note         text
);
create index complaint_history_by_complaint on complaint_history (complaint_id, id);

-- A settled payment refunded later (through a complaint): each of its posted transfers mirrored by one REVERSAL
-- transfer whose reference names it ("reverses:<transfer id>"), at most once.
create unique index transfers_one_reversal on transfers (reference) where code = 'REVERSAL';

-- A complaint's refund above the approval threshold waits for a second identity.
alter table admin_approvals drop constraint admin_approvals_action_check;
alter table admin_approvals add constraint admin_approvals_action_check
    check (action in ('TOP_UP', 'SETTLE', 'COMPLAINT_REFUND'));
