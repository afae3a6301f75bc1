package billswitch.infra.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/** Everything an operator of BillSwitch configures, in one place (application.yml documents each). */
@ConfigurationProperties(prefix = "billswitch")
public record BillSwitchProperties(
        Path dataDir,
        Db db,
        String masterKey,
        List<String> previousMasterKeys,
        String adminToken,
        Sandbox sandbox,
        Api api,
        Resolution resolution,
        Webhooks webhooks,
        Batching batching,
        Routing routing,
        Catalog catalog,
        Limits limits) {

    /**
     * Checked at start: the sandbox operators' latency must end well inside the initiated grace
     * ({@link Resolution#longestCall}), or the janitor could re-ask (and refund) a payment whose call is still out.
     */
    public BillSwitchProperties {
        previousMasterKeys = previousMasterKeys == null ? List.of()
                : previousMasterKeys.stream().filter(k -> k != null && !k.isBlank()).toList();
        if (sandbox != null && resolution != null && sandbox.enabled()
                && Duration.ofMillis(sandbox.latencyMs()).plus(Resolution.CALL_MARGIN).compareTo(resolution.longestCall()) > 0) {
            throw new IllegalArgumentException("billswitch.sandbox.latency-ms (" + sandbox.latencyMs() + ") must end well inside "
                    + "billswitch.resolution.initiated-grace (" + resolution.initiatedGrace() + "): at most "
                    + resolution.longestCall().minus(Resolution.CALL_MARGIN).toMillis() + " ms with that grace");
        }
    }

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
                             Duration initiatedGrace, Duration pollInterval, int batchSize, Duration lease,
                             @DefaultValue("5m") Duration maxLag) {
        /** What a sandbox call's stated deadline adds to its latency. */
        public static final Duration CALL_MARGIN = Duration.ofSeconds(1);

        public Resolution {
            if (initiatedGrace == null || initiatedGrace.compareTo(Duration.ofSeconds(2)) < 0) {
                throw new IllegalArgumentException("billswitch.resolution.initiated-grace must be at least 2s, not " + initiatedGrace);
            }
        }

        /**
         * The longest any upstream call may take: three quarters of the initiated grace. The last quarter is the
         * margin for the batches that hold the payment before the call and settle its answer after it, so the
         * janitor never re-asks (and never refunds) a payment whose call may still answer. Every call is cut here
         * (routing's Router), a connector's timeouts must end before it, and so must the sandbox's latency.
         */
        public Duration longestCall() {
            return initiatedGrace.minus(initiatedGrace.dividedBy(4));
        }

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

    /**
     * The signed APIs' limits. {@code timestampTolerance}: how far a signed timestamp may be from the server's
     * clock (native, both ways; Eko, into the past). {@code nativeV1AcceptedUntil}: the last day (UTC) the native
     * API accepts version 1 signatures (no X-Signature-Version header); then only version 2.
     * {@code ekoFutureTolerance}: how far ahead of the server's clock an Eko secret-key-timestamp may be.
     */
    public record Api(int maxBodyBytes, Duration timestampTolerance, java.time.LocalDate nativeV1AcceptedUntil,
                      Duration ekoFutureTolerance) {
        public Api {
            if (nativeV1AcceptedUntil == null) {
                nativeV1AcceptedUntil = java.time.LocalDate.of(2027, 6, 30);
            }
            if (ekoFutureTolerance == null) {
                ekoFutureTolerance = Duration.ofSeconds(30);
            }
        }
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

    /**
     * Per-partner request limits, checked in memory on each node before a request reads the database: at most
     * {@code requestsPerSecond} requests a second on average with bursts of {@code burst} (token bucket), and at
     * most {@code maxInFlight} requests answered at once. 0 turns a limit off. PUT /admin/partners/{id}/limits
     * overrides them per partner; each node re-reads the overrides every {@code refreshInterval}.
     */
    public record Limits(int requestsPerSecond, int burst, int maxInFlight, Duration refreshInterval) {
        public Limits {
            if (requestsPerSecond < 0 || burst < 0 || maxInFlight < 0) {
                throw new IllegalArgumentException("billswitch.limits.* must not be negative");
            }
            if (refreshInterval == null || refreshInterval.isNegative() || refreshInterval.isZero()) {
                throw new IllegalArgumentException("billswitch.limits.refresh-interval must be a positive duration, not " + refreshInterval);
            }
        }
    }
}
