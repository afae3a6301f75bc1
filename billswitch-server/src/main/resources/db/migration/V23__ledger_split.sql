-- Issue 32, the ledger split: where every paisa of a payment goes.
--
-- Orders keep every figure of their price (billswitch.pricing.Price), decided once when validated:
-- fee_minor is now the partner's plan fee F (our revenue, before GST); the biller's customer convenience fee,
-- which fee_minor held until now, is ccf_minor. Existing orders move it there, so what their wallets were held
-- (amount + ccf + fee + gst) is unchanged.
alter table orders add column ccf_minor bigint not null default 0;
alter table orders add column gst_minor bigint not null default 0;
alter table orders add column tds_minor bigint not null default 0;
alter table orders add column plan_version_id bigint not null default 0;
update orders set ccf_minor = fee_minor, fee_minor = 0 where fee_minor <> 0;

-- What an upstream pays us on a payment (basis points of the amount): its commission, beside cost_minor, what it
-- charges us per payment.
alter table routes add column commission_bps int not null default 0 check (commission_bps between 0 and 10000);

-- An attempt keeps its route's terms as they were when it was made: what that upstream charges us for it and
-- what it pays us on it. The attempt that succeeded settles with them.
alter table attempts add column upstream_fee_minor bigint not null default 0;
alter table attempts add column upstream_commission_minor bigint not null default 0;

-- New account kinds: REVENUE (our fees and upstreams' commission), TDS_PAYABLE and GST_PAYABLE (taxes owed),
-- sharded like SETTLEMENT; UPSTREAM, what we owe one upstream connector (accounts.connector), sharded the same way
-- so the batches of two lanes never wait on one row.
alter table accounts drop constraint accounts_kind_check;
alter table accounts add constraint accounts_kind_check check (kind in ('WALLET', 'FUNDING', 'SETTLEMENT', 'COMMISSION',
    'REVENUE', 'TDS_PAYABLE', 'GST_PAYABLE', 'UPSTREAM'));
alter table accounts add column connector text;
alter table accounts add constraint accounts_upstream_connector check ((kind = 'UPSTREAM') = (connector is not null));
drop index accounts_identity;
create unique index accounts_identity on accounts (kind, coalesce(partner_id, ''), coalesce(connector, ''), currency, shard);

insert into accounts (kind, currency, shard, must_not_overdraw)
select k, c, s, false
from unnest(array['REVENUE', 'TDS_PAYABLE', 'GST_PAYABLE']) k, unnest(array['INR', 'VND']) c, generate_series(0, 15) s;

insert into accounts (kind, connector, currency, shard, must_not_overdraw)
select 'UPSTREAM', n, c, s, false
from (select name from connectors union select connector from routes
      union select connector from operators where connector is not null union select 'sandbox') as x(n),
     unnest(array['INR', 'VND']) c, generate_series(0, 15) s
on conflict do nothing;

-- Payments posted before the split left amount + convenience fee on their settlement shard: it is owed to the
-- upstream of the order's last attempt. Moved there, so every settlement shard nets to zero as from now on.
create temporary table v23_owed on commit drop as
select t.credit_account_id as settlement, t.currency, coalesce(a.connector, 'sandbox') as connector,
       sum(t.amount_minor) as amount
from transfers t
left join lateral (select connector from attempts where order_id = t.order_id order by id desc limit 1) a on true
where t.code = 'PAYMENT' and t.kind in ('POSTED', 'POST_PENDING')
group by 1, 2, 3;
insert into accounts (kind, connector, currency, shard, must_not_overdraw)
select distinct 'UPSTREAM', connector, currency, s, false from v23_owed, generate_series(0, 15) s
on conflict do nothing;
create temporary table v23_moved on commit drop as
select o.settlement, u.id as upstream, o.currency, o.amount
from v23_owed o join accounts u on u.kind = 'UPSTREAM' and u.connector = o.connector and u.currency = o.currency
    and u.shard = 0;
insert into transfers (kind, debit_account_id, credit_account_id, amount_minor, currency, code, reference)
select 'POSTED', settlement, upstream, amount, currency, 'UPSTREAM', 'V23: posted before the ledger split'
from v23_moved;
update accounts a set debits_posted = a.debits_posted + m.amount
from (select settlement, sum(amount) amount from v23_moved group by 1) m where a.id = m.settlement;
update accounts a set credits_posted = a.credits_posted + m.amount
from (select upstream, sum(amount) amount from v23_moved group by 1) m where a.id = m.upstream;

-- The margin report reads a period's transfers by time.
create index transfers_created_at_brin on transfers using brin (created_at);

-- The hot tables keep small statistics samples (V7): their new columns too.
alter table orders alter column ccf_minor set statistics 10;
alter table orders alter column gst_minor set statistics 10;
alter table orders alter column tds_minor set statistics 10;
alter table orders alter column plan_version_id set statistics 10;
alter table attempts alter column upstream_commission_minor set statistics 10;
alter table attempts alter column upstream_fee_minor set statistics 10;
