-- An order holds money once: the one PENDING transfer that names it, which its first answer (or the
-- janitor, or a reviewer) posts or voids. The database now refuses a second hold for the same order, as
-- transfers_one_resolution refuses a second resolution of a hold. Every lookup of transfers by order asks
-- for its hold (kind = 'PENDING'), so the index covers holds only: the resolutions and commissions that
-- also name the order (two of a payment's three transfers) no longer add an entry each.
drop index transfers_order;
create unique index transfers_one_hold_per_order on transfers (order_id) where kind = 'PENDING';
