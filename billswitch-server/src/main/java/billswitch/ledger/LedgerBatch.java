package billswitch.ledger;

import billswitch.infra.db.Pipeline;
import billswitch.shared.Currency;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The accounts of one batch of transfer commands, locked in the caller's transaction ({@link Ledger#lock}),
 * with the platform shards picked for it: one settlement shard per currency held or charged in, and for a payment
 * that may settle, one commission, revenue, TDS and GST shard per currency and a shard of its upstream's account. {@link #execute} decides every command against the locked balances in order, and
 * queues one statement that updates each account once and inserts all the transfers.
 */
public final class LedgerBatch {
    /** The platform accounts picked for the batch, by {@link #key} and {@link #upstreamKey}. */
    private final Map<String, Long> platform;
    private final Object[] ids;
    private final Pipeline.Rows<long[]> locked;
    private final Pipeline.Rows<EarlierTopUp> earlierTopUps;
    private final Pipeline pipeline;
    private final List<WalletEvents> walletEvents;
    private Map<Long, Long> available;
    /** Each locked account's credit limit and low-balance threshold (0 both for platform accounts). */
    private Map<Long, long[]> walletTerms;
    private boolean executed;

    /** A top-up written before, found by its wallet and reference. */
    record EarlierTopUp(long walletId, String reference, long transferId, long amountMinor, long openingMinor,
                        long closingMinor) {
    }

    LedgerBatch(Map<String, Long> platform, Object[] ids, Pipeline.Rows<long[]> locked,
                Pipeline.Rows<EarlierTopUp> earlierTopUps, Pipeline pipeline, List<WalletEvents> walletEvents) {
        this.platform = platform;
        this.ids = ids;
        this.locked = locked;
        this.earlierTopUps = earlierTopUps;
        this.pipeline = pipeline;
        this.walletEvents = walletEvents;
    }

    /**
     * Applies the commands in order, against the balances locked (so a refund placed before a hold can fund
     * it): each Post and Void resolves its hold, each Hold and Charge is served if the wallet's available balance
     * and its credit limit cover it at its turn (else EXCEEDS_AVAILABLE, and later smaller ones may still fit), each TopUp credits its
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
        List<WalletEvents.LowBalance> lowBalances = null;
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
                    closings[i] = split(post.split(), h.amountMinor(), h.settlementId(), h.walletId(), h.currency(),
                            h.orderId(), opening, deltas, transfers);
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
                    long shard = account(AccountKind.SETTLEMENT, h.currency());
                    long opening = balance(h.walletId());
                    openings[i] = opening;
                    if (opening + creditLimit(h.walletId()) < h.amountMinor()) {
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
                    long shard = account(AccountKind.SETTLEMENT, c.currency());
                    long opening = balance(c.walletId());
                    openings[i] = opening;
                    if (opening + creditLimit(c.walletId()) < c.amountMinor()) {
                        result = TransferResult.EXCEEDS_AVAILABLE;
                        closings[i] = opening;
                        break;
                    }
                    long closing = opening - c.amountMinor();
                    deltas.computeIfAbsent(c.walletId(), id -> new Delta()).debitsPosted += c.amountMinor();
                    deltas.computeIfAbsent(shard, id -> new Delta()).creditsPosted += c.amountMinor();
                    transfers.add(i, TransferKind.POSTED, null, c.walletId(), shard, c.amountMinor(), c.currency(),
                            TransferCode.PAYMENT, c.orderId(), null, c.walletId(), opening, closing);
                    closings[i] = split(c.split(), c.amountMinor(), shard, c.walletId(), c.currency(), c.orderId(),
                            closing, deltas, transfers);
                }
                case TransferCommand.Reverse r -> {
                    Reversals.Reversed done = Reversals.apply(r, i, available(), creditLimit(r.walletId()), deltas, transfers);
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
                    long funding = account(AccountKind.FUNDING, t.currency());
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
                WalletEvents.LowBalance low = lowBalance(commands.get(i), openings[i], closings[i]);
                if (low != null) {
                    (lowBalances == null ? lowBalances = new ArrayList<>() : lowBalances).add(low);
                }
            }
        }
        Results done = new Results(commands, results, openings, closings, settlements, earlier, transfers,
                transfers.isEmpty() ? null : Ledger.write(pipeline, deltas, transfers));
        if (lowBalances != null) {
            for (WalletEvents events : walletEvents) {
                events.lowBalance(pipeline, lowBalances);
            }
        }
        return done;
    }

    /**
     * The low-balance crossing a command made, or null: its wallet's available balance with the credit limit went
     * from at or above the wallet's threshold (0: none) to below it, by a transfer of an order.
     */
    private WalletEvents.LowBalance lowBalance(TransferCommand command, long opening, long closing) {
        long wallet = walletOf(command);
        long[] terms = walletTerms.get(wallet);
        long limit = terms[0];
        long threshold = terms[1];
        Long order = orderOf(command);
        if (threshold == 0 || order == null || opening + limit < threshold || closing + limit >= threshold) {
            return null;
        }
        return new WalletEvents.LowBalance(wallet, order, threshold, opening + limit, closing + limit, limit);
    }

