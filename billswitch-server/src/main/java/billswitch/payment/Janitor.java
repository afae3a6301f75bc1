package billswitch.payment;

import billswitch.shared.DatabaseOutage;
import billswitch.infra.config.BillSwitchProperties;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Settles what the first answer could not: every PENDING or UNKNOWN order, and every INITIATED order
 * whose process died mid-call, is re-asked from its connector on the bounded backoff schedule of
 * billswitch.resolution. Orders are claimed with SKIP LOCKED and leased, so several nodes share the
 * work without doing any of it twice; the guarded state transition makes a late duplicate harmless.
 */
@Component
public class Janitor {
    private static final Logger log = LoggerFactory.getLogger(Janitor.class);

    private final OrderRepository orders;
    private final PaymentService payments;
    private final TransactionTemplate tx;
    private final Clock clock;
    private final BillSwitchProperties.Resolution config;

    Janitor(OrderRepository orders, PaymentService payments, TransactionTemplate tx, Clock clock, BillSwitchProperties props) {
        this.orders = orders;
        this.payments = payments;
        this.tx = tx;
        this.clock = clock;
        this.config = props.resolution();
    }

    @Scheduled(fixedDelayString = "${billswitch.resolution.poll-interval}", initialDelayString = "${billswitch.resolution.poll-interval}")
    void run() {
        if (!config.enabled()) {
            return;
        }
        try {
            while (resolveDue() == config.batchSize()) {
                // a full batch: more may be due
            }
        } catch (RuntimeException e) {
            if (DatabaseOutage.causedBy(e)) {
                // Failing over: what it claimed stays leased, and is asked again once the lease ends.
                log.warn("Status janitor pass stopped: the database is unavailable ({}); it runs again in {}", e, config.pollInterval());
            } else {
                log.warn("Status janitor pass failed; it runs again in {}", config.pollInterval(), e);
            }
        }
    }

    /** At most this many orders of a pass are resolved at once. */
    static final int CONCURRENCY = 32;

    /**
     * One pass over at most one batch of due orders; returns how many were claimed. The orders are resolved on
     * platform threads, not virtual ones: each settles in a transaction that locks its wallet and the platform
     * shards its split touches, and over the Unix socket (junixsocket) a virtual thread's wait for PostgreSQL is a
     * blocking poll job on a pool as large as the machine's cores; a few resolutions waiting on one lock took every
     * poller while the lock holder's answer went unread, until the idle-in-transaction timeout. A platform thread
     * blocks in its own read.
     */
    public int resolveDue() {
        List<OrderRepository.Claim> claims = tx.execute(s ->
                orders.claimDue(config.batchSize(), clock.instant().plus(config.lease())));
        if (claims.isEmpty()) {
            return 0;
        }
        try (ExecutorService pool = Executors.newFixedThreadPool(Math.min(claims.size(), CONCURRENCY),
                Thread.ofPlatform().name("janitor-", 0).factory())) {
            for (OrderRepository.Claim claim : claims) {
                pool.submit(() -> {
                    try {
                        payments.resolve(claim);
                    } catch (RuntimeException e) {
                        log.warn("Resolving order {} failed; it is asked again when its lease ends", claim.orderId(), e);
                    }
                });
            }
        }
        return claims.size();
    }
}
