package billswitch.payment;

import billswitch.connector.http.CallbackNotice;
import billswitch.connector.http.CallbackRequest;
import billswitch.connector.http.HttpAnswer;
import billswitch.connector.http.Protocol;
import billswitch.connector.spi.ConnectorResult;
import billswitch.infra.logging.PaymentMdc;
import billswitch.connector.spi.Outcome;
import billswitch.routing.Router;
import billswitch.shared.BillSwitchException;
import billswitch.shared.ErrorCode;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Asynchronous status notifications from upstreams (POST /callbacks/{connector}). The connector's protocol
 * authenticates and reads the notification; its reference leads to our attempt, and the outcome goes through
 * the same guarded transition as the janitor's late answers, so a callback racing the first answer or the
 * janitor changes the order at most once. A notification whose signature does not bind its whole body is confirmed
 * by a status enquiry first (see {@link CallbackNotice}). A notification about an attempt that is no longer its order's latest
 * (it failed over) is recorded on that attempt only.
 */
@Service
public class UpstreamCallbacks {
    private static final Logger log = LoggerFactory.getLogger(UpstreamCallbacks.class);

    private final Router router;
    private final AttemptReferences references;
    private final OrderRepository orders;
    private final Settlements settlements;
    private final TransactionTemplate tx;
    private final PaymentService payments;

    UpstreamCallbacks(Router router, AttemptReferences references, OrderRepository orders, Settlements settlements,
                      TransactionTemplate tx, PaymentService payments) {
        this.payments = payments;
        this.router = router;
        this.references = references;
        this.orders = orders;
        this.settlements = settlements;
        this.tx = tx;
    }

    /** Applies one notification; answers what the upstream expects back. */
    public HttpAnswer receive(String connector, CallbackRequest request) {
        Protocol protocol = router.protocol(connector).orElseThrow(() ->
                new BillSwitchException(ErrorCode.CONNECTOR_NOT_FOUND, "No connector '" + connector + "' takes callbacks."));
        Optional<CallbackNotice> read;
        try {
            read = protocol.callback(request);
        } catch (IllegalArgumentException e) {
            throw new BillSwitchException(ErrorCode.INVALID_REQUEST, "The notification cannot be read: " + e.getMessage());
        }
        CallbackNotice notice = read.orElseThrow(() ->
                new BillSwitchException(ErrorCode.INVALID_SIGNATURE, "The notification is not authentic for " + connector + "."));
        OrderRepository.AttemptRow attempt = references.attemptOf(notice.reference()).stream().boxed()
                .map(orders::attempt).flatMap(Optional::stream)
                .filter(a -> a.connector().equals(connector))
                .findFirst()
                .orElseThrow(() -> new BillSwitchException(ErrorCode.TRANSACTION_NOT_FOUND,
                        "No attempt sent through " + connector + " has reference " + notice.reference() + "."));
        PaymentMdc.order(attempt.orderId());
        try {
            ConnectorResult result = notice.bodySigned() ? notice.result()
                    : payments.askUpstream(orders.findAnyPartner(attempt.orderId()).orElseThrow(), attempt);
            log.info("Callback from {} for order {} attempt {}: {} {}{}", connector, attempt.orderId(), attempt.id(),
                    result.outcome(), result.upstreamCode(), notice.bodySigned() ? "" : " (confirmed by a status enquiry)");
            if (!notice.bodySigned() && result.outcome() != Outcome.SUCCESS && result.outcome() != Outcome.PENDING) {
                // A confirmation may come while our request is still on its way: "not found" (FAILED) or no answer then
                // says nothing sure. The janitor asks on its schedule, never before the initiated grace.
                return protocol.callbackAcknowledgement();
            }
            tx.executeWithoutResult(s -> {
                orders.lockForChange(List.of(attempt.orderId()));
                // Whether the attempt is still the order's latest, read under the order's lock: a failover cannot
                // open another attempt meanwhile.
                if (!orders.attempt(attempt.id()).orElseThrow().latest()) {
                    orders.recordAttemptOutcome(attempt.id(), result.outcome().name(), result.operatorRef(),
                            result.upstreamCode(), result.message());
                    if (result.outcome() == Outcome.SUCCESS) {
                        log.error("Order {}: attempt {} through {}, failed over as not made, is reported PAID by the upstream;"
                                + " the payment may have been made twice upstream. Recorded on the attempt: reconcile with {}",
                                attempt.orderId(), attempt.id(), connector, connector);
                    }
                    return;
                }
                settlements.applyLaterAnswer(attempt.orderId(), new Settlements.LaterAnswer.Upstream(result, 0, connector));
            });
            return protocol.callbackAcknowledgement();
        } finally {
            PaymentMdc.clear();
        }
    }
}
