package billswitch.complaint;

import java.time.Clock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/** The deadline sweep: every billswitch.complaints.sweep-interval, escalates the complaints past their deadline. */
@Component
class ComplaintDeadlines {
    private static final Logger log = LoggerFactory.getLogger(ComplaintDeadlines.class);

    private final ComplaintService complaints;
    private final Clock clock;

    ComplaintDeadlines(ComplaintService complaints, Clock clock) {
        this.complaints = complaints;
        this.clock = clock;
    }

    @Scheduled(fixedDelayString = "${billswitch.complaints.sweep-interval:1m}",
            initialDelayString = "${billswitch.complaints.sweep-interval:1m}")
    void sweep() {
        try {
            sweep(clock);
        } catch (RuntimeException e) {
            log.warn("Complaint deadline sweep failed; it runs again at its next interval", e);
        }
    }

    /** One sweep as of {@code clock}'s time: how many complaints it escalated. */
    int sweep(Clock clock) {
        return complaints.escalateOverdue(clock.instant());
    }
}
