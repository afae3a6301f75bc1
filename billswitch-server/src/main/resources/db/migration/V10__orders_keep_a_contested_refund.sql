-- A SUCCESS the upstream reports after an order's hold was voided (the order FAILED or was REFUNDED) must not
-- vanish: the order goes to NEEDS_REVIEW (OrderStateMachine's REFUND_CONTESTED), no money moves, and it keeps
-- both facts here, for the reviewer and after the review:
--   {"refund":  {"at": ..., "code": ..., "message": ...},          the refund, as the order had it
--    "success": {"at": ..., "operatorRef": ..., "code": ..., "message": ...}}   what the upstream said after it
-- Set, the order in NEEDS_REVIEW has no hold left: a reviewer's "paid" charges the wallet again.
-- Nullable, no default: adding it rewrites nothing.
alter table orders add column contested_refund jsonb;
-- The statistics target every column of the hot tables has (V7; HotTableStatisticsTest).
alter table orders alter column contested_refund set statistics 10;
