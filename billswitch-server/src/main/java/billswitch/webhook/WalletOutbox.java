package billswitch.webhook;

import static billswitch.infra.db.SqlArrays.bigint;
import static billswitch.infra.db.SqlArrays.text;

import billswitch.infra.db.Pipeline;
import billswitch.ledger.WalletEvents;
import java.util.List;
import java.util.UUID;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.stereotype.Component;

/**
 * Writes a {@code wallet.low_balance} event into the outbox for every low-balance crossing a ledger batch made, for
 * partners with a callback URL, by a statement queued on the batch's own pipeline: it commits with the transfer that
 * crossed, or not at all. The event carries the crossing order's id, so the sender delivers it in order with that
 * order's other events and the payment's page lists it. Payload: the partner, currency, threshold, available balance
 * before and after (credit limit included), the credit limit, the transaction and its wallet transfer.
 */
@Component
class WalletOutbox implements WalletEvents {
    static final String LOW_BALANCE = "wallet.low_balance";

    @Override
    public void lowBalance(Pipeline pipeline, List<LowBalance> crossings) {
        int n = crossings.size();
        Object[] events = new Object[n];
        Object[] wallets = new Object[n];
        Object[] orders = new Object[n];
        Object[] thresholds = new Object[n];
        Object[] before = new Object[n];
        Object[] after = new Object[n];
        Object[] limits = new Object[n];
        for (int i = 0; i < n; i++) {
            LowBalance c = crossings.get(i);
            events[i] = UUID.randomUUID().toString();
            wallets[i] = c.walletId();
            orders[i] = c.orderId();
            thresholds[i] = c.thresholdMinor();
            before[i] = c.availableBeforeMinor();
            after[i] = c.availableMinor();
            limits[i] = c.creditLimitMinor();
        }
        pipeline.add("""
                insert into webhook_events (event_id, partner_id, order_id, type, payload, status)
                select v.event_id, a.partner_id, v.order_id, :type,
                       json_build_object('id', v.event_id, 'type', :type,
                           'createdAt', to_char(clock_timestamp() at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'),
                           'data', json_build_object('partnerId', a.partner_id, 'currency', a.currency,
                               'thresholdMinor', v.threshold, 'availableMinor', v.available,
                               'availableBeforeMinor', v.available_before, 'creditLimitMinor', v.credit_limit,
                               'transactionId', v.order_id::text,
                               'transferId', (select t.id::text from transfers t
                                              where t.order_id = v.order_id and t.debit_account_id = v.wallet
                                              order by t.id desc limit 1)))::text,
                       'PENDING'
                from unnest(:events::uuid[], :wallets, :orders, :thresholds, :before, :after, :limits) with ordinality
                    as v(event_id, wallet, order_id, threshold, available_before, available, credit_limit, n)
                join accounts a on a.id = v.wallet
                join partners p on p.id = a.partner_id and p.callback_url is not null
                order by v.n
                returning id""", new MapSqlParameterSource("type", LOW_BALANCE).addValue("events", text(events))
                        .addValue("wallets", bigint(wallets)).addValue("orders", bigint(orders))
                        .addValue("thresholds", bigint(thresholds)).addValue("before", bigint(before))
                        .addValue("after", bigint(after)).addValue("limits", bigint(limits)),
                (rs, k) -> rs.getLong(1));
    }
}
