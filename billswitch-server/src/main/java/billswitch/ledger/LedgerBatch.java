package billswitch.ledger;

import billswitch.infra.db.Pipeline;
import billswitch.shared.Currency;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The accounts of one batch of transfer commands, locked in the caller's transaction ({@link Ledger#lock}),
 * with the platform shards picked for it: one settlement shard per currency held or charged in, one commission
 * shard per currency posted or charged in. {@link #execute} decides every command against the locked balances in order, and
 * queues one statement that updates each account once and inserts all the transfers.
 */
public final class LedgerBatch {
    private final Map<Currency, Long> settlementShards;
    private final Map<Currency, Long> commissionShards;
    private final Map<Currency, Long> fundingAccounts;
    private final Object[] ids;
    private final Pipeline.Rows<long[]> locked;
    private final Pipeline.Rows<EarlierTopUp> earlierTopUps;
    private final Pipeline pipeline;
    private Map<Long, Long> available;
    private boolean executed;

    /** A top-up written before, found by its wallet and reference. */
    record EarlierTopUp(long walletId, String reference, long transferId, long amountMinor, long openingMinor,
                        long closingMinor) {
    }

    LedgerBatch(Map<Currency, Long> settlementShards, Map<Currency, Long> commissionShards,
                Map<Currency, Long> fundingAccounts, Object[] ids, Pipeline.Rows<long[]> locked,
                Pipeline.Rows<EarlierTopUp> earlierTopUps, Pipeline pipeline) {
        this.settlementShards = settlementShards;
        this.commissionShards = commissionShards;
        this.fundingAccounts = fundingAccounts;
        this.ids = ids;
        this.locked = locked;
        this.earlierTopUps = earlierTopUps;
        this.pipeline = pipeline;
    }

    /**
     * Applies the commands in order, against the balances locked (so a refund placed before a hold can fund
     * it): each Post and Void resolves its hold, each Hold and Charge is served if the wallet's available balance
     * covers it at its turn (else EXCEEDS_AVAILABLE, and later smaller ones may still fit), each TopUp credits its
     * wallet once per reference. The results are known at once; the write is queued on the transaction's
     * pipeline and runs with the caller's next round trip. A hold resolved before makes that write fail
     * (unique index on pending_id). Once per batch.
     */
    public Results execute(List<TransferCommand> commands) {
        if (executed) {
            throw new IllegalStateException("a ledger batch executes once");
        }
        executed = true;
        int n = commands.size();
        TransferResult[] results = new TransferResult[n];
        long[] openings = new long[n];
        long[] closings = new long[n];
        long[] settlements = new long[n];
        long[] earlier = new long[n];
        Map<Long, Delta> deltas = new TreeMap<>();
        TransferBatch transfers = new TransferBatch();
        Map<String, EarlierTopUp> topUpsBefore = topUpsBefore();
        for (int i = 0; i < n; i++) {
            TransferResult result = TransferResult.OK;
            switch (commands.get(i)) {
                case TransferCommand.Post post -> {
                    PendingHold h = post.hold();
                    long opening = release(h, deltas);
                    deltas.get(h.walletId()).debitsPosted += h.amountMinor();
                    deltas.get(h.settlementId()).creditsPosted += h.amountMinor();
                    transfers.add(i, TransferKind.POST_PENDING, h.transferId(), h.walletId(), h.settlementId(),
                            h.amountMinor(), h.currency(), TransferCode.PAYMENT, h.orderId(), null, h.walletId(),
                            opening, opening);
                    openings[i] = opening;
                    closings[i] = credit(post.commissionMinor(), h.walletId(), h.currency(), h.orderId(), opening, deltas,
                            transfers);
                }
                case TransferCommand.Void v -> {
                    PendingHold h = v.hold();
                    long opening = release(h, deltas);
                    long closing = opening + h.amountMinor();
                    transfers.add(i, TransferKind.VOID_PENDING, h.transferId(), h.walletId(), h.settlementId(),
                            h.amountMinor(), h.currency(), TransferCode.REFUND, h.orderId(), null, h.walletId(),
                            opening, closing);
                    openings[i] = opening;
                    closings[i] = closing;
                }
                case TransferCommand.Hold h -> {
                    long shard = account(settlementShards, h.currency());
                    long opening = balance(h.walletId());
                    openings[i] = opening;
                    if (opening < h.amountMinor()) {
                        result = TransferResult.EXCEEDS_AVAILABLE;
                        closings[i] = opening;
                        break;
                    }
                    long closing = opening - h.amountMinor();
                    deltas.computeIfAbsent(h.walletId(), id -> new Delta()).debitsPending += h.amountMinor();
                    deltas.computeIfAbsent(shard, id -> new Delta()).creditsPending += h.amountMinor();
                    transfers.add(i, TransferKind.PENDING, null, h.walletId(), shard, h.amountMinor(), h.currency(),
                            TransferCode.PAYMENT, h.orderId(), null, h.walletId(), opening, closing);
                    settlements[i] = shard;
                    closings[i] = closing;
                }
                case TransferCommand.Charge c -> {
                    long shard = account(settlementShards, c.currency());
                    long opening = balance(c.walletId());
                    openings[i] = opening;
                    if (opening < c.amountMinor()) {
                        result = TransferResult.EXCEEDS_AVAILABLE;
                        closings[i] = opening;
                        break;
                    }
                    long closing = opening - c.amountMinor();
                    deltas.computeIfAbsent(c.walletId(), id -> new Delta()).debitsPosted += c.amountMinor();
                    deltas.computeIfAbsent(shard, id -> new Delta()).creditsPosted += c.amountMinor();
                    transfers.add(i, TransferKind.POSTED, null, c.walletId(), shard, c.amountMinor(), c.currency(),
                            TransferCode.PAYMENT, c.orderId(), null, c.walletId(), opening, closing);
                    closings[i] = credit(c.commissionMinor(), c.walletId(), c.currency(), c.orderId(), closing, deltas,
                            transfers);
                }
                case TransferCommand.Reverse r -> {
                    Reversals.Reversed done = Reversals.apply(r, i, available(), deltas, transfers);
                    result = done.result();
                    openings[i] = done.openingMinor();
                    closings[i] = done.closingMinor();
                }
                case TransferCommand.TopUp t -> {
                    EarlierTopUp before = topUpsBefore.get(t.walletId() + "\n" + t.reference());
                    if (before != null) {
                        result = before.amountMinor() != t.amountMinor()
                                ? TransferResult.EXISTS_WITH_DIFFERENT_AMOUNT : TransferResult.EXISTS;
                        openings[i] = before.openingMinor();
                        closings[i] = before.closingMinor();
                        earlier[i] = before.transferId();
                        break;
                    }
                    long funding = account(fundingAccounts, t.currency());
                    long opening = balance(t.walletId());
                    balance(funding);
                    long closing = opening + t.amountMinor();
                    deltas.computeIfAbsent(t.walletId(), id -> new Delta()).creditsPosted += t.amountMinor();
                    deltas.computeIfAbsent(funding, id -> new Delta()).debitsPosted += t.amountMinor();
                    transfers.add(i, TransferKind.POSTED, null, funding, t.walletId(), t.amountMinor(), t.currency(),
                            TransferCode.TOPUP, null, t.reference(), t.walletId(), opening, closing);
                    // A second top-up of the same reference in this batch finds this one (by its index: its id
                    // is known once the write has run).
                    topUpsBefore.put(t.walletId() + "\n" + t.reference(),
                            new EarlierTopUp(t.walletId(), t.reference(), -1L - i, t.amountMinor(), opening, closing));
                    openings[i] = opening;
                    closings[i] = closing;
                }
            }
            results[i] = result;
            if (result.ok()) {
                available().put(walletOf(commands.get(i)), closings[i]);
            }
        }
        return new Results(commands, results, openings, closings, settlements, earlier, transfers,
                transfers.isEmpty() ? null : Ledger.write(pipeline, deltas, transfers));
    }

    /**
     * Credits an order's commission (0: none) to its wallet from the batch's commission shard; the wallet's
     * available balance after, from {@code opening} before.
     */
    private long credit(long commissionMinor, long walletId, Currency currency, long orderId, long opening,
                        Map<Long, Delta> deltas, TransferBatch transfers) {
        if (commissionMinor == 0) {
            return opening;
        }
        long commission = account(commissionShards, currency);
        deltas.computeIfAbsent(commission, id -> new Delta()).debitsPosted += commissionMinor;
        deltas.computeIfAbsent(walletId, id -> new Delta()).creditsPosted += commissionMinor;
        long closing = opening + commissionMinor;
        transfers.add(TransferBatch.NO_ITEM, TransferKind.POSTED, null, commission, walletId, commissionMinor, currency,
                TransferCode.COMMISSION, orderId, null, walletId, opening, closing);
        return closing;
    }

    /** Takes a hold off the pending counters of its wallet and shard; the wallet's available balance before. */
    private long release(PendingHold h, Map<Long, Delta> deltas) {
        long opening = balance(h.walletId());
        balance(h.settlementId());
        deltas.computeIfAbsent(h.walletId(), id -> new Delta()).debitsPending -= h.amountMinor();
        deltas.computeIfAbsent(h.settlementId(), id -> new Delta()).creditsPending -= h.amountMinor();
        return opening;
    }

    private static long walletOf(TransferCommand command) {
        return switch (command) {
            case TransferCommand.Post p -> p.hold().walletId();
            case TransferCommand.Void v -> v.hold().walletId();
            case TransferCommand.Hold h -> h.walletId();
            case TransferCommand.TopUp t -> t.walletId();
            case TransferCommand.Charge c -> c.walletId();
            case TransferCommand.Reverse r -> r.walletId();
        };
    }

    private Map<String, EarlierTopUp> topUpsBefore() {
        Map<String, EarlierTopUp> before = new HashMap<>();
        if (earlierTopUps != null) {
            earlierTopUps.list().forEach(t -> before.put(t.walletId() + "\n" + t.reference(), t));
        }
        return before;
    }

    /** Each locked account's available balance (credits posted - debits posted - debits pending). */
    private Map<Long, Long> available() {
        if (available == null) {
            available = new HashMap<>();
            if (locked != null) {
                locked.list().forEach(r -> available.put(r[0], r[1]));
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
            throw new IllegalStateException("account " + accountId + " was not locked for this batch");
        }
        return balance;
    }

    private static long account(Map<Currency, Long> accounts, Currency currency) {
        Long account = accounts.get(currency);
        if (account == null) {
            throw new IllegalStateException("no " + currency + " platform account was locked for this batch");
        }
        return account;
    }

    /** How much one batch changes an account's four counters. */
    static final class Delta {
        long debitsPending;
        long debitsPosted;
        long creditsPending;
        long creditsPosted;
    }
}
