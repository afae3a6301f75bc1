package billswitch.ledger;

import billswitch.shared.BillSwitchException;
import billswitch.shared.Currency;
import billswitch.shared.ErrorCode;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

/**
 * Double-entry ledger on PostgreSQL. Accounts carry pending and posted counters; transfers are
 * immutable rows (POSTED, or PENDING later resolved by one POST_PENDING or VOID_PENDING). Every
 * transfer touching a wallet records the wallet's available balance before and after it.
 * Methods that move money join the caller's transaction, so an order and its hold commit together.
 */
@Service
public class Ledger {
    static final int SHARDS = 16;

    private final JdbcClient jdbc;
    private final Map<String, Long> platformAccounts = new ConcurrentHashMap<>();
    private final Map<String, Long> wallets = new ConcurrentHashMap<>();

    Ledger(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** A wallet's state: balance = credits - debits posted; available = balance - held. */
    public record WalletBalance(Currency currency, long balanceMinor, long heldMinor, long availableMinor) {
    }

    /** The pending transfer holding a payment's money, with the wallet's available balance around it. */
    public record Hold(long transferId, long amountMinor, long openingMinor, long closingMinor) {
    }

    public record StatementEntry(long transferId, String kind, String code, long amountMinor, String direction,
                                 long openingMinor, long closingMinor, Long orderId, String reference, Instant at) {
    }

    public record TopUp(long transferId, long amountMinor, long openingMinor, long closingMinor, boolean replayed) {
    }

    /** Opens the partner's wallet in the currency if it is not open yet; returns its account id. */
    @Transactional(propagation = Propagation.MANDATORY)
    public long openWallet(String partnerId, Currency currency) {
        jdbc.sql("""
                insert into accounts (kind, partner_id, currency, shard, must_not_overdraw)
                values ('WALLET', :partner, :currency, 0, true)
                on conflict do nothing""")
                .param("partner", partnerId).param("currency", currency.name()).update();
        return walletId(partnerId, currency);
    }

    public long walletId(String partnerId, Currency currency) {
        Long cached = wallets.get(partnerId + "/" + currency);
        if (cached != null) {
            return cached;
        }
        long id = jdbc.sql("select id from accounts where kind = 'WALLET' and partner_id = :partner and currency = :currency")
                .param("partner", partnerId).param("currency", currency.name())
                .query(Long.class).optional()
                .orElseThrow(() -> new IllegalStateException("partner " + partnerId + " has no " + currency + " wallet"));
        wallets.put(partnerId + "/" + currency, id);
        return id;
    }

    /**
     * Credits a wallet from the funding account: a posted transfer, idempotent on the reference.
     */
    @Transactional
    public TopUp topUp(String partnerId, Currency currency, long amountMinor, String reference) {
        if (amountMinor <= 0) {
            throw new IllegalArgumentException("top-up amount must be positive");
        }
        long wallet = walletId(partnerId, currency);
        // Lock the wallet before looking for an earlier top-up: a concurrent one with the same reference
        // then waits here and finds it, instead of failing on the unique index.
        jdbc.sql("select id from accounts where id = :id for update").param("id", wallet).query(Long.class).single();
        Optional<TopUp> earlier = jdbc.sql("""
                select id, amount_minor, wallet_opening_minor, wallet_closing_minor from transfers
                where code = 'TOPUP' and credit_account_id = :wallet and reference = :reference""")
                .param("wallet", wallet).param("reference", reference)
                .query((rs, n) -> new TopUp(rs.getLong(1), rs.getLong(2), rs.getLong(3), rs.getLong(4), true))
                .optional();
        if (earlier.isPresent()) {
            if (earlier.get().amountMinor() != amountMinor) {
                throw new BillSwitchException(ErrorCode.IDEMPOTENCY_KEY_REUSED,
                        "Top-up reference '" + reference + "' was already used for a different amount.");
            }
            return earlier.get();
        }
        // Lock order everywhere: the wallet first, then the platform account.
        long closing = jdbc.sql("""
                update accounts set credits_posted = credits_posted + :amount where id = :id
                returning credits_posted - debits_posted - debits_pending""")
                .param("amount", amountMinor).param("id", wallet).query(Long.class).single();
        long funding = platformAccount("FUNDING", currency, 0);
        jdbc.sql("update accounts set debits_posted = debits_posted + :amount where id = :id")
                .param("amount", amountMinor).param("id", funding).update();
        long opening = closing - amountMinor;
        long id = insertTransfer("POSTED", null, funding, wallet, amountMinor, currency, "TOPUP", null, reference,
                wallet, opening, closing);
        return new TopUp(id, amountMinor, opening, closing, false);
    }

    /**
     * Holds money for an order: a pending transfer from the wallet to a settlement shard, in one statement
     * so the wallet row is locked for as short a time as possible. Throws INSUFFICIENT_FUNDS when the
     * available balance is short, which rolls back the caller's transaction.
     */
    @Transactional(propagation = Propagation.MANDATORY)
    public Hold hold(long walletId, Currency currency, long amountMinor, long orderId) {
        if (amountMinor <= 0) {
            throw new IllegalArgumentException("hold amount must be positive");
        }
        long settlement = platformAccount("SETTLEMENT", currency, ThreadLocalRandom.current().nextInt(SHARDS));
        // The wallet is updated first (the shard's update reads w), keeping the wallet-then-platform lock order.
        Optional<Hold> hold = jdbc.sql("""
                with w as (
                    update accounts set debits_pending = debits_pending + :amount
                    where id = :wallet and credits_posted - debits_posted - debits_pending >= :amount
                    returning credits_posted - debits_posted - debits_pending as closing
                ), s as (
                    update accounts set credits_pending = credits_pending + :amount
                    where id = :settlement and exists (select 1 from w)
                ), t as (
                    insert into transfers (kind, debit_account_id, credit_account_id, amount_minor, currency, code,
                        order_id, wallet_account_id, wallet_opening_minor, wallet_closing_minor)
                    select 'PENDING', :wallet, :settlement, :amount, :currency, 'PAYMENT', :order, :wallet,
                        w.closing + :amount, w.closing
                    from w
                    returning id
                )
                select t.id, w.closing from t, w""")
                .param("amount", amountMinor).param("wallet", walletId).param("settlement", settlement)
                .param("currency", currency.name()).param("order", orderId)
                .query((rs, n) -> new Hold(rs.getLong(1), amountMinor, rs.getLong(2) + amountMinor, rs.getLong(2)))
                .optional();
        return hold.orElseThrow(() -> new BillSwitchException(ErrorCode.INSUFFICIENT_FUNDS));
    }

    /**
     * Posts the order's hold (the payment is final) and pays the partner its commission, in one statement:
     * one update of the wallet row for both. Returns the wallet's available balance after.
     */
    @Transactional(propagation = Propagation.MANDATORY)
    public long post(long orderId, Currency currency, long commissionMinor) {
        long commission = platformAccount("COMMISSION", currency, ThreadLocalRandom.current().nextInt(SHARDS));
        return jdbc.sql("""
                with h as (
                    select id, debit_account_id, credit_account_id, amount_minor, currency
                    from transfers where order_id = :order and kind = 'PENDING'
                ), w as (
                    update accounts a set debits_pending = a.debits_pending - h.amount_minor,
                        debits_posted = a.debits_posted + h.amount_minor, credits_posted = a.credits_posted + :commission
                    from h where a.id = h.debit_account_id
                    returning a.credits_posted - a.debits_posted - a.debits_pending as closing
                ), s as (
                    update accounts a set credits_pending = a.credits_pending - h.amount_minor,
                        credits_posted = a.credits_posted + h.amount_minor
                    from h, w where a.id = h.credit_account_id
                ), c as (
                    update accounts a set debits_posted = a.debits_posted + :commission
                    from w where a.id = :commissionAccount and :commission > 0
                ), p as (
                    insert into transfers (kind, pending_id, debit_account_id, credit_account_id, amount_minor, currency,
                        code, order_id, wallet_account_id, wallet_opening_minor, wallet_closing_minor)
                    select 'POST_PENDING', h.id, h.debit_account_id, h.credit_account_id, h.amount_minor, h.currency,
                        'PAYMENT', :order, h.debit_account_id, w.closing - :commission, w.closing - :commission
                    from h, w
                    returning id
                ), ct as (
                    insert into transfers (kind, debit_account_id, credit_account_id, amount_minor, currency, code,
                        order_id, wallet_account_id, wallet_opening_minor, wallet_closing_minor)
                    select 'POSTED', :commissionAccount, h.debit_account_id, :commission, h.currency, 'COMMISSION',
                        :order, h.debit_account_id, w.closing - :commission, w.closing
                    from h, w, p where :commission > 0
                )
                select closing from w""")
                .param("order", orderId).param("commission", commissionMinor).param("commissionAccount", commission)
                .query(Long.class).optional()
                .orElseThrow(() -> new IllegalStateException("order " + orderId + " has no hold"));
    }

    /** Voids the order's hold: the money goes back to the wallet. Returns the wallet's available balance after. */
    @Transactional(propagation = Propagation.MANDATORY)
    public long voidHold(long orderId) {
        return jdbc.sql("""
                with h as (
                    select id, debit_account_id, credit_account_id, amount_minor, currency
                    from transfers where order_id = :order and kind = 'PENDING'
                ), w as (
                    update accounts a set debits_pending = a.debits_pending - h.amount_minor
                    from h where a.id = h.debit_account_id
                    returning a.credits_posted - a.debits_posted - a.debits_pending as closing
                ), s as (
                    update accounts a set credits_pending = a.credits_pending - h.amount_minor
                    from h, w where a.id = h.credit_account_id
                ), v as (
                    insert into transfers (kind, pending_id, debit_account_id, credit_account_id, amount_minor, currency,
                        code, order_id, wallet_account_id, wallet_opening_minor, wallet_closing_minor)
                    select 'VOID_PENDING', h.id, h.debit_account_id, h.credit_account_id, h.amount_minor, h.currency,
                        'REFUND', :order, h.debit_account_id, w.closing - h.amount_minor, w.closing
                    from h, w
                )
                select closing from w""")
                .param("order", orderId).query(Long.class).optional()
                .orElseThrow(() -> new IllegalStateException("order " + orderId + " has no hold"));
    }

    public WalletBalance balance(long walletId) {
        return jdbc.sql("""
                select currency, credits_posted - debits_posted, debits_pending from accounts where id = :id""")
                .param("id", walletId)
                .query((rs, n) -> new WalletBalance(Currency.valueOf(rs.getString(1)), rs.getLong(2), rs.getLong(3),
                        rs.getLong(2) - rs.getLong(3)))
                .single();
    }

    /** The wallet's transfers, newest first, before the given transfer id (keyset paging). */
    public List<StatementEntry> statement(long walletId, long beforeTransferId, int limit) {
        return jdbc.sql("""
                select id, kind, code, amount_minor, credit_account_id = :wallet as credit,
                       wallet_opening_minor, wallet_closing_minor, order_id, reference, created_at
                from transfers where wallet_account_id = :wallet and id < :before
                order by id desc limit :limit""")
                .param("wallet", walletId).param("before", beforeTransferId).param("limit", limit)
                .query((rs, n) -> new StatementEntry(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getLong(4),
                        direction(rs.getString(2), rs.getBoolean(5)), rs.getLong(6), rs.getLong(7),
                        (Long) rs.getObject(8), rs.getString(9), rs.getObject(10, OffsetDateTime.class).toInstant()))
                .list();
    }

    /** How a transfer moved the wallet's available balance. */
    private static String direction(String kind, boolean walletCredited) {
        return switch (kind) {
            case "POST_PENDING" -> "NONE";
            case "VOID_PENDING" -> "CREDIT";
            default -> walletCredited ? "CREDIT" : "DEBIT";
        };
    }

    long platformAccount(String kind, Currency currency, int shard) {
        return platformAccounts.computeIfAbsent(kind + "/" + currency + "/" + shard, key ->
                jdbc.sql("select id from accounts where kind = :kind and currency = :currency and shard = :shard and partner_id is null")
                        .param("kind", kind).param("currency", currency.name()).param("shard", shard)
                        .query(Long.class).single());
    }

    private long insertTransfer(String kind, Long pendingId, long debit, long credit, long amount, Currency currency,
                                String code, Long orderId, String reference, long walletId, long opening, long closing) {
        return jdbc.sql("""
                insert into transfers (kind, pending_id, debit_account_id, credit_account_id, amount_minor, currency,
                    code, order_id, reference, wallet_account_id, wallet_opening_minor, wallet_closing_minor)
                values (:kind, :pending, :debit, :credit, :amount, :currency, :code, :order, :reference, :wallet,
                    :opening, :closing)
                returning id""")
                .param("kind", kind).param("pending", pendingId).param("debit", debit).param("credit", credit)
                .param("amount", amount).param("currency", currency.name()).param("code", code)
                .param("order", orderId).param("reference", reference).param("wallet", walletId)
                .param("opening", opening).param("closing", closing)
                .query(Long.class).single();
    }
}
