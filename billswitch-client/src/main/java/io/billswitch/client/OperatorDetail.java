package io.billswitch.client;

import java.util.List;
import java.util.Map;

/** One operator with its customer parameters, fee, commission, provider codes and plans ({@code GET /v1/operators/{id}}). */
public record OperatorDetail(Operator operator, List<Param> params, Fee fee, int commissionBps,
                             Map<String, Object> providerCodes, List<Plan> plans) {

    /** A customer parameter; the one with {@code account} true is the payment's accountNumber. */
    public record Param(String name, String label, String type, String regex, String errorMessage, boolean required,
                        boolean account, List<String> values) {
    }

    public record Plan(String code, long amountMinor, String amount, String description, String validity) {
    }

    public record Fee(long flatMinor, int bps) {
    }
}
