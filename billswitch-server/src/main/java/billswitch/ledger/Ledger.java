package billswitch.ledger;

import static billswitch.infra.db.SqlArrays.bigint;
import static billswitch.infra.db.SqlArrays.text;

import billswitch.infra.db.AfterCommit;
import billswitch.infra.db.Pipeline;
import billswitch.shared.Currency;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

/**
 * Double-entry ledger on PostgreSQL, after TigerBeetle's. Accounts ({@link AccountKind}) carry pending and
 * posted counters; transfers are immutable rows ({@link TransferKind}: POSTED, or PENDING later resolved by
 * one POST_PENDING or VOID_PENDING; {@link TransferCode}: why). Money moves only through
 * {@link TransferCommand}s (Hold, Post, Void, Charge, TopUp), each answered with a {@link TransferResult}, by one
 * write path: lock the accounts, decide against the locked balances, write every account once and every
 * transfer with one statement. Every transfer touching a wallet records the wallet's available balance
 * before and after it. Methods that move money join the caller's transaction, so an order and its hold
 * commit together.
 */
@Service
public class Ledger {
    private final JdbcClient jdbc;
    private final JdbcTemplate template;
    private final Map<String, Long> platformAccounts = new ConcurrentHashMap<>();
    private final Map<String, Long> wallets = new ConcurrentHashMap<>();
    private final List<WalletEvents> walletEvents;

    Ledger(JdbcClient jdbc, JdbcTemplate template, List<WalletEvents> walletEvents) {
        this.jdbc = jdbc;
        this.template = template;
        this.walletEvents = walletEvents;
    }

    /**
     * A wallet's state: balance = credits - debits posted (negative: drawn on its credit limit); held = pending
     * debits; available = balance - held + credit limit, what it can still pay; low-balance threshold 0: no alert.
     */
    public record WalletBalance(Currency currency, long balanceMinor, long heldMinor, long availableMinor,
                                long creditLimitMinor, long lowBalanceThresholdMinor) {
        /** A wallet without a credit limit or a low-balance threshold. */
        public WalletBalance(Currency currency, long balanceMinor, long heldMinor, long availableMinor) {
            this(currency, balanceMinor, heldMinor, availableMinor, 0, 0);
        }

        /** The wallet's own money after its holds (balance - held), without the credit limit. */
        public long fundsMinor() {
            return balanceMinor - heldMinor;
        }
    }

    /** How a transfer moved the wallet's available balance. */
    public enum Direction {
        CREDIT, DEBIT, NONE
    }

    public record StatementEntry(long transferId, TransferKind kind, TransferCode code, long amountMinor,
                                 Direction direction, long openingMinor, long closingMinor, Long orderId,
                                 String reference, Instant at) {
    }

    /** A wallet a batch may place holds on, in its currency. */
    public record Holding(long walletId, Currency currency) {
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
     * A hold a batch may resolve, and the upstream connector whose success may post it (null: the batch can only
     * void it), whose accounts the batch then locks too.
     */
    public record Resolving(PendingHold hold, String connector) {
    }

    /**
     * Executes transfer commands in the caller's transaction (or its own): locks every account they touch,
     * decides each in order against the locked balances, and writes them all with one statement. The one
     * write path: payments' batches take the same steps, split around their own statements ({@link #lock},
     * {@link LedgerBatch#execute}).
     */
    @Transactional
    public Results execute(List<TransferCommand> commands) {
        List<Resolving> resolving = new ArrayList<>();
        List<Holding> holding = new ArrayList<>();
        List<TransferCommand.TopUp> topUps = new ArrayList<>();
        List<TransferCommand.Charge> charges = new ArrayList<>();
        List<Long> reversing = new ArrayList<>();
        for (TransferCommand command : commands) {
            switch (command) {
                case TransferCommand.Post p -> resolving.add(new Resolving(p.hold(), p.split().connector()));
                case TransferCommand.Void v -> resolving.add(new Resolving(v.hold(), null));
                case TransferCommand.Hold h -> holding.add(new Holding(h.walletId(), h.currency()));
                case TransferCommand.TopUp t -> topUps.add(t);
                case TransferCommand.Charge c -> charges.add(c);
                case TransferCommand.Reverse r -> {
                    reversing.add(r.walletId());
                    r.transfers().forEach(t -> {
                        reversing.add(t.debitAccountId());
                        reversing.add(t.creditAccountId());
                    });
                }
            }
        }
        LedgerBatch batch = lock(resolving, holding, topUps, charges, reversing, Shards.ALL);
        Pipeline pipeline = Pipeline.ofTransaction(template);
        pipeline.run();
        Results results = batch.execute(commands);
        pipeline.run();
        return results;
    }

