package billswitch.infra.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;

/** Everything an operator of BillSwitch configures, in one place (application.yml documents each). */
@ConfigurationProperties(prefix = "billswitch")
public record BillSwitchProperties(
        Path dataDir,
        Db db,
        String masterKey,
        String adminToken,
        Sandbox sandbox,
        Api api,
        Resolution resolution,
        Webhooks webhooks,
        Batching batching,
        Routing routing,
        Catalog catalog) {

    /**
     * attachToRunning: when a running BillSwitch owns the embedded database, connect to it rather than
     * refuse (the command-line subcommands set it). embeddedListenAddresses: the embedded server's TCP
     * listen_addresses, empty for its Unix socket only. statementTimeout and idleInTransactionTimeout are set
     * on every connection; allowFsyncOff lets BillSwitch run on a PostgreSQL with fsync off (tests only).
     */
    public record Db(String url, String user, String password, int maxPoolSize, Duration connectionTimeout,
                     boolean embeddedDurable, boolean embeddedClean, boolean attachToRunning,
                     String embeddedListenAddresses, Duration statementTimeout, Duration idleInTransactionTimeout,
                     boolean allowFsyncOff) {
        public boolean external() {
            return url != null && !url.isBlank();
        }
    }

    /**
     * Sandbox mode: demo data, generated development master key, sandbox operators. resolveDelay: how long
     * after the attempt an unanswered (last digit 9) or high-commission payment settles when re-asked.
     * allowExternalDatabase: sandbox mode on an external database (billswitch.db.url) is refused without it.
     */
    public record Sandbox(boolean enabled, long latencyMs, Duration resolveDelay, boolean allowExternalDatabase) {
    }

    /**
     * The status janitor: unsettled orders are re-asked after each of {@code delays}, then every
     * {@code repeatEvery}, until {@code maxAge}, then NEEDS_REVIEW. An INITIATED order (its process died
     * mid-call) is first re-asked after {@code initiatedGrace}, which must exceed the longest connector
     * timeout. Claims are leased for {@code lease}, so another node skips them meanwhile.
     */
    public record Resolution(boolean enabled, List<Duration> delays, Duration repeatEvery, Duration maxAge,
                             Duration initiatedGrace, Duration pollInterval, int batchSize, Duration lease) {

        /** How long to wait before the next check, after {@code checksSoFar} checks. */
        public Duration delayAfter(int checksSoFar) {
            return checksSoFar < delays.size() ? delays.get(checksSoFar) : repeatEvery;
        }
    }

    /** Webhook delivery: retries after each of {@code retryDelays}; past the last the event is DEAD. */
    public record Webhooks(boolean enabled, Duration pollInterval, int batchSize, List<Duration> retryDelays,
                           Duration timeout, Duration lease) {
    }

    /**
     * Payments are placed (order + hold) and settled (outcome + post/void + answer) in batches: each of
     * {@code lanes} worker threads takes up to {@code maxSize} steps waiting in its lane into one
     * transaction. A partner's steps always go to the same lane, so lanes never wait on each other's locks.
     * A new payment is refused (BUSY, nothing written) while {@code queueLimit} steps wait in its lane; a first
     * answer to settle, which finishes a payment already holding money, is never refused.
     */
    public record Batching(int lanes, int maxSize, int queueLimit) {
        public Batching {
            if (lanes < 1 || lanes > 16) {
                throw new IllegalArgumentException("billswitch.batching.lanes must be 1 to 16 (the platform shards), not " + lanes);
            }
            if (maxSize < 1) {
                throw new IllegalArgumentException("billswitch.batching.max-size must be at least 1, not " + maxSize);
            }
            if (queueLimit < 1) {
                throw new IllegalArgumentException("billswitch.batching.queue-limit must be at least 1, not " + queueLimit);
            }
        }
    }

    /**
     * Upstream routing: how often every node looks for changed connectors and routes, how often it asks each
     * upstream for our float, and each connector's circuit breaker (opens after {@code breakerFailures}
     * consecutive NOT_SENT or UNKNOWN calls, lets one probe through after {@code breakerCoolDown}).
     * allowPrivateUpstreams: a connector's base URL may be http and name a loopback or private address (an
     * upstream on this machine or a private network); otherwise only https to a public address (loopback and
     * http in sandbox mode too).
     */
    public record Routing(Duration refreshInterval, Duration floatPollInterval, int breakerFailures,
                          Duration breakerCoolDown, boolean allowPrivateUpstreams) {
    }

    public record Api(int maxBodyBytes, Duration timestampTolerance) {
    }

    /**
     * Each node keeps the catalog in memory and checks every {@code refreshInterval} whether it changed (on any
     * node, or in the database directly); it is re-read only when it did.
     */
    public record Catalog(Duration refreshInterval) {
        public Catalog {
            if (refreshInterval == null || refreshInterval.isNegative() || refreshInterval.isZero()) {
                throw new IllegalArgumentException("billswitch.catalog.refresh-interval must be a positive duration, not " + refreshInterval);
            }
        }
    }
}
