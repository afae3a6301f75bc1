package billswitch.connector.spi;

import billswitch.catalog.Operator;
import java.time.Instant;
import java.util.Map;

/**
 * What a connector is asked to pay: one attempt of one order. {@code reference} is the attempt's own reference,
 * derived from it and unique per attempt: the upstream's duplicate check and a status enquiry after a crash
 * both find the attempt by it. {@code upstreamCode} is the operator as this route's upstream codes it;
 * {@code bill} the fetched bill the payment pays, if any (its upstreamContext from the connector that fetched it).
 */
public record PaymentInstruction(long orderId, long attemptId, String reference, Operator operator, String upstreamCode,
                                 String accountNumber, Map<String, String> params, long amountMinor,
                                 Operator.Channel channel, String productCode, Bill bill, Instant sentAt) {
    public PaymentInstruction {
        params = Map.copyOf(params);
    }
}
