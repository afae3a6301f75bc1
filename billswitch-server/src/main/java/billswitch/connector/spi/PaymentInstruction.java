package billswitch.connector.spi;

import billswitch.catalog.Operator;
import java.time.Instant;
import java.util.Map;

/** What a connector is asked to pay: one attempt of one order. */
public record PaymentInstruction(long orderId, long attemptId, Operator operator, String accountNumber,
                                 Map<String, String> params, long amountMinor, Operator.Channel channel, Instant sentAt) {
    public PaymentInstruction {
        params = Map.copyOf(params);
    }
}
