"""Writes a pgbench script that replays the batch of scenario (a) straight against PostgreSQL.

One transaction is one batch: it locks the batch's accounts, inserts N orders with their first attempts,
settles the N orders of the client's previous transaction (attempts finished, orders moved with a stored
answer of ~500 bytes) and writes the ledger (accounts updated once each; per settled order a POST_PENDING
and a commission transfer, per new order a PENDING hold), with the statements BillSwitch sends
(payment/OrderRepository, ledger/TransferBatch), as generic plans. The ids the next transaction settles
come back through pgbench's \gset. Run with -M prepared, one client: see run.sh, which turns the backend's
CPU a batch into a ceiling against pgbench's tpcb-like (0.66-1.14x, median 0.77, at 5 payments a batch).

usage: python3 batch.py N > batch-N.sql
"""
import sys

N = int(sys.argv[1])
L = []
L.append(r"\set base (:base + %d) %% 100" % N)
L.append(r"\set shard random(0, 15)")
for i in range(N):
    L.append(r"\set r%d random(1, 999999999999999)" % i)
# partner numbers of the holds: base .. base+N-1 (mod 100), so never the previous batch's wallets
hp = ["((:base + %d) %% 100)" % i for i in range(N)]
partner_arr = "array[" + ",".join("'p' || lpad(%s::text, 3, '0')" % p for p in hp) + "]"
wallet_arr = "array[" + ",".join("(67 + %s)::bigint" % p for p in hp) + "]"
ref_arr = "array[" + ",".join("'ref-' || :r%d::text" % i for i in range(N)) + "]"
def fill(v, t): return "array_fill(%s::%s, array[%d])" % (v, t, N)
L.append("BEGIN;")
# round trip 1: lock the batch's accounts; insert the orders and their first attempts
L.append("select id, credits_posted - debits_posted - debits_pending from accounts where id = any(%s || :prev_wallets::bigint[] || array[(3 + 4 * :shard)::bigint, (5 + 4 * :shard)::bigint]) order by id for update;" % wallet_arr)
attempts_cte = """, started as (insert into attempts (order_id, connector) select i.id, c.connector from inserted i join lateral (select v.connector from unnest(%s, %s, %s) with ordinality as v(partner, reference, connector, n) where v.partner = i.partner_id and v.reference = i.reference order by v.n limit 1) c on true returning id, order_id)""" % (partner_arr, ref_arr, fill("'sandbox'", "text"))
sel = "select array_agg(i.id order by i.id) as new_oids, array_agg(s.id order by i.id) as new_aids from inserted i join started s on s.order_id = i.id"
L.append(("""with inserted as (insert into orders (partner_id, reference, kind, dialect, channel, operator_id, account_number, params, amount_minor, fee_minor, commission_minor, currency, status, fingerprint, bill_fetch_id, next_check_at) select partner, reference, kind, dialect, channel, operator, account, params::jsonb, amount, fee, commission, currency, 'INITIATED', fingerprint, fetch_id, timestamptz 'epoch' + next_check * interval '1 microsecond' from unnest(%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s) with ordinality as v(partner, reference, kind, dialect, channel, operator, account, params, amount, fee, commission, currency, fingerprint, fetch_id, next_check, n) order by n on conflict (partner_id, reference) where kind <> 'BILL_FETCH' do nothing returning id, partner_id, reference, created_at)%s %s \\gset""" % (
    partner_arr, ref_arr, fill("'RECHARGE'", "text"), fill("'native'", "text"), fill("'API'", "text"), fill("'airtel-prepaid'", "text"),
    fill("'9876543210'", "text"), fill("'{\"mobile\": \"9876543210\", \"circle\": \"DL\"}'", "text"), fill("10000", "bigint"), fill("0", "bigint"), fill("150", "bigint"),
    fill("'INR'", "text"), fill("'3f9a0c1d2e4b5a6978877665544332211ffeeddccbbaa99887766554433221100'", "text"), fill("null", "bigint"),
    fill("(extract(epoch from now()) * 1e6 + 30e6)::bigint", "bigint"), attempts_cte, sel)).replace("\n", " "))
# round trip 2: first answers of the previous batch, then the ledger write, then COMMIT
answer = '{"status":"SUCCESS","transactionId":"1000123","reference":"ref-123456789","operator":"airtel-prepaid","accountNumber":"9876543210","amount":{"amountMinor":10000,"currency":"INR"},"fee":{"amountMinor":0,"currency":"INR"},"commission":{"amountMinor":150,"currency":"INR"},"operatorReference":"SBX-0000001234","walletBalance":{"amountMinor":99999999999850,"currency":"INR"},"createdAt":"2026-12-03T14:40:00.123456Z","updatedAt":"2026-12-03T14:40:00.125000Z","message":"Recharge successful"}'
nprev = "cardinality(:prev_oids::bigint[])"
def pfill(v, t): return "array_fill(%s::%s, array[%s])" % (v, t, nprev)
finished = """finished as (update attempts a set outcome = v.outcome, upstream_ref = v.ref, upstream_code = v.code, message = v.message, finished_at = now() from unnest(:prev_aids::bigint[], %s, %s, %s, %s) as v(id, outcome, ref, code, message) where a.id = v.id), """ % (
    pfill("'SUCCESS'", "text"), pfill("'SBX-0000001234'", "text"), pfill("null", "text"), pfill("null", "text"))
