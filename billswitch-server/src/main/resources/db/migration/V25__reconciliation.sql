-- Reconciliation against upstreams (issue 32): a run per imported or pulled upstream report of one connector and
-- business day, its lines matched against our attempts, and the differences left for a person as cases.
-- The same report (its SHA-256) for the same connector and day is one run: importing it again answers that run.
-- A run is worked line by line, each line in its own transaction; heartbeat_at moves as it goes. A run that stopped
-- before it finished (its process died) and shows no progress for minutes is abandoned (abandoned_at) when the
-- same report comes again, its open cases closed, and the report is run afresh by a new run.
create table reconciliation_runs (
    id               bigint generated always as identity primary key,
    connector        text not null,
    business_date    date not null,
    source           text not null check (source in ('FILE', 'PULL')),
    sha256           text not null,
    content          text not null,
    started_by       text not null,
    created_at       timestamptz not null default now(),
    finished_at      timestamptz,
    lines            int not null default 0,
    matched          int not null default 0,
    amount_mismatch  int not null default 0,
    status_mismatch  int not null default 0,
    missing_upstream int not null default 0,
    missing_here     int not null default 0,
    settled          int not null default 0,
    cases            int not null default 0,
    heartbeat_at     timestamptz not null default now(),
    abandoned_at     timestamptz
);
create unique index reconciliation_runs_report on reconciliation_runs (connector, business_date, sha256)
    where abandoned_at is null;
create index reconciliation_runs_day on reconciliation_runs (business_date desc, id desc);

-- One line of a run: a line of the report (line_no: its place in the file) or one of our attempts the report
-- does not list (line_no null). What each side says, what the match found, and what was done about it.
create table reconciliation_lines (
    id                    bigint generated always as identity primary key,
    run_id                bigint not null references reconciliation_runs (id),
    line_no               int,
    kind                  text not null check (kind in ('MATCHED', 'AMOUNT_MISMATCH', 'STATUS_MISMATCH',
                                                        'MISSING_UPSTREAM', 'MISSING_HERE')),
    action                text not null check (action in ('NONE', 'SETTLED', 'CASE')),
    order_id              bigint,
    attempt_id            bigint,
    reference             text,
    upstream_id           text,
    upstream_amount       text,
    upstream_status       text,
    upstream_outcome      text,
    upstream_time         text,
    our_amount_minor      bigint,
    our_status            text,
    settled_to            text,
    note                  text
);
create index reconciliation_lines_run on reconciliation_lines (run_id, id);

-- A difference a report could not settle, for a person: what each side says, closed with a note.
create table reconciliation_cases (
    id            bigint generated always as identity primary key,
    run_id        bigint not null references reconciliation_runs (id),
    line_id       bigint not null unique references reconciliation_lines (id),
    connector     text not null,
    business_date date not null,
    kind          text not null,
    order_id      bigint,
    ours          text not null,
    theirs        text not null,
    status        text not null default 'OPEN' check (status in ('OPEN', 'CLOSED')),
    created_at    timestamptz not null default now(),
    closed_by     text,
    closed_at     timestamptz,
    note          text
);
create index reconciliation_cases_open on reconciliation_cases (id) where status = 'OPEN';