    /**
     * Queues, on the transaction's pipeline ({@link Pipeline#ofTransaction}), the statement that locks every
     * account a batch may touch: those of the holds it may post or void, with, for a hold a success may post, the
     * accounts its split touches (a commission, revenue, TDS and GST shard per currency, and a shard of the
     * connector's UPSTREAM account), and those that holds on {@code holding} need (a settlement shard per
     * currency), in id order as every batch locks, so two batches never wait on each other in a cycle. Once the
     * caller has run the pipeline, the batch executes its commands ({@link LedgerBatch#execute}), whose holds and
     * orders may be known only by then. Fails, once run, unless every account exists: transfers have no foreign
     * keys, this is what keeps them pointing at real accounts. The platform shards are picked among {@code shards}.
     */
    @Transactional(propagation = Propagation.MANDATORY)
    public LedgerBatch lock(List<Resolving> resolving, List<Holding> holding, Shards shards) {
        return lock(resolving, holding, List.of(), List.of(), List.of(), shards);
    }

    /**
     * As above, with the wallets and funding accounts of top-ups, and their earlier top-ups looked up in the same
     * round trip; and the wallets of charges, with a settlement shard and the split's accounts per currency.
     */
    private LedgerBatch lock(List<Resolving> resolving, List<Holding> holding, List<TransferCommand.TopUp> topUps,
                             List<TransferCommand.Charge> charges, List<Long> reversing, Shards shards) {
        Map<String, Long> platform = new HashMap<>();
        TreeSet<Long> accounts = new TreeSet<>();
        for (Resolving r : resolving) {
            PendingHold h = r.hold();
            accounts.add(h.walletId());
            accounts.add(h.settlementId());
            if (r.connector() != null) {
                lockSplit(h.currency(), r.connector(), platform, accounts, shards);
            }
        }
        for (TransferCommand.TopUp t : topUps) {
            accounts.add(t.walletId());
            accounts.add(platform.computeIfAbsent(LedgerBatch.key(AccountKind.FUNDING, t.currency()),
                    k -> platformAccount(AccountKind.FUNDING, t.currency(), 0)));
        }
        for (Holding w : holding) {
            accounts.add(platform.computeIfAbsent(LedgerBatch.key(AccountKind.SETTLEMENT, w.currency()),
                    k -> platformAccount(AccountKind.SETTLEMENT, w.currency(), shards.pick())));
            accounts.add(w.walletId());
        }
        for (TransferCommand.Charge charge : charges) {
            accounts.add(charge.walletId());
            accounts.add(platform.computeIfAbsent(LedgerBatch.key(AccountKind.SETTLEMENT, charge.currency()),
                    k -> platformAccount(AccountKind.SETTLEMENT, charge.currency(), shards.pick())));
            lockSplit(charge.currency(), charge.split().connector(), platform, accounts, shards);
        }
        accounts.addAll(reversing);
        Pipeline pipeline = Pipeline.ofTransaction(template);
        Object[] ids = accounts.toArray();
        Pipeline.Rows<long[]> locked = ids.length == 0 ? null : pipeline.add("""
                select id, credits_posted - debits_posted - debits_pending, credit_limit_minor, low_balance_threshold_minor
                from accounts where id = any(:ids) order by id for update""",
                new MapSqlParameterSource("ids", bigint(ids)),
                (rs, n) -> new long[] {rs.getLong(1), rs.getLong(2), rs.getLong(3), rs.getLong(4)});
        Pipeline.Rows<LedgerBatch.EarlierTopUp> earlier = topUps.isEmpty() ? null : pipeline.add("""
                select credit_account_id, reference, id, amount_minor, wallet_opening_minor, wallet_closing_minor
                from transfers where code = 'TOPUP' and credit_account_id = any(:wallets) and reference = any(:references)""",
                new MapSqlParameterSource("wallets", bigint(topUps.stream().map(TransferCommand.TopUp::walletId).toArray()))
                        .addValue("references", text(topUps.stream().map(TransferCommand.TopUp::reference).toArray())),
                (rs, n) -> new LedgerBatch.EarlierTopUp(rs.getLong(1), rs.getString(2), rs.getLong(3), rs.getLong(4),
                        rs.getLong(5), rs.getLong(6)));
        return new LedgerBatch(platform, ids, locked, earlier, pipeline, walletEvents);
    }

