package billswitch.complaint;

import billswitch.admin.AuditLog;
import billswitch.connector.spi.ComplaintReceipt;
import billswitch.connector.spi.Outcome;
import billswitch.connector.spi.UpstreamComplaint;
import billswitch.payment.PaymentService;
import billswitch.routing.Router;
import billswitch.shared.DatabaseOutage;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Forwards complaints to the upstream their payment went through, after the complaint committed and never on the
 * partner's request path (an outbox: the complaint row is the message, {@code forward_state} PENDING). Every
 * {@code billswitch.complaints.forward-interval} a pass claims the due complaints (SKIP LOCKED, leased), and for each:
 * <ul>
 *   <li>PENDING: the latest attempt of the payment that reached an upstream (any but NOT_SENT) names the connector and
 *       the reference the upstream knows the payment by; the connector's complaint call ({@code Router#complain})
 *       answers TAKEN (OPEN_UPSTREAM, its id and status kept; CLOSED_UPSTREAM when it is closed already), REFUSED
 *       (final), NOT_SUPPORTED (KEPT: AOPay, AppotaPay and the sandbox have no complaint call; handled here) or
 *       UNREACHED (tried again after the next of {@code forward-retry-delays}, then GAVE_UP). A payment that never
 *       reached an upstream is KEPT.</li>
 *   <li>OPEN_UPSTREAM: its status is read there again every {@code upstream-poll-interval} until the upstream closes it
 *       (RESOLVED, REJECTED, CLOSED).</li>
 * </ul>
 * What the upstream says is kept on the complaint ({@code upstreamConnector}, {@code upstreamComplaintId},
 * {@code upstreamStatus}, {@code upstreamNote}). Taken, refused, given up and every new upstream status are changes
 * of the complaint: a history line (actor {@code upstream:<connector>}), an audit entry and a {@code complaint.updated}
 * event, in one transaction; KEPT and the retries only note it (no event: the partner's complaint did not change).
 */
@Component
public class ComplaintForwarding {
    private static final Logger log = LoggerFactory.getLogger(ComplaintForwarding.class);
    static final Duration LEASE = Duration.ofMinutes(2);
    static final int BATCH = 50;
    private static final Set<String> CLOSED_WORDS = Set.of("RESOLVED", "REJECTED", "CLOSED");
    private static final int MAX_NOTE = 500;

    private final ComplaintRepository complaints;
    private final PaymentService payments;
    private final Router router;
    private final AuditLog audit;
    private final List<ComplaintEvents> events;
    private final ComplaintSettings settings;
    private final TransactionTemplate tx;
    private final Clock clock;

    ComplaintForwarding(ComplaintRepository complaints, PaymentService payments, Router router, AuditLog audit,
                        List<ComplaintEvents> events, ComplaintSettings settings, TransactionTemplate tx, Clock clock) {
        this.complaints = complaints;
        this.payments = payments;
        this.router = router;
        this.audit = audit;
        this.events = events;
        this.settings = settings;
        this.tx = tx;
        this.clock = clock;
    }

    @Scheduled(fixedDelayString = "${billswitch.complaints.forward-interval:10s}",
            initialDelayString = "${billswitch.complaints.forward-interval:10s}")
    void run() {
        try {
            while (forwardDue(clock.instant()) == BATCH) {
                // a full batch: more may be due
            }
        } catch (RuntimeException e) {
            if (DatabaseOutage.causedBy(e)) {
                log.warn("Complaint forwarding stopped: the database is unavailable ({}); it runs again in {}", e,
                        settings.forwardInterval());
            } else {
                log.warn("Complaint forwarding failed; it runs again in {}", settings.forwardInterval(), e);
            }
        }
    }

    /** One pass as of {@code now}: forwards or reads again the complaints due then; how many it took up. */
    public int forwardDue(Instant now) {
        List<Long> due = tx.execute(s -> complaints.claimForwarding(now, now.plus(LEASE), BATCH));
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            for (long id : due) {
                pool.submit(() -> {
                    try {
                        step(id, now);
                    } catch (RuntimeException e) {
                        // its lease runs out and a later pass takes it again
                        log.warn("Complaint {}: forwarding step failed", id, e);
                    }
                });
            }
        }
        return due.size();
    }

    private void step(long id, Instant now) {
        Complaint c = complaints.find(id).orElse(null);
        if (c == null) {
            return;
        }
        if ("PENDING".equals(c.forwardState())) {
            forward(c, now);
        } else if ("OPEN_UPSTREAM".equals(c.forwardState())) {
            readAgain(c, now);
        }
    }

    private void forward(Complaint c, Instant now) {
        Optional<PaymentService.Attempt> sent = payments.orderDetail(c.orderId()).attempts().stream()
                .filter(a -> !Outcome.NOT_SENT.name().equals(a.outcome())).reduce((first, second) -> second);
        if (sent.isEmpty()) {
            record(c, "KEPT", now, null, null, null, "Kept here: the payment never reached an upstream.", false);
            return;
        }
        String connector = sent.get().connector();
        ComplaintReceipt r = router.complain(connector, new UpstreamComplaint(c.id(), sent.get().reference(),
                c.type().name(), c.type().disposition(), c.description())).join();
        switch (r.state()) {
            case TAKEN -> {
                if (r.upstreamComplaintId() == null) {
                    record(c, "KEPT", now, connector, null, r.upstreamStatus(), "Kept here: " + connector
                            + " already has a complaint about it but did not say which (" + r.message() + ").", true);
                } else {
                    record(c, closed(r.upstreamStatus()) ? "CLOSED_UPSTREAM" : "OPEN_UPSTREAM",
                            now.plus(settings.upstreamPollInterval()), connector, r.upstreamComplaintId(),
                            r.upstreamStatus(), "Forwarded to " + connector + " as complaint " + r.upstreamComplaintId()
                                    + (r.upstreamStatus() == null ? "" : ", " + r.upstreamStatus()) + ": " + r.message(), true);
                }
            }
            case REFUSED -> record(c, "REFUSED", now, connector, null, null,
                    connector + " refused the complaint: " + r.message(), true);
            case NOT_SUPPORTED -> record(c, "KEPT", now, connector, null, null,
                    "Kept here: " + connector + " has no complaint call.", false);
            case UNREACHED -> unreached(c, now, connector, r.message());
        }
    }

    /** Not reached: tried again after the next retry delay, or given up after the last. */
    private void unreached(Complaint c, Instant now, String connector, String message) {
        tx.executeWithoutResult(s -> {
            Complaint before = complaints.lock(c.id()).orElseThrow();
            if (!"PENDING".equals(before.forwardState())) {
                return;
            }
            int tries = complaints.forwardAttempts(c.id()) + 1;
            List<Duration> delays = settings.forwardRetryDelays();
            if (tries > delays.size()) {
                String note = "Gave up forwarding to " + connector + " after " + tries + " tries: " + message;
                change(before, "GAVE_UP", tries, now, connector, null, null, note);
            } else {
                Instant next = now.plus(delays.get(tries - 1)).truncatedTo(ChronoUnit.SECONDS);
                complaints.forwarded(c.id(), "PENDING", tries, next, connector, null, null,
                        clip(connector + " not reached (try " + tries + "): " + message + "; next try at " + next),
                        now, false);
            }
        });
    }

    private void readAgain(Complaint c, Instant now) {
        ComplaintReceipt r = router.complaintStatus(c.upstreamConnector(), c.upstreamComplaintId()).join();
        Instant next = now.plus(settings.upstreamPollInterval());
        tx.executeWithoutResult(s -> {
            Complaint before = complaints.lock(c.id()).orElseThrow();
            if (!"OPEN_UPSTREAM".equals(before.forwardState())) {
                return;
            }
            int tries = complaints.forwardAttempts(c.id());
            switch (r.state()) {
                case TAKEN -> {
                    String state = closed(r.upstreamStatus()) ? "CLOSED_UPSTREAM" : "OPEN_UPSTREAM";
                    String note = c.upstreamConnector() + " complaint " + c.upstreamComplaintId() + " is "
                            + r.upstreamStatus() + ": " + r.message();
                    if (java.util.Objects.equals(r.upstreamStatus(), before.upstreamStatus())
                            && note.equals(before.upstreamNote())) {
                        complaints.forwarded(c.id(), state, tries, next, null, null, null, before.upstreamNote(), now, false);
                    } else {
                        change(before, state, tries, now.plus(settings.upstreamPollInterval()), null, null,
                                r.upstreamStatus(), note);
                    }
                }
                case REFUSED, NOT_SUPPORTED -> change(before, "REFUSED", tries, now, null, null, null,
                        "Reading complaint " + c.upstreamComplaintId() + " at " + c.upstreamConnector() + " was refused: "
                                + r.message());
                // not reached now: read again at the next poll, the upstream's last word kept
                case UNREACHED -> complaints.forwarded(c.id(), "OPEN_UPSTREAM", tries, next, null, null, null,
                        before.upstreamNote(), now, false);
            }
        });
    }

    /** Records where forwarding stands; {@code tell}: as a change of the complaint (history, audit, event). */
    private void record(Complaint c, String state, Instant nextAt, String connector, String upstreamId,
                        String upstreamStatus, String note, boolean tell) {
        tx.executeWithoutResult(s -> {
            Complaint before = complaints.lock(c.id()).orElseThrow();
            if (!"PENDING".equals(before.forwardState())) {
                return;
            }
            int tries = complaints.forwardAttempts(c.id()) + 1;
            if (tell) {
                change(before, state, tries, nextAt, connector, upstreamId, upstreamStatus, note);
            } else {
                complaints.forwarded(c.id(), state, tries, nextAt, connector, upstreamId, upstreamStatus, clip(note),
                        now(), false);
            }
        });
    }

    /** A change on the upstream's side, in the caller's transaction: the row, a history line, audit, event. */
    private void change(Complaint before, String state, int tries, Instant nextAt, String connector, String upstreamId,
                        String upstreamStatus, String note) {
        String clipped = clip(note);
        complaints.forwarded(before.id(), state, tries, nextAt, connector, upstreamId, upstreamStatus, clipped, now(), true);
        String actor = "upstream:" + (connector != null ? connector : before.upstreamConnector());
        complaints.recordChange(before.id(), actor, before.status(), before.status(), clipped);
        Complaint after = complaints.find(before.id()).orElseThrow();
        audit.system("complaint.upstream", actor, "complaint:" + before.id(), upstream(before), upstream(after));
        events.forEach(e -> e.changed(after));
    }

    private static Map<String, Object> upstream(Complaint c) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("forwardState", c.forwardState());
        m.put("upstreamConnector", c.upstreamConnector());
        m.put("upstreamComplaintId", c.upstreamComplaintId());
        m.put("upstreamStatus", c.upstreamStatus());
        m.put("upstreamNote", c.upstreamNote());
        return m;
    }

    private static boolean closed(String upstreamStatus) {
        return upstreamStatus != null && CLOSED_WORDS.contains(upstreamStatus);
    }

    private static String clip(String note) {
        return note == null || note.length() <= MAX_NOTE ? note : note.substring(0, MAX_NOTE);
    }

    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MICROS);
    }
}
