-- Statistics from a sample of 3,000 rows, not 30,000, for the tables every payment writes. ANALYZE's
-- sampling pauses for autovacuum's cost delay, but computing the statistics does not: for orders at
-- ~100,000 rows that took 0.45-0.65 s of one core, once a minute under load, and on a two-core machine
-- the payment chain stalled behind it (a second of 248 ms p99 at the benchmark's half peak; see
-- docs/PERFORMANCE.md, item 59). With a target of 10 it took 35-45 ms. Every query on these tables goes
-- by a unique or partial index, which a 3,000-row sample estimates as well as a larger one.
-- A column added to these tables later must get the same target (HotTableStatisticsTest checks it): the
-- sample is sized by the largest target of a table's columns.
do $$
declare
    col record;
begin
    for col in
        select c.relname, a.attname
        from pg_attribute a join pg_class c on c.oid = a.attrelid
        where c.relname in ('orders', 'attempts', 'transfers', 'webhook_events') and c.relnamespace = current_schema()::regnamespace
          and a.attnum > 0 and not a.attisdropped
    loop
        execute format('alter table %I alter column %I set statistics 10', col.relname, col.attname);
    end loop;
end
$$;
