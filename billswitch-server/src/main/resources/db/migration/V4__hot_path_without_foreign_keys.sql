-- The tables every payment writes (transfers, orders, attempts, webhook_events) carry no foreign keys:
-- each key cost a lookup and a row lock (FOR KEY SHARE) per written row, 15 per payment, about a fifth of
-- the database's time under load (docs/PERFORMANCE.md, change 12). What the keys guaranteed still holds:
-- - transfers: the ledger locks every account a batch touches (SELECT ... FOR UPDATE) and fails unless
--   all exist; a POST_PENDING/VOID_PENDING names a PENDING transfer the ledger has just read under the
--   same locks; the ledger verify reports any transfer whose accounts or pending transfer are missing.
-- - orders, attempts, webhook_events: written with an authenticated partner, a catalog operator, and an
--   order inserted or read in the same transaction.
-- - nothing they point at is ever deleted: accounts, partners and operators refuse DELETE (below); the
--   only orders deleted are refused placements, deleted in the transaction that inserted them.
alter table transfers drop constraint transfers_pending_id_fkey;
alter table transfers drop constraint transfers_debit_account_id_fkey;
alter table transfers drop constraint transfers_credit_account_id_fkey;
alter table transfers drop constraint transfers_wallet_account_id_fkey;
alter table orders drop constraint orders_partner_id_fkey;
alter table orders drop constraint orders_operator_id_fkey;
alter table attempts drop constraint attempts_order_id_fkey;
alter table webhook_events drop constraint webhook_events_partner_id_fkey;
alter table webhook_events drop constraint webhook_events_order_id_fkey;

create function refuse_delete() returns trigger language plpgsql as $$
begin
    raise exception '% rows are never deleted: payments and transfers point at them', tg_table_name;
end
$$;
create trigger accounts_never_deleted before delete or truncate on accounts
    for each statement execute function refuse_delete();
create trigger partners_never_deleted before delete or truncate on partners
    for each statement execute function refuse_delete();
create trigger operators_never_deleted before delete or truncate on operators
    for each statement execute function refuse_delete();
