package billswitch.connector.spi;

import billswitch.catalog.Operator;
import java.util.Map;

/**
 * A bill fetch to send upstream: the operator as the upstream codes it on this route, the customer's account
 * and parameters, and the reference the fetch is sent with (unique per fetch).
 */
public record BillQuery(String reference, Operator operator, String upstreamCode, String accountNumber,
                        Map<String, String> params) {
    public BillQuery {
        params = Map.copyOf(params);
    }
}
