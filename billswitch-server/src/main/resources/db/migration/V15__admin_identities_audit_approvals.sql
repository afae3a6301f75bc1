-- Named admin identities, the append-only audit log of admin actions, and two-person approvals (issue 30).

-- An identity's token is never stored: only SHA-256 of it (the token is 256 random bits, shown once).
-- The built-in identity "root" (billswitch.admin-token) is not a row: the configuration is its token.
create table admin_identities (
    name        text primary key check (name ~ '^[a-z0-9][a-z0-9._-]{1,39}$' and name <> 'root'),
    role        text not null check (role in ('READ_ONLY', 'OPERATIONS', 'FINANCE', 'ADMIN')),
    token_hash  bytea not null unique check (octet_length(token_hash) = 32),
    status      text not null default 'ACTIVE' check (status in ('ACTIVE', 'DISABLED')),
    created_by  text not null,
    created_at  timestamptz not null default now(),
    rotated_at  timestamptz,
    disabled_at timestamptz
);

-- Every admin write that took effect: who, when, what (an action name and the request), on what, and the
-- target's state before and after (JSON; never a secret). Written in the transaction of the change.
create table admin_audit (
    id         bigint generated always as identity primary key,
    at         timestamptz not null default clock_timestamp(),
    actor      text not null,
    actor_role text not null,
    action     text not null,
    request    text not null,
    target     text not null,
    before     jsonb,
    after      jsonb
);
create index admin_audit_by_actor on admin_audit (actor, id);
create index admin_audit_by_target on admin_audit (target, id);
create index admin_audit_by_time on admin_audit (at);

-- Append-only: no UPDATE, DELETE or TRUNCATE, whoever asks (the application's own role included).
create function refuse_audit_change() returns trigger language plpgsql as $$
begin
    raise exception 'admin_audit is append-only: % refused', tg_op using errcode = 'insufficient_privilege';
end $$;
create trigger admin_audit_append_only before update or delete on admin_audit
    for each row execute function refuse_audit_change();
create trigger admin_audit_never_truncated before truncate on admin_audit
    for each statement execute function refuse_audit_change();

-- A money-moving admin request above the approval threshold, waiting for a second identity.
create table admin_approvals (
    id           bigint generated always as identity primary key,
    action       text not null check (action in ('TOP_UP', 'SETTLE')),
    target       text not null,
    dedupe_key   text not null,
    currency     text not null,
    amount_minor bigint not null check (amount_minor > 0),
    payload      jsonb not null,
    status       text not null default 'PENDING' check (status in ('PENDING', 'APPROVED', 'REJECTED')),
    requested_by text not null,
    requested_at timestamptz not null default now(),
    decided_by   text,
    decided_at   timestamptz,
    reason       text,
    result       jsonb,
    check ((status = 'PENDING') = (decided_by is null)),
    -- The requester may withdraw (reject) their own request, never approve it.
    check (status <> 'APPROVED' or decided_by <> requested_by)
);
-- One pending approval per top-up reference or per order.
create unique index admin_approvals_one_pending on admin_approvals (dedupe_key) where status = 'PENDING';
create index admin_approvals_by_status on admin_approvals (status, id);