    /** The platform accounts a split in {@code currency} through {@code connector} touches, picked and added to lock. */
    private void lockSplit(Currency currency, String connector, Map<String, Long> platform, TreeSet<Long> accounts,
                           Shards shards) {
        for (AccountKind kind : SPLIT_KINDS) {
            accounts.add(platform.computeIfAbsent(LedgerBatch.key(kind, currency),
                    k -> platformAccount(kind, currency, shards.pick())));
        }
        accounts.add(platform.computeIfAbsent(LedgerBatch.upstreamKey(connector, currency),
                k -> upstreamAccount(connector, currency, shards.pick())));
    }

    /** The sharded platform accounts a payment's split may touch, besides its settlement shard and upstream. */
    private static final List<AccountKind> SPLIT_KINDS = List.of(AccountKind.COMMISSION, AccountKind.REVENUE,
            AccountKind.TDS_PAYABLE, AccountKind.GST_PAYABLE);

    /**
     * Opens the UPSTREAM accounts of a connector (its shards, in every currency) unless they are open: when a
     * connector is created, and, for one created on another node or before this node knew it, the first time a
     * payment settles through it. Joins the caller's transaction.
     */
    @Transactional
    public void openUpstream(String connector) {
        jdbc.sql("""
                insert into accounts (kind, connector, currency, shard, must_not_overdraw)
                select 'UPSTREAM', :connector, c, s, false from unnest(:currencies) c, generate_series(0, :last) s
                on conflict do nothing""")
                .param("connector", connector)
                .param("currencies", text(java.util.Arrays.stream(Currency.values()).map(Currency::name).toArray()))
                .param("last", Shards.COUNT - 1).update();
    }

    /** A connector was created: its UPSTREAM accounts are opened in the same transaction. */
    @org.springframework.context.event.EventListener
    void connectorCreated(billswitch.routing.ConnectorCreated created) {
        openUpstream(created.name());
    }

    /**
     * A shard of the UPSTREAM account of {@code connector} in {@code currency}; opened (all its shards) when
     * missing, in the caller's transaction, and remembered only once that commits.
     */
    long upstreamAccount(String connector, Currency currency, int shard) {
        String key = AccountKind.UPSTREAM + "/" + connector + "/" + currency + "/" + shard;
        Long cached = platformAccounts.get(key);
        if (cached != null) {
            return cached;
        }
        java.util.Optional<Long> found = findUpstream(connector, currency, shard);
        if (found.isPresent()) {
            platformAccounts.put(key, found.get());
            return found.get();
        }
        openUpstream(connector);
        long id = findUpstream(connector, currency, shard).orElseThrow();
        AfterCommit.run(() -> platformAccounts.put(key, id));
        return id;
    }

    private java.util.Optional<Long> findUpstream(String connector, Currency currency, int shard) {
        return jdbc.sql("""
                select id from accounts
                where kind = 'UPSTREAM' and connector = :connector and currency = :currency and shard = :shard""")
                .param("connector", connector).param("currency", currency.name()).param("shard", shard)
                .query(Long.class).optional();
    }

