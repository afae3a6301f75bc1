-- The back office reads payments by date range (the console's overview and search, bounded ranges only). A BRIN
-- index on created_at: orders are appended in created_at order, so a few block ranges answer a range, and an
-- insert costs next to nothing (a new page's range is summarised later by vacuum, not per row); a B-tree here would
-- cost every payment an index insert. created_at never changes, so status updates stay HOT.
create index orders_created_brin on orders using brin (created_at) with (pages_per_range = 32);
