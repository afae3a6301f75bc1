package billswitch.connector.billswitch;

import billswitch.api.ErrorBody;
import billswitch.catalog.Operator;
import billswitch.connector.http.HttpAnswer;
import billswitch.connector.spi.Bill;
import billswitch.connector.spi.BillQuery;
import billswitch.connector.spi.PaymentInstruction;
import billswitch.shared.BillSwitchException;
import billswitch.shared.Currency;
import billswitch.shared.ErrorCode;
import billswitch.shared.Secret;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;

/**
 * What the billswitch connector's tests share: operators as the sandbox catalog has them, instructions, a fixed
 * clock, the protocol with the sandbox's demo credentials, and the upstream's answers as its NativeController,
 * NativeViews and ErrorBody render them (the transaction view's keys in its record's order, copied from a render
 * of {@code NativeViews.TransactionView}; errors rendered by the server's own {@link ErrorBody}).
 */
final class Fixtures {
    /** 2026-12-06T10:00:00Z. */
    static final Instant NOW = Instant.ofEpochMilli(1_796_551_200_000L);
    static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);
    static final String API_KEY = "demo-key";
    static final String SECRET = "demo-secret";
    static final String WEBHOOK_SECRET = "whsec_test";

    static final Operator AIRTEL_PREPAID = operator("airtel-prepaid", Operator.Kind.PREPAID, Currency.INR,
            List.of(Operator.Channel.INSTANT));
    static final Operator BSES_RAJDHANI = operator("bses-rajdhani", Operator.Kind.UTILITY, Currency.INR,
            List.of(Operator.Channel.INSTANT, Operator.Channel.HIGH_COMMISSION));
    static final Operator VIETTEL = operator("viettel", Operator.Kind.PREPAID, Currency.VND, List.of(Operator.Channel.INSTANT));

    private Fixtures() {
    }

    private static Operator operator(String id, Operator.Kind kind, Currency currency, List<Operator.Channel> channels) {
        return new Operator(id, id, "category", "IN-ALL", kind, "IN", currency, Operator.FetchOption.OPTIONAL,
                Operator.Exactness.ADHOC, 1, 100_000_000, false, channels, 0, 0, 0, false, "billswitch-upstream", true,
                new Operator.ProviderCodes(null, null, null, null, null), List.of());
    }

    static NativeProtocol protocol() {
        return new NativeProtocol(API_KEY, Secret.of(SECRET),
                Secret.of(WEBHOOK_SECRET), Currency.INR, CLOCK);
    }

    /** Attempt 1000001 of order 1000001, reference BS1000001, as PaymentService makes them. */
    static PaymentInstruction recharge(Operator operator, String account, long amountMinor, String productCode) {
        return new PaymentInstruction(1_000_001, 1_000_001, "BS1000001", operator, operator.id(), account, Map.of(),
                amountMinor, Operator.Channel.INSTANT, productCode, null, NOW);
    }

    static PaymentInstruction billPayment(String account, long amountMinor, Map<String, String> params,
                                          Operator.Channel channel, Bill bill) {
        return new PaymentInstruction(1_000_001, 1_000_001, "BS1000001", BSES_RAJDHANI, "bses-rajdhani", account,
                params, amountMinor, channel, null, bill, NOW);
    }

    static BillQuery fetch(String account) {
        return new BillQuery("F0123456789abcdef", BSES_RAJDHANI, "bses-rajdhani", account, Map.of());
    }

    /** The upstream's error answer for {@code code}, with its HTTP status, exactly as its ErrorBody renders it. */
    static HttpAnswer error(ErrorCode code) {
        return HttpAnswer.of(code.httpStatus(), errorBody(code));
    }

    static String errorBody(ErrorCode code) {
        return ErrorBody.response(new BillSwitchException(code)).getBody();
    }

    /** A payment's transaction view in the given status: SUCCESS carries an operator reference, FAILED a failure. */
    static String transaction(String reference, String status) {
        String operatorRef = status.equals("SUCCESS") ? "\"SBX1000006A1000006\"" : "null";
        String failure = status.equals("FAILED") || status.equals("REFUNDED")
                ? "{\"code\":\"DECLINED\",\"message\":\"The operator declined the payment\"}" : "null";
        String refund = status.equals("FAILED") || status.equals("REFUNDED")
                ? "{\"amountMinor\":19900,\"at\":\"2026-12-06T10:00:00.456789Z\"}" : "null";
        return """
                {"id":"1000006","reference":"%s","kind":"RECHARGE","status":"%s","operatorId":"airtel-prepaid",\
                "accountNumber":"9876543210","params":{},"productCode":null,"amountMinor":19900,"amount":"199.00",\
                "feeMinor":0,"commissionMinor":497,"currency":"INR","channel":"INSTANT","operatorRef":%s,\
                "billFetchId":null,"bill":null,"failure":%s,"wallet":{"openingMinor":10000000,"closingMinor":9980100},\
                "refund":%s,"createdAt":"2026-12-06T10:00:00.123456Z","updatedAt":"2026-12-06T10:00:00.456789Z"}"""
                .formatted(reference, status, operatorRef, failure, refund);
    }

    /** HTTP 200 for a final status, 202 for one still unsettled, as NativeController answers a payment. */
    static int httpStatus(String transactionStatus) {
        return switch (transactionStatus) {
            case "PENDING", "UNKNOWN", "INITIATED" -> 202;
            default -> 200;
        };
    }

    /** A bill fetch's transaction view: fetch 1000002 of BSES Rajdhani account 102277100, a bill of Rs 820.00. */
    static String fetched(String reference) {
        return """
                {"id":"1000002","reference":"%s","kind":"BILL_FETCH","status":"SUCCESS","operatorId":"bses-rajdhani",\
                "accountNumber":"102277100","params":{},"productCode":null,"amountMinor":82000,"amount":"820.00",\
                "feeMinor":0,"commissionMinor":0,"currency":"INR","channel":"INSTANT","operatorRef":null,\
                "billFetchId":null,"bill":{"amountMinor":82000,"amount":"820.00","customerName":"SALMAN",\
                "billNumber":"B102277100","period":"Jan 2021","billDate":"1990-01-01","dueDate":"2021-01-06",\
                "partialPaymentAllowed":false},"failure":null,"wallet":null,"refund":null,\
                "createdAt":"2026-12-06T10:00:00.123456Z","updatedAt":"2026-12-06T10:00:00.123456Z"}"""
                .formatted(reference);
    }

    /** GET /v1/wallet?currency=INR: our INR wallet there, Rs 49,801.00 available. */
    static final String WALLET = """
            {"partnerId":"DIST-1","wallets":[{"currency":"INR","balanceMinor":5000000,"heldMinor":19900,\
            "availableMinor":4980100,"available":"49801.00"}]}""";

    /** A webhook's body as WebhookOutbox builds it, for the attempt BS1000001 in the given status. */
    static String webhook(String type, String status) {
        String failure = status.equals("FAILED") || status.equals("REFUNDED")
                ? "{\"code\":\"DECLINED\",\"message\":\"The operator declined the payment\"}" : "null";
        String operatorRef = status.equals("SUCCESS") ? "\"SBX1000006A1000006\"" : "null";
        String refund = status.equals("FAILED") || status.equals("REFUNDED")
                ? "{\"amountMinor\":19900,\"at\":\"2026-12-06T10:00:00.456789Z\"}" : "null";
        return """
                {"id":"6c0e7a8e-3c2b-4f51-9a57-0d6c1f3e2b10","type":"%s","createdAt":"2026-12-06T10:00:00.123456Z",\
                "data":{"transactionId":"1000006","reference":"BS1000001","kind":"RECHARGE","status":"%s",\
                "operatorId":"airtel-prepaid","accountNumber":"9876543210","amountMinor":19900,"feeMinor":0,\
                "currency":"INR","operatorRef":%s,"failure":%s,"refund":%s}}""".formatted(type, status, operatorRef, failure,
                refund);
    }
}
