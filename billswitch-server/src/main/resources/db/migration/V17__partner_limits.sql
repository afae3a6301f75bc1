-- Per-partner overrides of the request limits (billswitch.limits.*), set through PUT /admin/partners/{id}/limits.
-- A null column keeps the configured default. Each node reads this table into memory: the limits themselves
-- are checked per node, before any database query of a request.
create table partner_limits (
    partner_id          text primary key,
    requests_per_second integer check (requests_per_second >= 0),
    burst               integer check (burst >= 0),
    max_in_flight       integer check (max_in_flight >= 0),
    updated_at          timestamptz not null default now()
);