    /**
     * The holds (PENDING transfers) of these orders, by order id; an order without one is absent. A hold
     * already posted or voided is still returned: resolving it again fails on the unique index.
     */
    public Map<Long, PendingHold> pendingHolds(List<Long> orderIds) {
        Map<Long, PendingHold> pending = new HashMap<>();
        jdbc.sql("""
                select id, order_id, debit_account_id, credit_account_id, amount_minor, currency
                from transfers where order_id = any(:orders) and kind = 'PENDING'""")
                .param("orders", bigint(orderIds))
                .query((rs, n) -> new PendingHold(rs.getLong(1), rs.getLong(2), rs.getLong(3), rs.getLong(4), rs.getLong(5),
                        Currency.valueOf(rs.getString(6))))
                .list().forEach(h -> pending.put(h.orderId(), h));
        return pending;
    }

    /**
     * The command refunding a settled order ({@link TransferCommand.Reverse}): its posted transfers not reversed yet
     * (any code but REVERSAL), found from its hold onward (transfers has no index on order_id beyond holds, so this
     * reads the transfers written since the order's hold: a back-office step, never on the payment path). Empty
     * when the order has none left to reverse. Refuses (NOT_REFUNDABLE) a payment settled before the ledger split
     * (V23): its money reached its upstream in V23's lump sum, not in a transfer of its own, so mirroring its posted
     * hold would take from the settlement accounts money that is no longer there.
     */
    public java.util.Optional<TransferCommand.Reverse> reversal(long orderId, long walletId, Currency currency) {
        record Posted(TransferCommand.Reversible transfer, String code) {
        }
        List<Posted> posted = jdbc.sql("""
                with hold as (select id from transfers where order_id = :order and kind = 'PENDING')
                select t.id, t.debit_account_id, t.credit_account_id, t.amount_minor, t.code
                from hold h join transfers t on t.id >= h.id
                where t.order_id = :order and t.kind in ('POSTED', 'POST_PENDING') and t.code <> 'REVERSAL'
                  and not exists (select 1 from transfers r where r.code = 'REVERSAL' and r.reference = 'reverses:' || t.id)
                order by t.id""")
                .param("order", orderId)
                .query((rs, n) -> new Posted(new TransferCommand.Reversible(rs.getLong(1), rs.getLong(2), rs.getLong(3),
                        rs.getLong(4)), rs.getString(5)))
                .list();
        if (posted.stream().anyMatch(p -> p.code().equals(TransferCode.PAYMENT.name()))
                && posted.stream().noneMatch(p -> p.code().equals(TransferCode.UPSTREAM.name()))) {
            throw new billswitch.shared.BillSwitchException(billswitch.shared.ErrorCode.NOT_REFUNDABLE, "Order " + orderId
                    + " was settled before the ledger kept each payment's upstream share: refund it by a top-up"
                    + " (POST /admin/partners/{id}/wallets/{currency}/top-ups) and settle it with the upstream by hand.");
        }
        return posted.isEmpty() ? java.util.Optional.empty()
                : java.util.Optional.of(new TransferCommand.Reverse(orderId, walletId, currency,
                        posted.stream().map(Posted::transfer).toList()));
    }

