package billswitch.ledger;

import static billswitch.infra.db.SqlArrays.bigint;
import static billswitch.infra.db.SqlArrays.text;

import billswitch.shared.Currency;
import java.util.ArrayList;
import java.util.List;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;

/** Transfers gathered by one ledger operation, written by one statement in the order they were added. */
final class TransferBatch {
    private final List<Integer> items = new ArrayList<>();
    private final List<Object> kinds = new ArrayList<>();
    private final List<Object> pendingIds = new ArrayList<>();
    private final List<Object> debits = new ArrayList<>();
    private final List<Object> credits = new ArrayList<>();
    private final List<Object> amounts = new ArrayList<>();
    private final List<Object> currencies = new ArrayList<>();
    private final List<Object> codes = new ArrayList<>();
    private final List<Object> orderIds = new ArrayList<>();
    private final List<Object> references = new ArrayList<>();
    private final List<Object> wallets = new ArrayList<>();
    private final List<Object> openings = new ArrayList<>();
    private final List<Object> closings = new ArrayList<>();

    /** The item number of a transfer the caller does not need the id of. */
    static final int NO_ITEM = -1;

    /** Adds a transfer made for the caller's item number {@code item} (or {@link #NO_ITEM}). */
    void add(int item, TransferKind kind, Long pendingId, long debit, long credit, long amountMinor, Currency currency,
             TransferCode code, Long orderId, String reference, Long walletId, Long openingMinor, Long closingMinor) {
        items.add(item);
        kinds.add(kind.name());
        pendingIds.add(pendingId);
        debits.add(debit);
        credits.add(credit);
        amounts.add(amountMinor);
        currencies.add(currency.name());
        codes.add(code.name());
        orderIds.add(orderId);
        references.add(reference);
        wallets.add(walletId);
        openings.add(openingMinor);
        closings.add(closingMinor);
    }

    boolean isEmpty() {
        return items.isEmpty();
    }

    /** The caller's item number of the k-th transfer added. */
    int item(int k) {
        return items.get(k);
    }

    /**
     * The statement inserting the transfers and returning their ids in the order added (ids grow in that
     * order); its parameters come from {@link #addParams}.
     */
    static final String INSERT = """
            insert into transfers (kind, pending_id, debit_account_id, credit_account_id, amount_minor, currency,
                code, order_id, reference, wallet_account_id, wallet_opening_minor, wallet_closing_minor)
            select kind, pending_id, debit, credit, amount, currency, code, order_id, reference, wallet, opening, closing
            from unnest(:kinds, :pending, :debits, :credits, :amounts, :currencies, :codes, :orders, :references,
                :wallets, :openings, :closings) with ordinality
                as v(kind, pending_id, debit, credit, amount, currency, code, order_id, reference, wallet, opening,
                    closing, n)
            order by n
            returning id""";

    /** Adds the parameters of {@link #INSERT}. */
    MapSqlParameterSource addParams(MapSqlParameterSource params) {
        return params.addValue("kinds", text(kinds)).addValue("pending", bigint(pendingIds))
                .addValue("debits", bigint(debits)).addValue("credits", bigint(credits))
                .addValue("amounts", bigint(amounts)).addValue("currencies", text(currencies))
                .addValue("codes", text(codes)).addValue("orders", bigint(orderIds))
                .addValue("references", text(references)).addValue("wallets", bigint(wallets))
                .addValue("openings", bigint(openings)).addValue("closings", bigint(closings));
    }

}