    private static Long orderOf(TransferCommand command) {
        return switch (command) {
            case TransferCommand.Post p -> p.hold().orderId();
            case TransferCommand.Void v -> v.hold().orderId();
            case TransferCommand.Hold h -> h.orderId();
            case TransferCommand.TopUp t -> null;
            case TransferCommand.Charge c -> c.orderId();
            case TransferCommand.Reverse r -> r.orderId();
        };
    }

    /** How far below zero the locked account may go (its credit limit; 0 for platform accounts). */
    private long creditLimit(long accountId) {
        available();
        return walletTerms.get(accountId)[0];
    }

    /**
     * Splits a settled payment's {@code debitMinor}, posted to {@code settlement}, as {@link TransferCommand.Split}
     * says: the commission to the wallet and its TDS back, the fee to revenue, its GST to GST payable, the CCF to
     * revenue, the rest (the amount) to the upstream, and the upstream's own commission and fee. Zero amounts write
     * nothing. Returns the wallet's available balance after, from {@code opening} before.
     */
    private long split(TransferCommand.Split split, long debitMinor, long settlement, long walletId, Currency currency,
                       long orderId, long opening, Map<Long, Delta> deltas, TransferBatch transfers) {
        long upstreamMinor = split.upstreamMinor(debitMinor);
        long closing = opening;
        if (split.commissionMinor() > 0) {
            long after = closing + split.commissionMinor();
            move(account(AccountKind.COMMISSION, currency), walletId, split.commissionMinor(), currency,
                    TransferCode.COMMISSION, orderId, walletId, closing, after, deltas, transfers);
            closing = after;
        }
        if (split.tdsMinor() > 0) {
            long after = closing - split.tdsMinor();
            move(walletId, account(AccountKind.TDS_PAYABLE, currency), split.tdsMinor(), currency, TransferCode.TDS,
                    orderId, walletId, closing, after, deltas, transfers);
            closing = after;
        }
        long revenue = split.feeMinor() > 0 || split.ccfMinor() > 0 || split.upstreamCommissionMinor() > 0
                || split.upstreamFeeMinor() > 0 ? account(AccountKind.REVENUE, currency) : 0;
        long upstream = upstream(split.connector(), currency);
        if (split.feeMinor() > 0) {
            move(settlement, revenue, split.feeMinor(), currency, TransferCode.FEE, orderId, null, null, null, deltas,
                    transfers);
        }
        if (split.gstMinor() > 0) {
            move(settlement, account(AccountKind.GST_PAYABLE, currency), split.gstMinor(), currency, TransferCode.GST,
                    orderId, null, null, null, deltas, transfers);
        }
        if (split.ccfMinor() > 0) {
            move(settlement, revenue, split.ccfMinor(), currency, TransferCode.CCF, orderId, null, null, null, deltas,
                    transfers);
        }
        move(settlement, upstream, upstreamMinor, currency, TransferCode.UPSTREAM, orderId, null, null, null, deltas,
                transfers);
        if (split.upstreamCommissionMinor() > 0) {
            move(upstream, revenue, split.upstreamCommissionMinor(), currency, TransferCode.UPSTREAM_COMMISSION, orderId,
                    null, null, null, deltas, transfers);
        }
        if (split.upstreamFeeMinor() > 0) {
            move(revenue, upstream, split.upstreamFeeMinor(), currency, TransferCode.UPSTREAM_FEE, orderId, null, null,
                    null, deltas, transfers);
        }
        return closing;
    }

    /** One POSTED transfer of a split, on accounts locked for the batch. */
    private void move(long debit, long credit, long amountMinor, Currency currency, TransferCode code, long orderId,
                      Long walletId, Long opening, Long closing, Map<Long, Delta> deltas, TransferBatch transfers) {
        balance(debit);
        balance(credit);
        deltas.computeIfAbsent(debit, id -> new Delta()).debitsPosted += amountMinor;
        deltas.computeIfAbsent(credit, id -> new Delta()).creditsPosted += amountMinor;
        transfers.add(TransferBatch.NO_ITEM, TransferKind.POSTED, null, debit, credit, amountMinor, currency, code,
                orderId, null, walletId, opening, closing);
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
            walletTerms = new HashMap<>();
            if (locked != null) {
                locked.list().forEach(r -> {
                    available.put(r[0], r[1]);
                    walletTerms.put(r[0], new long[] {r[2], r[3]});
                });
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

    /** The key of a platform account of the batch, of a kind that has one per currency. */
    static String key(AccountKind kind, Currency currency) {
        return kind + "/" + currency;
    }

    /** The key of the batch's UPSTREAM account of a connector. */
    static String upstreamKey(String connector, Currency currency) {
        return AccountKind.UPSTREAM + "/" + currency + "/" + connector;
    }

    private long account(AccountKind kind, Currency currency) {
        return picked(key(kind, currency));
    }

    private long upstream(String connector, Currency currency) {
        return picked(upstreamKey(connector, currency));
    }

    private long picked(String key) {
        Long account = platform.get(key);
        if (account == null) {
            throw new IllegalStateException("no " + key + " platform account was locked for this batch");
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