    /**
     * Adds the statement applying the deltas to accounts already locked and inserting the transfers; its
     * rows are the transfers' ids in the order added.
     */
    static Pipeline.Rows<Long> write(Pipeline pipeline, Map<Long, LedgerBatch.Delta> deltas, TransferBatch transfers) {
        int n = deltas.size();
        Object[] ids = new Object[n];
        Object[] dpe = new Object[n];
        Object[] dpo = new Object[n];
        Object[] cpe = new Object[n];
        Object[] cpo = new Object[n];
        int i = 0;
        for (Map.Entry<Long, LedgerBatch.Delta> e : deltas.entrySet()) {
            ids[i] = e.getKey();
            dpe[i] = e.getValue().debitsPending;
            dpo[i] = e.getValue().debitsPosted;
            cpe[i] = e.getValue().creditsPending;
            cpo[i] = e.getValue().creditsPosted;
            i++;
        }
        return pipeline.add("""
                with updated as (
                    update accounts a set debits_pending = a.debits_pending + v.dpe,
                        debits_posted = a.debits_posted + v.dpo, credits_pending = a.credits_pending + v.cpe,
                        credits_posted = a.credits_posted + v.cpo
                    from unnest(:ids, :dpe, :dpo, :cpe, :cpo) as v(id, dpe, dpo, cpe, cpo)
                    where a.id = v.id
                )
                """ + TransferBatch.INSERT, transfers.addParams(new MapSqlParameterSource()
                        .addValue("ids", bigint(ids)).addValue("dpe", bigint(dpe))
                        .addValue("dpo", bigint(dpo)).addValue("cpe", bigint(cpe))
                        .addValue("cpo", bigint(cpo))), (rs, k) -> rs.getLong(1));
    }

    public WalletBalance balance(long walletId) {
        return jdbc.sql("""
                select currency, credits_posted - debits_posted, debits_pending, credit_limit_minor,
                       low_balance_threshold_minor
                from accounts where id = :id""")
                .param("id", walletId)
                .query((rs, n) -> walletBalance(Currency.valueOf(rs.getString(1)), rs.getLong(2), rs.getLong(3),
                        rs.getLong(4), rs.getLong(5)))
                .single();
    }

    /** A wallet's state from its counters: available = balance - held + credit limit. */
    public static WalletBalance walletBalance(Currency currency, long balanceMinor, long heldMinor, long creditLimitMinor,
                                              long lowBalanceThresholdMinor) {
        return new WalletBalance(currency, balanceMinor, heldMinor, balanceMinor - heldMinor + creditLimitMinor,
                creditLimitMinor, lowBalanceThresholdMinor);
    }

    /** The wallet's transfers, newest first, before the given transfer id (keyset paging). */
    public List<StatementEntry> statement(long walletId, long beforeTransferId, int limit) {
        return jdbc.sql("""
                select id, kind, code, amount_minor, credit_account_id = :wallet as credit,
                       wallet_opening_minor, wallet_closing_minor, order_id, reference, created_at
                from transfers where wallet_account_id = :wallet and id < :before
                order by id desc limit :limit""")
                .param("wallet", walletId).param("before", beforeTransferId).param("limit", limit)
                .query((rs, n) -> new StatementEntry(rs.getLong(1), TransferKind.valueOf(rs.getString(2)),
                        TransferCode.valueOf(rs.getString(3)), rs.getLong(4),
                        direction(TransferKind.valueOf(rs.getString(2)), rs.getBoolean(5)), rs.getLong(6), rs.getLong(7),
                        (Long) rs.getObject(8), rs.getString(9), rs.getObject(10, OffsetDateTime.class).toInstant()))
                .list();
    }

    /**
     * An order's transfers on its partner's wallet, oldest first, each with the wallet's available balance before and
     * after: its hold, the hold posted or voided, its commission, a charge after a contested refund. Found from the
     * hold (one per order, indexed), then along the wallet's transfers from it (transfers_wallet).
     */
    public List<StatementEntry> orderTransfers(long orderId) {
        return jdbc.sql("""
                with hold as (select id, wallet_account_id from transfers where order_id = :order and kind = 'PENDING')
                select t.id, t.kind, t.code, t.amount_minor, t.credit_account_id = t.wallet_account_id as credit,
                       t.wallet_opening_minor, t.wallet_closing_minor, t.order_id, t.reference, t.created_at
                from hold h join transfers t on t.wallet_account_id = h.wallet_account_id and t.id >= h.id
                where t.order_id = :order or t.pending_id = h.id
                order by t.id limit 20""")
                .param("order", orderId)
                .query((rs, n) -> new StatementEntry(rs.getLong(1), TransferKind.valueOf(rs.getString(2)),
                        TransferCode.valueOf(rs.getString(3)), rs.getLong(4),
                        direction(TransferKind.valueOf(rs.getString(2)), rs.getBoolean(5)), rs.getLong(6), rs.getLong(7),
                        (Long) rs.getObject(8), rs.getString(9), rs.getObject(10, OffsetDateTime.class).toInstant()))
                .list();
    }

