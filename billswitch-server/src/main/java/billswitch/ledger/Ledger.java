package billswitch.ledger;

import static billswitch.infra.db.SqlArrays.bigint;

import billswitch.shared.BillSwitchException;
import billswitch.shared.Currency;
import billswitch.shared.ErrorCode;
import billswitch.infra.db.Pipeline;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
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
    private final JdbcTemplate template;
    private final Map<String, Long> platformAccounts = new ConcurrentHashMap<>();
    private final Map<String, Long> wallets = new ConcurrentHashMap<>();

    Ledger(JdbcClient jdbc, JdbcTemplate template) {
        this.jdbc = jdbc;
        this.template = template;
    }

    /** A wallet's state: balance = credits - debits posted; available = balance - held. */
    public record WalletBalance(Currency currency, long balanceMinor, long heldMinor, long availableMinor) {
    }

    /** The pending transfer holding a payment's money, with the wallet's available balance around it. */
    public record Hold(PendingHold pending, long openingMinor, long closingMinor) {
        public long transferId() {
            return pending.transferId();
        }

        public long amountMinor() {
            return pending.amountMinor();
        }
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
        // The wallet, then the funding account, which only top-ups touch (batches lock all their accounts
        // in id order, never the funding account): no cycle of waits between the two.
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

    /** Money to hold for an order: from the wallet, in its currency. */
    public record HoldRequest(long orderId, long walletId, Currency currency, long amountMinor) {
        public HoldRequest {
            if (amountMinor <= 0) {
                throw new IllegalArgumentException("hold amount must be positive");
            }
        }
    }

    /** The PENDING transfer that holds one order's money, from the wallet to a settlement shard. */
    public record PendingHold(long transferId, long orderId, long walletId, long settlementId, long amountMinor,
                              Currency currency) {
    }

    /**
     * How an order's hold ends: posted (the payment is final, with the partner's commission) or voided. The
     * hold is as read in the resolving transaction ({@link #pendingHolds}) or carried from its placement: a
     * hold's accounts and amount never change, and the order's guarded state change in the resolving
     * transaction is what says it is still pending.
     */
    public record Resolution(PendingHold hold, boolean post, long commissionMinor) {
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


    /** What {@link #apply} did: each resolution's wallet balance after it, and each hold (null: refused). */
    public static final class Applied {
        private final List<Long> closings;
        private final Hold[] holds;
        private final TransferBatch transfers;
        private final Pipeline.Rows<Long> ids;

        private Applied(List<Long> closings, Hold[] holds, TransferBatch transfers, Pipeline.Rows<Long> ids) {
            this.closings = closings;
            this.holds = holds;
            this.transfers = transfers;
            this.ids = ids;
        }

        public List<Long> closings() {
            return closings;
        }

        /** Whether the k-th hold was refused: known before the write runs. */
        public boolean refused(int k) {
            return holds[k] == null;
        }

        /** Once the write has run: each hold, with its transfer's id (null: refused). */
        public List<Hold> holds() {
            Hold[] written = holds.clone();
            if (ids != null) {
                List<Long> list = ids.list();
                for (int k = 0; k < list.size(); k++) {
                    int item = transfers.item(k);
                    if (item >= 0) {
                        Hold h = holds[item];
                        PendingHold p = h.pending();
                        written[item] = new Hold(new PendingHold(list.get(k), p.orderId(), p.walletId(), p.settlementId(),
                                p.amountMinor(), p.currency()), h.openingMinor(), h.closingMinor());
                    }
                }
            }
            return Arrays.asList(written);
        }
    }

    /** A wallet a batch may place holds on, in its currency. */
    public record Holding(long walletId, Currency currency) {
    }

    /**
     * The accounts one {@link #apply} call may touch, locked in advance by a statement sent with the
     * caller's other first statements (one round trip for all), with the platform shards picked for the
     * call: one settlement shard per currency held in, one commission shard per currency resolved in, each
     * at random so concurrent batches rarely share one.
     */
    public static final class Locks {
        private final Map<Currency, Long> settlementShards;
        private final Map<Currency, Long> commissionShards;
        private final Object[] ids;
        private final Pipeline.Rows<long[]> rows;
        private Map<Long, Long> available;

        private Locks(Map<Currency, Long> settlementShards, Map<Currency, Long> commissionShards, Object[] ids,
                      Pipeline.Rows<long[]> rows) {
            this.settlementShards = settlementShards;
            this.commissionShards = commissionShards;
            this.ids = ids;
            this.rows = rows;
        }

        /** Each locked account's available balance (credits posted - debits posted - debits pending). */
        private Map<Long, Long> available() {
            if (available == null) {
                available = new HashMap<>();
                if (rows != null) {
                    rows.list().forEach(r -> available.put(r[0], r[1]));
                }
                if (available.size() != ids.length) {
                    throw new IllegalStateException("no such account among " + Arrays.toString(ids));
                }
            }
            return available;
        }

        private long balance(long accountId) {
            Long balance = available().get(accountId);
            if (balance == null) {
                throw new IllegalStateException("account " + accountId + " was not locked for this call");
            }
            return balance;
        }

        private static long shard(Map<Currency, Long> shards, Currency currency) {
            Long shard = shards.get(currency);
            if (shard == null) {
                throw new IllegalStateException("no shard was locked for " + currency);
            }
            return shard;
        }
    }

    /**
     * Adds to the pipeline the statement locking the accounts that resolving these holds and holding money
     * on these wallets touch: in id order, as every batch locks, so two batches never wait on each other in
     * a cycle. Fails, once run, unless every account exists: transfers have no foreign keys, this is what
     * keeps them pointing at real accounts. Holds resolved are as read (or carried from their placement)
     * in the resolving transaction. The caller is one of {@code lanes} that run side by side: the platform
     * shards it picks are those numbered {@code lane} modulo {@code lanes}, which no other lane picks, so
     * lanes whose wallets differ never wait on each other's locks.
     */
    public Locks lock(Pipeline pipeline, List<PendingHold> resolving, List<Holding> holding, int lane, int lanes) {
        if (lanes < 1 || lanes > SHARDS || lane < 0 || lane >= lanes) {
            throw new IllegalArgumentException("lane " + lane + " of " + lanes + " (at most " + SHARDS + " lanes)");
        }
        Map<Currency, Long> commissionShards = new HashMap<>();
        Map<Currency, Long> settlementShards = new HashMap<>();
        TreeSet<Long> accounts = new TreeSet<>();
        for (PendingHold h : resolving) {
            accounts.add(h.walletId());
            accounts.add(h.settlementId());
            accounts.add(commissionShards.computeIfAbsent(h.currency(),
                    c -> platformAccount("COMMISSION", c, shardOf(lane, lanes))));
        }
        for (Holding w : holding) {
            accounts.add(settlementShards.computeIfAbsent(w.currency(),
                    c -> platformAccount("SETTLEMENT", c, shardOf(lane, lanes))));
            accounts.add(w.walletId());
        }
        Object[] ids = accounts.toArray();
        return new Locks(settlementShards, commissionShards, ids, ids.length == 0 ? null : pipeline.add("""
                select id, credits_posted - debits_posted - debits_pending from accounts
                where id = any(:ids) order by id for update""",
                new MapSqlParameterSource("ids", bigint(ids)), (rs, n) -> new long[] {rs.getLong(1), rs.getLong(2)}));
    }

    /**
     * Resolves holds and places new ones in one go, as TigerBeetle batches transfers: all the accounts
     * involved are locked by one statement, each is updated once, and all transfers are written by one
     * statement: {@link #lock}, then {@link #apply(Pipeline, Locks, List, List)}, each run at once.
     */
    @Transactional(propagation = Propagation.MANDATORY)
    public Applied apply(List<Resolution> resolutions, List<HoldRequest> requests) {
        Pipeline pipeline = new Pipeline(template);
        Locks locks = lock(pipeline, resolutions.stream().map(Resolution::hold).toList(),
                requests.stream().map(r -> new Holding(r.walletId(), r.currency())).toList(), 0, 1);
        pipeline.run();
        Pipeline write = new Pipeline(template);
        Applied applied = apply(write, locks, resolutions, requests);
        write.run();
        return applied;
    }

    /**
     * Resolves holds and places new ones on accounts locked before ({@link #lock}, run): works out every
     * account's change and every transfer against the locked balances, and adds to the pipeline the one
     * statement that updates each account once and inserts all the transfers; the caller runs it (with
     * the commit, in a batch). Which holds were refused is known at once; their transfer ids once it ran.
     * <p>
     * Resolutions come first (a refund can fund a hold of the same batch): each posts its hold (the payment
     * is final, and the partner's commission is credited from a commission shard) or voids it (the money
     * is back). A hold resolved before makes the write fail (unique index on pending_id).
     * <p>
     * Then the holds, served in order against the locked balances: one the wallet cannot cover at its turn
     * is refused (null, nothing moved) while later, smaller ones may still fit. New holds credit the
     * settlement shard locked for their currency.
     */
    @Transactional(propagation = Propagation.MANDATORY)
    public Applied apply(Pipeline pipeline, Locks locks, List<Resolution> resolutions, List<HoldRequest> requests) {
        Map<Long, Delta> deltas = new TreeMap<>();
        TransferBatch transfers = new TransferBatch();
        List<Long> closings = resolve(resolutions, locks, deltas, transfers);
        Hold[] holds = hold(requests, locks, deltas, transfers);
        return new Applied(closings, holds, transfers, transfers.isEmpty() ? null : write(pipeline, deltas, transfers));
    }

    /** Posts or voids many holds: {@link #apply} with nothing to hold. Returns each wallet's balance after. */
    @Transactional(propagation = Propagation.MANDATORY)
    public List<Long> resolveAll(List<Resolution> resolutions) {
        return apply(resolutions, List.of()).closings();
    }

    /** The resolutions' transfers and counter changes, against the locked balances; each wallet's balance after. */
    private static List<Long> resolve(List<Resolution> resolutions, Locks locks, Map<Long, Delta> deltas,
                                      TransferBatch transfers) {
        List<Long> closings = new ArrayList<>();
        for (Resolution r : resolutions) {
            PendingHold h = r.hold();
            long opening = locks.balance(h.walletId());
            locks.balance(h.settlementId());
            Delta wallet = deltas.computeIfAbsent(h.walletId(), id -> new Delta());
            Delta settlement = deltas.computeIfAbsent(h.settlementId(), id -> new Delta());
            wallet.debitsPending -= h.amountMinor();
            settlement.creditsPending -= h.amountMinor();
            long closing;
            if (r.post()) {
                wallet.debitsPosted += h.amountMinor();
                settlement.creditsPosted += h.amountMinor();
                transfers.add(TransferBatch.NO_ITEM, "POST_PENDING", h.transferId(), h.walletId(), h.settlementId(),
                        h.amountMinor(), h.currency(), "PAYMENT", h.orderId(), h.walletId(), opening, opening);
                closing = opening;
                if (r.commissionMinor() > 0) {
                    long commission = Locks.shard(locks.commissionShards, h.currency());
                    deltas.computeIfAbsent(commission, id -> new Delta()).debitsPosted += r.commissionMinor();
                    wallet.creditsPosted += r.commissionMinor();
                    closing = opening + r.commissionMinor();
                    transfers.add(TransferBatch.NO_ITEM, "POSTED", null, commission, h.walletId(), r.commissionMinor(),
                            h.currency(), "COMMISSION", h.orderId(), h.walletId(), opening, closing);
                }
            } else {
                closing = opening + h.amountMinor();
                transfers.add(TransferBatch.NO_ITEM, "VOID_PENDING", h.transferId(), h.walletId(), h.settlementId(),
                        h.amountMinor(), h.currency(), "REFUND", h.orderId(), h.walletId(), opening, closing);
            }
            locks.available().put(h.walletId(), closing);
            closings.add(closing);
        }
        return closings;
    }

    /** The holds' transfers and counter changes, served in order against the locked balances (null: refused). */
    private static Hold[] hold(List<HoldRequest> requests, Locks locks, Map<Long, Delta> deltas, TransferBatch transfers) {
        Hold[] holds = new Hold[requests.size()];
        for (int i = 0; i < requests.size(); i++) {
            HoldRequest r = requests.get(i);
            long shard = Locks.shard(locks.settlementShards, r.currency());
            long opening = locks.balance(r.walletId());
            if (opening < r.amountMinor()) {
                continue;
            }
            long closing = opening - r.amountMinor();
            locks.available().put(r.walletId(), closing);
            deltas.computeIfAbsent(r.walletId(), id -> new Delta()).debitsPending += r.amountMinor();
            deltas.computeIfAbsent(shard, id -> new Delta()).creditsPending += r.amountMinor();
            transfers.add(i, "PENDING", null, r.walletId(), shard, r.amountMinor(), r.currency(), "PAYMENT", r.orderId(),
                    r.walletId(), opening, closing);
            holds[i] = new Hold(new PendingHold(0, r.orderId(), r.walletId(), shard, r.amountMinor(), r.currency()),
                    opening, closing);
        }
        return holds;
    }

    /** How much one operation changes an account's four counters. */
    private static final class Delta {
        long debitsPending;
        long debitsPosted;
        long creditsPending;
        long creditsPosted;
    }

    /**
     * Adds the statement applying the deltas to accounts already locked and inserting the transfers; its
     * rows are the transfers' ids in the order added.
     */
    private static Pipeline.Rows<Long> write(Pipeline pipeline, Map<Long, Delta> deltas, TransferBatch transfers) {
        int n = deltas.size();
        Object[] ids = new Object[n];
        Object[] dpe = new Object[n];
        Object[] dpo = new Object[n];
        Object[] cpe = new Object[n];
        Object[] cpo = new Object[n];
        int i = 0;
        for (Map.Entry<Long, Delta> e : deltas.entrySet()) {
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

    /** A platform shard at random among those of the lane: lane, lane + lanes, lane + 2 x lanes, ... */
    private static int shardOf(int lane, int lanes) {
        int owned = (SHARDS - lane + lanes - 1) / lanes;
        return lane + lanes * ThreadLocalRandom.current().nextInt(owned);
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
