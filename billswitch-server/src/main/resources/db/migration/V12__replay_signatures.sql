-- Signed requests already received, shared by every node: a signature seen once is refused again until its
-- timestamp is too old to pass the check anyway, then deleted (ReplayLog's cleanup, by the leading sent_at).
-- sent_at is the request's own signed timestamp (Unix ms), so the same signature always lands on the same key;
-- digest_hi/digest_lo are 128 bits of SHA-256 over (scope, key id, signature).
-- A logged table, not an unlogged one: an unlogged table is emptied by a crash and never reaches a standby.
-- The inserts commit with synchronous_commit off (docs/ARCHITECTURE.md says why that is safe).
create table replay_signatures (
    sent_at   bigint not null,
    digest_hi bigint not null,
    digest_lo bigint not null,
    primary key (sent_at, digest_hi, digest_lo)
) with (autovacuum_vacuum_cost_delay = 20, fillfactor = 100);
alter table replay_signatures alter column sent_at set statistics 10;
alter table replay_signatures alter column digest_hi set statistics 10;
alter table replay_signatures alter column digest_lo set statistics 10;