    /**
     * One transfer of an order's money as finance reads it: from which kind of account to which (an UPSTREAM account
     * with its connector), how much and why.
     */
    public record Movement(long transferId, TransferKind kind, TransferCode code, AccountKind from, AccountKind to,
                           String connector, long amountMinor, Instant at) {
    }

    /**
     * Where every minor unit of an order went: its hold, the hold posted or voided, and every transfer of its split
     * (or of a charge and its split), oldest first. The hold is found by its index; its resolution by pending_id; the
     * split follows the posting transfer closely (one statement writes them in order, so their ids follow it, at most
     * interleaved with the ids of a few concurrent writes: read within 64 ids of it by the primary key), a charge is
     * found along the wallet's transfers from the hold (transfers_wallet), and a complaint's REVERSAL of any of them
     * by the reference naming it (transfers_one_reversal).
     */
    public List<Movement> orderMoney(long orderId) {
        return jdbc.sql("""
                with hold as (select id, wallet_account_id from transfers where order_id = :order and kind = 'PENDING'),
                postings as (
                    select t.id from hold h join transfers t on t.pending_id = h.id
                    union all
                    select t.id from hold h join transfers t on t.wallet_account_id = h.wallet_account_id and t.id > h.id
                    where t.order_id = :order and t.kind = 'POSTED' and t.code = 'PAYMENT'
                ),
                ids as (
                    select id from hold
                    union select id from postings
                    union select t.id from postings p join transfers t on t.id > p.id and t.id <= p.id + 64
                    where t.order_id = :order and t.kind = 'POSTED' and t.code <> 'PAYMENT'
                ),
                moved as (
                    select id from ids
                    union select r.id from ids join transfers r
                        on r.code = 'REVERSAL' and r.reference = 'reverses:' || ids.id
                )
                select t.id, t.kind, t.code, d.kind, c.kind, coalesce(c.connector, d.connector), t.amount_minor, t.created_at
                from moved ids join transfers t on t.id = ids.id
                join accounts d on d.id = t.debit_account_id join accounts c on c.id = t.credit_account_id
                order by t.id""")
                .param("order", orderId)
                .query((rs, n) -> new Movement(rs.getLong(1), TransferKind.valueOf(rs.getString(2)),
                        TransferCode.valueOf(rs.getString(3)), AccountKind.valueOf(rs.getString(4)),
                        AccountKind.valueOf(rs.getString(5)), rs.getString(6), rs.getLong(7),
                        rs.getObject(8, OffsetDateTime.class).toInstant()))
                .list();
    }

    /**
     * A statement entry's type as partners read it: HOLD (a payment's hold), SETTLED (the hold posted), REFUND (the
     * hold voided), or the code of a posted transfer (TOPUP...).
     */
    public static String entryType(TransferKind kind, TransferCode code) {
        return switch (kind) {
            case PENDING -> "HOLD";
            case POST_PENDING -> "SETTLED";
            case VOID_PENDING -> "REFUND";
            case POSTED -> code.name();
        };
    }

    /** How a transfer moved the wallet's available balance. */
    public static Direction direction(TransferKind kind, boolean walletCredited) {
        return switch (kind) {
            case POST_PENDING -> Direction.NONE;
            case VOID_PENDING -> Direction.CREDIT;
            case POSTED, PENDING -> walletCredited ? Direction.CREDIT : Direction.DEBIT;
        };
    }

    long platformAccount(AccountKind kind, Currency currency, int shard) {
        return platformAccounts.computeIfAbsent(kind + "/" + currency + "/" + shard, key ->
                jdbc.sql("select id from accounts where kind = :kind and currency = :currency and shard = :shard and partner_id is null and connector is null")
                        .param("kind", kind.name()).param("currency", currency.name()).param("shard", shard)
                        .query(Long.class).single());
    }
}
