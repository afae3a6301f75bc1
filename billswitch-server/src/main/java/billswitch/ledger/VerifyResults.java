package billswitch.ledger;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.time.Clock;
import org.springframework.stereotype.Component;

/**
 * The last ledger verification on this node, kept for the console and as gauges ({@link LedgerVerifier}: the admin API's /admin/ledger/verify, the
 * {@code verify-ledger} command), as gauges: {@code billswitch_ledger_verify_ok} (1 every invariant held, 0 one did not,
 * -1 not run since this node started), {@code billswitch_ledger_verify_problems} (mismatched accounts, overdrawn wallets
 * and dangling transfers found) and {@code billswitch_ledger_verify_last_run_timestamp_seconds}. Verification reads
 * every transfer, so it is not run for the gauges: they say what the last run found, and when.
 */
@Component
class VerifyResults implements MeterBinder {
    private record Last(double ok, double problems, double at) {
    }

    private final Clock clock;
    private volatile Last last = new Last(-1, 0, 0);
    private volatile LedgerVerifier.Verified verified;

    VerifyResults(Clock clock) {
        this.clock = clock;
    }

    void record(LedgerVerifier.Report report) {
        java.time.Instant now = clock.instant();
        verified = new LedgerVerifier.Verified(now, report);
        last = new Last(report.ok() ? 1 : 0,
                report.mismatchedAccounts().size() + report.overdrawnWallets() + report.danglingTransfers()
                        + report.settlementsNotNetted().size(),
                now.toEpochMilli() / 1000.0);
    }

    /** The last verification's report and when it ended (the console's overview shows it). */
    java.util.Optional<LedgerVerifier.Verified> last() {
        return java.util.Optional.ofNullable(verified);
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        Gauge.builder("billswitch.ledger.verify.ok", this, v -> v.last.ok())
                .description("The last ledger verification: 1 every invariant held, 0 one did not, -1 not run yet")
                .register(registry);
        Gauge.builder("billswitch.ledger.verify.problems", this, v -> v.last.problems())
                .description("Mismatched accounts, overdrawn wallets and dangling transfers the last verification found")
                .register(registry);
        Gauge.builder("billswitch.ledger.verify.last.run.timestamp", this, v -> v.last.at())
                .description("When the ledger was last verified on this node (0: not yet)")
                .baseUnit("seconds")
                .register(registry);
    }
}
