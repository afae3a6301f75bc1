package billswitch.payment;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.stereotype.Component;

/**
 * Readiness: every lane's batch worker ({@link Batcher}) is running. Without one, payments of its partners would wait
 * for an answer that no worker gives.
 */
@Component("batchWorkersHealthIndicator")
class BatchWorkersHealth implements HealthIndicator {
    private final Batches batches;

    BatchWorkersHealth(Batches batches) {
        this.batches = batches;
    }

    @Override
    public Health health() {
        Health.Builder health = batches.workersAlive() ? Health.up() : Health.down();
        return health.withDetail("waiting", batches.waiting()).withDetail("restarts", batches.restarts()).build();
    }
}
