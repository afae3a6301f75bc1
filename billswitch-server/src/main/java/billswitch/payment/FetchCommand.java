package billswitch.payment;

import java.util.Map;
import java.util.TreeMap;

/** A bill fetch. The reference is optional; without one, a fresh one is made. */
public record FetchCommand(String partnerId, String dialect, String reference, String operatorId,
                           String accountNumber, Map<String, String> params) {

    public FetchCommand {
        params = PayCommand.inOrderGiven(params);
    }

    String fingerprint() {
        return String.join("|", dialect, "BILL_FETCH", operatorId, accountNumber, new TreeMap<>(params).toString());
    }
}
