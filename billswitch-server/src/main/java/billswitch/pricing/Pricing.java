package billswitch.pricing;

import billswitch.catalog.Operator;
import billswitch.shared.Currency;
import java.time.Clock;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Prices a payment: the biller's convenience fee, the partner's fee and commission from its pricing plan,
 * and India's taxes on them (TDS on commission, GST on fees; INR payments only). Called once per payment on
 * the payment path: it reads memory only, never the database. The plans, their versions, the partners'
 * assignments and the CCF slabs are an immutable snapshot, read again when the pricing tables' change marker
 * has moved ({@link #refresh()}, every billswitch.pricing.refresh-interval), as the catalog is.
 * <p>
 * The partner's plan is its assigned one, else the default plan; its version in force is the newest that started
 * at or before now. Commission and fee come from the version's rule for the operator, else from the rule for the
 * operator's category (part by part); with neither, the commission is the catalog's commission_bps of the amount
 * and the fee 0. The CCF comes from the biller's slabs for the payment mode, else its slabs for any mode; a biller
 * without slabs charges its catalog fee (feeFlatMinor + feeBps).
 * <p>
 * <b>Rounding.</b> Every figure is a whole number of the currency's minor units (paise), never a double. A percentage
 * of {@code bps} basis points of {@code m} minor units is {@code (m * bps + 5000) / 10000} in integer arithmetic: exact
 * when it is whole, else rounded half up to the minor unit (0.5 paisa and more up, less down; figures are never
 * negative, so half up and half away from zero agree). Each part is rounded once, on its own: a slab's charge is its
 * flat plus its rounded percentage; a rule's minimum and cap apply to that rounded value; TDS is the rounded percentage
 * of the commission after its minimum and cap, GST that of the fee after its own; the CCF is rounded by itself.
 * Nothing is rounded twice and no part is derived from another part's unrounded value. The fallbacks, the catalog's
 * own fee_bps and commission_bps, round down instead, as the catalog, the dialects' operator lists and the upstreams'
 * terms always have.
 */
@Component
public class Pricing {
    private static final Logger log = LoggerFactory.getLogger(Pricing.class);

    private final int tdsBps;
    private final int gstBps;
    private final PricingTables tables;
    private final TransactionTemplate consistentRead;
    private final Clock clock;
    private volatile PricingSnapshot snapshot = PricingSnapshot.EMPTY;

    @Autowired
    Pricing(@Value("${billswitch.pricing.tds-bps:200}") int tdsBps, @Value("${billswitch.pricing.gst-bps:1800}") int gstBps,
            PricingTables tables, PlatformTransactionManager transactions, Clock clock) {
        if (tdsBps < 0 || tdsBps > 10_000 || gstBps < 0 || gstBps > 10_000) {
            throw new IllegalArgumentException("tax rates are basis points between 0 and 10000");
        }
        this.tdsBps = tdsBps;
        this.gstBps = gstBps;
        this.tables = tables;
        this.clock = clock;
        if (transactions != null) {
            this.consistentRead = new TransactionTemplate(transactions);
            consistentRead.setIsolationLevel(TransactionDefinition.ISOLATION_REPEATABLE_READ);
            consistentRead.setReadOnly(true);
            reload();
        } else {
            this.consistentRead = null;
        }
    }

    /** Pricing without plans or CCF slabs (the catalog's own commission and fee), for tests of code that uses it. */
    public Pricing(int tdsBps, int gstBps) {
        this(tdsBps, gstBps, null, null, Clock.systemUTC());
    }

    /** Pricing with a snapshot of its own, never reloaded: for table tests. */
    Pricing(int tdsBps, int gstBps, PricingSnapshot snapshot, Clock clock) {
        this(tdsBps, gstBps, null, null, clock);
        this.snapshot = snapshot;
    }

    /** The price of a payment of {@code amountMinor} by {@code partnerId} to {@code operator}, paid by {@code mode}. */
    public Price price(String partnerId, Operator operator, long amountMinor, PaymentMode mode) {
        PricingSnapshot s = snapshot;
        PricingSnapshot.Compiled version = s.versionFor(partnerId, clock.instant());
        Charge commissionRule = version == null ? null : version.commission(operator);
        Charge feeRule = version == null ? null : version.fee(operator);
        long commission = commissionRule != null ? commissionRule.on(amountMinor)
                : operator.commissionMinor(amountMinor);
        long fee = feeRule != null ? feeRule.on(amountMinor) : 0;
        boolean taxed = operator.currency() == Currency.INR;
        return new Price(ccf(s, operator, amountMinor, mode), fee, taxed ? percentOf(fee, gstBps) : 0, commission,
                taxed ? percentOf(commission, tdsBps) : 0, version == null ? 0 : version.version().id());
    }

    /** The biller's customer convenience fee on {@code amountMinor} paid by {@code mode} (null: CASH). */
    public long ccfMinor(Operator operator, long amountMinor, PaymentMode mode) {
        return ccf(snapshot, operator, amountMinor, mode == null ? PaymentMode.CASH : mode);
    }

    /** The biller's CCF on {@code amountMinor} for every payment mode: what a bill fetch answer shows. */
    public Map<PaymentMode, Long> ccfByMode(Operator operator, long amountMinor) {
        PricingSnapshot s = snapshot;
        Map<PaymentMode, Long> all = new EnumMap<>(PaymentMode.class);
        for (PaymentMode m : PaymentMode.values()) {
            all.put(m, ccf(s, operator, amountMinor, m));
        }
        return all;
    }

    private static long ccf(PricingSnapshot s, Operator operator, long amountMinor, PaymentMode mode) {
        PricingSnapshot.OperatorCcf slabs = s.ccf().get(operator.id());
        if (slabs == null) {
            return operator.feeMinor(amountMinor);
        }
        List<Slab> mine = slabs.slabsFor(mode);
        for (Slab slab : mine) {
            if (slab.covers(amountMinor)) {
                return slab.chargeOn(amountMinor);
            }
        }
        return 0;
    }

    public int tdsBps() {
        return tdsBps;
    }

    public int gstBps() {
        return gstBps;
    }

    /** Reads the pricing tables in one database snapshot; synchronized, as {@code Catalog.reload}. */
    public synchronized void reload() {
        if (consistentRead == null) {
            return;
        }
        snapshot = consistentRead.execute(t -> PricingSnapshot.of(tables.version(), tables.versions(),
                tables.assignments(), tables.defaultPlan().orElse(null), tables.ccfSlabs()));
    }

    /** Reloads when the pricing tables changed since they were read, here or on another node: one small query otherwise. */
    @Scheduled(fixedDelayString = "${billswitch.pricing.refresh-interval}",
            initialDelayString = "${billswitch.pricing.refresh-interval}")
    void refresh() {
        if (consistentRead == null) {
            return;
        }
        try {
            long current = tables.version();
            long loaded = snapshot.version();
            if (current != loaded) {
                reload();
                log.info("Pricing changed (version {} to {}): reloaded", loaded, snapshot.version());
            }
        } catch (RuntimeException e) {
            log.warn("Checking pricing for changes failed; it is checked again shortly", e);
        }
    }

    /** The version of the pricing tables this node has in memory. */
    long loadedVersion() {
        return snapshot.version();
    }

    /** {@code bps} basis points of {@code minor}, rounded half up to the minor unit. */
    static long percentOf(long minor, int bps) {
        return (Math.multiplyExact(minor, (long) bps) + 5_000) / 10_000;
    }
}
