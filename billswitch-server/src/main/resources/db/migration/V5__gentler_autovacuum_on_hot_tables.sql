-- Autovacuum of the tables every payment writes, throttled harder than the default (2 ms of sleep per
-- 200 cost units, which barely slows it when the pages are cached): vacuum and analyze of these tables
-- competed with the payments for the CPU for ~2.5 s at a time, and the payments' latency showed it
-- (docs/PERFORMANCE.md). Spread over longer, they take less of the machine at any moment.
alter table orders set (autovacuum_vacuum_cost_delay = 20);
alter table attempts set (autovacuum_vacuum_cost_delay = 20);
alter table transfers set (autovacuum_vacuum_cost_delay = 20);
alter table accounts set (autovacuum_vacuum_cost_delay = 20);