L.append(("""with %smoved as (update orders o set status = v.status, operator_ref = coalesce(v.ref, o.operator_ref), failure_code = v.code, failure_message = v.message, updated_at = timestamptz 'epoch' + v.at * interval '1 microsecond', next_check_at = timestamptz 'epoch' + v.next_check * interval '1 microsecond', finished_at = case when v.final then timestamptz 'epoch' + v.at * interval '1 microsecond' else o.finished_at end, answer_status = coalesce(o.answer_status, v.answer_status), answer_body = coalesce(o.answer_body, v.answer_body) from unnest(:prev_oids::bigint[], %s, %s, %s, %s, %s, %s, %s, %s, %s) as v(id, status, ref, code, message, next_check, final, at, answer_status, answer_body) where o.id = v.id and o.status = any(:from_status::text[]) returning o.id, o.partner_id, o.answer_status, o.answer_body) select m.id, m.answer_status, m.answer_body, p.callback_url is not null as partner_listens from moved m left join partners p on p.id = m.partner_id;""" % (
    finished, pfill("'SUCCESS'", "text"), pfill("'SBX-0000001234'", "text"), pfill("null", "text"), pfill("null", "text"),
    pfill("null", "bigint"), pfill("true", "boolean"), pfill("(extract(epoch from now()) * 1e6)::bigint", "bigint"), pfill("200", "int"),
    pfill("'%s'" % answer, "text"))).replace("\n", " "))
# ledger write: per account deltas (all accounts distinct), then the transfers: posts and commissions of the
# previous batch, then the new holds.
sset, comm = "(3 + 4 * :shard)::bigint", "(5 + 4 * :shard)::bigint"
ids = "%s || :prev_wallets::bigint[] || array[%s, %s]" % (wallet_arr, sset, comm)
dpe = "array_fill(10000::bigint, array[%d]) || array_fill(-10000::bigint, array[%s]) || array[0::bigint, 0::bigint]" % (N, nprev)
dpo = "array_fill(0::bigint, array[%d]) || array_fill(10000::bigint, array[%s]) || array[0::bigint, (150 * %s)::bigint]" % (N, nprev, nprev)
cpe = "array_fill(0::bigint, array[%d]) || array_fill(0::bigint, array[%s]) || array[(10000 * (%d - %s))::bigint, 0::bigint]" % (N, nprev, N, nprev)
cpo = "array_fill(0::bigint, array[%d]) || array_fill(150::bigint, array[%s]) || array[(10000 * %s)::bigint, 0::bigint]" % (N, nprev, nprev)
kinds = "array_fill('POST_PENDING'::text, array[%s]) || array_fill('POSTED'::text, array[%s]) || array_fill('PENDING'::text, array[%d])" % (nprev, nprev, N)
pend = ":prev_pids::bigint[] || array_fill(null::bigint, array[%s]) || array_fill(null::bigint, array[%d])" % (nprev, N)
debit = ":prev_wallets::bigint[] || array_fill(%s, array[%s]) || %s" % (comm, nprev, wallet_arr)
credit = "array_fill(%s, array[%s]) || :prev_wallets::bigint[] || array_fill(%s, array[%d])" % (sset, nprev, sset, N)
amount = "array_fill(10000::bigint, array[%s]) || array_fill(150::bigint, array[%s]) || array_fill(10000::bigint, array[%d])" % (nprev, nprev, N)
cur = "array_fill('INR'::text, array[2 * %s + %d])" % (nprev, N)
code = "array_fill('RECHARGE'::text, array[%s]) || array_fill('COMMISSION'::text, array[%s]) || array_fill('RECHARGE'::text, array[%d])" % (nprev, nprev, N)
orders = ":prev_oids::bigint[] || :prev_oids::bigint[] || :new_oids::bigint[]"
wallets = ":prev_wallets::bigint[] || :prev_wallets::bigint[] || %s" % wallet_arr
opening = "array_fill(99999999::bigint, array[2 * %s + %d])" % (nprev, N)
L.append(("""with updated as (update accounts a set debits_pending = a.debits_pending + v.dpe, debits_posted = a.debits_posted + v.dpo, credits_pending = a.credits_pending + v.cpe, credits_posted = a.credits_posted + v.cpo from unnest(%s, %s, %s, %s, %s) as v(id, dpe, dpo, cpe, cpo) where a.id = v.id), ins as (insert into transfers (kind, pending_id, debit_account_id, credit_account_id, amount_minor, currency, code, order_id, wallet_account_id, wallet_opening_minor, wallet_closing_minor) select kind, pending_id, debit, credit, amount, currency, code, order_id, wallet, opening, closing from unnest(%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s) with ordinality as v(kind, pending_id, debit, credit, amount, currency, code, order_id, wallet, opening, closing, n) order by n returning id, kind) select coalesce(array_agg(id order by id) filter (where kind = 'PENDING'), '{}') as prev_pids, :new_oids::text as prev_oids, :new_aids::text as prev_aids, (%s)::text as prev_wallets from ins \\gset""" % (
    ids, dpe, dpo, cpe, cpo, kinds, pend, debit, credit, amount, cur, code, orders, wallets, opening, opening, wallet_arr)))
L.append("COMMIT;")
print("\n".join(L))
