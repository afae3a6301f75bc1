-- The product (plan) code the partner named, as sent: AppotaPay's productCode of a top-up, the native API's
-- productCode of a recharge. Answers name it from here, not from a plan that happens to cost the same.
-- Nullable, no default: adding it rewrites nothing.
alter table orders add column product_code text;
-- The statistics target every column of the hot tables has (V7; HotTableStatisticsTest).
alter table orders alter column product_code set statistics 10;

-- AppotaPay top-ups placed before this migration: their first answer, stored as given, names the productCode
-- the partner sent (the request's own, echoed). Native recharges did not echo it: theirs stays unknown (null).
update orders
set product_code = substring(answer_body from '"productCode":"([^"\\]*)"')
where dialect = 'APPOTAPAY' and kind = 'RECHARGE' and product_code is null
  and answer_body like '%"productCode":"%';
