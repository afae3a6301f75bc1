package billswitch.connector.billswitch;

import static billswitch.connector.billswitch.Fixtures.AIRTEL_PREPAID;
import static billswitch.connector.billswitch.Fixtures.NOW;
import static billswitch.connector.billswitch.Fixtures.VIETTEL;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import billswitch.catalog.Operator;
import billswitch.connector.http.CallbackNotice;
import billswitch.connector.http.CallbackRequest;
import billswitch.connector.http.HttpAnswer;
import billswitch.connector.http.HttpCall;
import billswitch.connector.spi.Bill;
import billswitch.connector.spi.BillQuery;
import billswitch.connector.spi.BillResult;
import billswitch.connector.spi.ConnectorResult;
import billswitch.connector.spi.Outcome;
import billswitch.connector.spi.PaymentInstruction;
import billswitch.shared.Currency;
import billswitch.shared.ErrorCode;
import billswitch.shared.Secret;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

/**
 * The native protocol without a network: the exact requests the upstream's README documents (checked against
 * signatures computed with openssl, and against an HMAC written here, apart from the protocol's), and every
 * shape of answer its NativeController renders.
 */
class NativeProtocolTest {
    private final NativeProtocol protocol = Fixtures.protocol();

    /** base64(HMAC-SHA256(secret, timestamp \n METHOD \n path?query \n body)), as the README tells partners. */
    static String readmeSignature(String timestamp, String method, String pathAndQuery, String contentType,
                                  String idempotencyKey, String body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(Fixtures.SECRET.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return Base64.getEncoder().encodeToString(mac.doFinal(("v2\n" + timestamp + "\n" + method + "\n" + pathAndQuery
                    + "\n" + (contentType == null ? "" : contentType) + "\n" + (idempotencyKey == null ? "" : idempotencyKey)
                    + "\n" + body).getBytes(StandardCharsets.UTF_8)));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** The README's signing recipe over what the call carries: its own headers must say the same. */
    private static void assertSignedAsDocumented(HttpCall call) {
        assertThat(call.headers()).containsEntry("X-Api-Key", "demo-key").containsEntry("X-Timestamp", "1796551200000")
                .containsEntry("X-Signature-Version", "2")
                .containsEntry("X-Signature", readmeSignature("1796551200000", call.method(), call.pathAndQuery(),
                        call.headers().get("Content-Type"), call.headers().get("Idempotency-Key"), call.bodyText()));
    }

    @Test
    void aRechargeIsTheReadmesRechargeSignedAsItsOpensslRecipeSigns() {
        HttpCall call = protocol.pay(Fixtures.recharge(AIRTEL_PREPAID, "9876543210", 19_900, null), NOW);

        assertThat(call.method()).isEqualTo("POST");
        assertThat(call.pathAndQuery()).isEqualTo("/v1/recharges");
        assertThat(call.bodyText()).isEqualTo(
                "{\"operatorId\":\"airtel-prepaid\",\"accountNumber\":\"9876543210\",\"amountMinor\":19900,\"currency\":\"INR\"}");
        // printf 'v2\n%s\nPOST\n/v1/recharges\napplication/json\n%s\n%s' 1796551200000 BS1000001 "$body" \
        //   | openssl dgst -sha256 -hmac demo-secret -binary | base64
        assertThat(call.headers()).containsOnly(Map.entry("X-Api-Key", "demo-key"),
                Map.entry("X-Timestamp", "1796551200000"), Map.entry("X-Signature-Version", "2"),
                Map.entry("X-Signature", "modtPK3ICzTclQQP3Osx6G+wXlny8k/uKd1y41PgvTw="),
                Map.entry("Idempotency-Key", "BS1000001"), Map.entry("Content-Type", "application/json"));
    }

    @Test
    void aVietnameseTopUpNamesItsProductAndSendsDongAsTheyAre() {
        HttpCall call = protocol.pay(Fixtures.recharge(VIETTEL, "0987654321", 50_000, "VTT50"), NOW);

        assertThat(call.pathAndQuery()).isEqualTo("/v1/recharges");
        assertThat(call.bodyText()).isEqualTo("{\"operatorId\":\"viettel\",\"accountNumber\":\"0987654321\","
                + "\"amountMinor\":50000,\"currency\":\"VND\",\"productCode\":\"VTT50\"}");
        assertSignedAsDocumented(call);
    }

    @Test
    void aBillPaymentNamesTheUpstreamsFetchItsChannelAndItsParametersInOrder() {
        Bill fetchedThere = new Bill(82_000, "SALMAN", "B102277100", "Jan 2021", null, null, false, "demo-key:1000002");
        HttpCall call = protocol.pay(Fixtures.billPayment("102277100", 82_000, Map.of("z", "2", "a", "1"),
                Operator.Channel.HIGH_COMMISSION, fetchedThere), NOW);

        assertThat(call.method()).isEqualTo("POST");
        assertThat(call.pathAndQuery()).isEqualTo("/v1/bills/pay");
        assertThat(call.bodyText()).isEqualTo("{\"operatorId\":\"bses-rajdhani\",\"accountNumber\":\"102277100\","
                + "\"params\":{\"a\":\"1\",\"z\":\"2\"},\"amountMinor\":82000,\"currency\":\"INR\","
                + "\"billFetchId\":\"1000002\",\"channel\":\"HIGH_COMMISSION\"}");
        assertThat(call.headers()).containsEntry("Idempotency-Key", "BS1000001")
                .containsEntry("Content-Type", "application/json");
        assertSignedAsDocumented(call);
    }

    @Test
    void aBillFetchedElsewhereIsPaidWithoutAFetchIdAndTheUpstreamTakesItsLatestFetch() {
        for (String context : new String[] {null, "other-key:1000002", "demo-key:not-an-id", "[{\"billNumber\":\"1\"}]"}) {
            Bill bill = new Bill(82_000, "SALMAN", "B1", "Jan 2021", null, null, false, context);
            HttpCall call = protocol.pay(Fixtures.billPayment("102277100", 82_000, Map.of(), Operator.Channel.INSTANT, bill),
                    NOW);
            assertThat(call.bodyText()).as(context).isEqualTo("{\"operatorId\":\"bses-rajdhani\",\"accountNumber\":"
                    + "\"102277100\",\"amountMinor\":82000,\"currency\":\"INR\",\"channel\":\"INSTANT\"}");
        }
        HttpCall unfetched = protocol.pay(Fixtures.billPayment("102277100", 82_000, Map.of(), Operator.Channel.INSTANT,
                null), NOW);
        assertThat(unfetched.bodyText()).doesNotContain("billFetchId");
    }

    @Test
    void theRoutesUpstreamCodeIsTheOperatorSentAndOurOwnIdWhenTheRouteNamesNone() {
        PaymentInstruction coded = new PaymentInstruction(1, 1, "BS1", AIRTEL_PREPAID, "airtel-prepaid-in", "9876543210",
                Map.of(), 19_900, Operator.Channel.INSTANT, null, null, NOW);
        assertThat(protocol.pay(coded, NOW).bodyText()).startsWith("{\"operatorId\":\"airtel-prepaid-in\",");
        PaymentInstruction uncoded = new PaymentInstruction(1, 1, "BS1", AIRTEL_PREPAID, null, "9876543210",
                Map.of(), 19_900, Operator.Channel.INSTANT, null, null, NOW);
        assertThat(protocol.pay(uncoded, NOW).bodyText()).startsWith("{\"operatorId\":\"airtel-prepaid\",");
    }

    @Test
    void aFetchSendsItsReferenceAndParameters() {
        HttpCall call = protocol.fetchBill(new BillQuery("F0123456789abcdef", Fixtures.BSES_RAJDHANI, "bses-rajdhani",
                "102277100", Map.of("postalcode", "411001")), NOW);

        assertThat(call.method()).isEqualTo("POST");
        assertThat(call.pathAndQuery()).isEqualTo("/v1/bills/fetch");
        assertThat(call.bodyText()).isEqualTo("{\"operatorId\":\"bses-rajdhani\",\"accountNumber\":\"102277100\","
                + "\"params\":{\"postalcode\":\"411001\"},\"reference\":\"F0123456789abcdef\"}");
        assertThat(call.headers()).doesNotContainKey("Idempotency-Key").containsEntry("Content-Type", "application/json");
        assertSignedAsDocumented(call);
    }

    @Test
    void theStatusEnquiryAsksByTheAttemptsReferenceSignedAsOpensslSignsIt() {
        HttpCall call = protocol.status(Fixtures.recharge(AIRTEL_PREPAID, "9876543210", 19_900, null), NOW);

        assertThat(call.method()).isEqualTo("GET");
        assertThat(call.pathAndQuery()).isEqualTo("/v1/transactions?reference=BS1000001");
        assertThat(call.body()).isEmpty();
        // printf 'v2\n%s\nGET\n/v1/transactions?reference=BS1000001\n\n\n' 1796551200000 | openssl dgst -sha256 -hmac demo-secret -binary | base64
        assertThat(call.headers()).containsOnly(Map.entry("X-Api-Key", "demo-key"),
                Map.entry("X-Timestamp", "1796551200000"), Map.entry("X-Signature-Version", "2"),
                Map.entry("X-Signature", "RlLx0LWwPbTyqVICVdWS/F7TI57FYItALaVGM1zmJCs="));
    }

    @Test
    void theBalanceIsTheAvailableBalanceOfTheConfiguredCurrencysWallet() {
        HttpCall call = protocol.balance(NOW).orElseThrow();
        assertThat(call.method()).isEqualTo("GET");
        assertThat(call.pathAndQuery()).isEqualTo("/v1/wallet?currency=INR");
        assertSignedAsDocumented(call);

        assertThat(protocol.balanceAnswer(HttpAnswer.of(200, Fixtures.WALLET))).isEqualTo(4_980_100);
        NativeProtocol dong = new NativeProtocol("demo-key", Secret.of("demo-secret"), null, Currency.VND, Fixtures.CLOCK);
        assertThat(dong.balance(NOW).orElseThrow().pathAndQuery()).isEqualTo("/v1/wallet?currency=VND");
        assertThatThrownBy(() -> dong.balanceAnswer(HttpAnswer.of(200, Fixtures.WALLET)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> protocol.balanceAnswer(Fixtures.error(ErrorCode.UNKNOWN_API_KEY)))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aPaymentsAnswerIsItsTransactionsStatus() {
        PaymentInstruction paid = Fixtures.recharge(AIRTEL_PREPAID, "9876543210", 19_900, null);

        ConnectorResult success = protocol.payAnswer(paid, HttpAnswer.of(200, Fixtures.transaction("BS1000001", "SUCCESS")));
        assertThat(success).isEqualTo(ConnectorResult.of(Outcome.SUCCESS, "SBX1000006A1000006", "SUCCESS",
                "Transaction 1000006 is SUCCESS"));

        ConnectorResult declined = protocol.payAnswer(paid, HttpAnswer.of(200, Fixtures.transaction("BS1000001", "FAILED")));
        assertThat(declined).isEqualTo(ConnectorResult.of(Outcome.FAILED, null, "FAILED",
                "DECLINED: The operator declined the payment"));
        assertThat(declined.mayFailOver()).isFalse();

        assertThat(protocol.payAnswer(paid, HttpAnswer.of(202, Fixtures.transaction("BS1000001", "PENDING"))).outcome())
                .isEqualTo(Outcome.PENDING);
        assertThat(protocol.payAnswer(paid, HttpAnswer.of(202, Fixtures.transaction("BS1000001", "UNKNOWN"))).outcome())
                .isEqualTo(Outcome.UNKNOWN);
    }

    @Test
    void aPaymentsRefusalIsReadByItsCode() {
        PaymentInstruction paid = Fixtures.recharge(AIRTEL_PREPAID, "9876543210", 19_900, null);

        ConnectorResult shortFloat = protocol.payAnswer(paid, Fixtures.error(ErrorCode.INSUFFICIENT_FUNDS));
        assertThat(shortFloat).isEqualTo(ConnectorResult.failedTryElsewhere("INSUFFICIENT_FUNDS",
                "The wallet balance is insufficient."));
        assertThat(protocol.payAnswer(paid, Fixtures.error(ErrorCode.AMOUNT_OUT_OF_RANGE)))
                .isEqualTo(ConnectorResult.of(Outcome.FAILED, null, "AMOUNT_OUT_OF_RANGE",
                        "The amount is outside the operator's limits."));
        assertThat(protocol.payAnswer(paid, Fixtures.error(ErrorCode.REQUEST_IN_PROGRESS)).outcome())
                .isEqualTo(Outcome.UNKNOWN);
        assertThat(protocol.payAnswer(paid, HttpAnswer.of(409,
                "{\"error\":{\"code\":\"SOME_NEWER_CODE\",\"message\":\"?\",\"fields\":{}}}")).outcome())
                .isEqualTo(Outcome.UNKNOWN);
    }

    @Test
    void anAnswerThatIsNotOursOrNotReadableIsNotRead() {
        PaymentInstruction paid = Fixtures.recharge(AIRTEL_PREPAID, "9876543210", 19_900, null);

        for (HttpAnswer unreadable : new HttpAnswer[] {
                HttpAnswer.of(200, Fixtures.transaction("BS999", "SUCCESS")),
                HttpAnswer.of(200, "{\"status\":\"SUCCESS\"}"),
                HttpAnswer.of(200, "<html>SUCCESS</html>"),
                HttpAnswer.of(200, ""),
                HttpAnswer.of(200, "[]"),
                HttpAnswer.of(404, "<html>Not Found</html>"),
                HttpAnswer.of(409, Fixtures.transaction("BS1000001", "SUCCESS")),
                HttpAnswer.of(400, "{\"error\":{\"message\":\"no code\"}}")}) {
            assertThatThrownBy(() -> protocol.payAnswer(paid, unreadable)).as(unreadable.text())
                    .isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> protocol.statusAnswer(paid, unreadable)).as(unreadable.text())
                    .isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void aStatusEnquiryReadsTheTransactionAndNoRecordOfItAsFailed() {
        PaymentInstruction asked = Fixtures.recharge(AIRTEL_PREPAID, "9876543210", 19_900, null);

        assertThat(protocol.statusAnswer(asked, HttpAnswer.of(200, Fixtures.transaction("BS1000001", "REFUNDED"))))
                .isEqualTo(ConnectorResult.of(Outcome.FAILED, null, "REFUNDED", "DECLINED: The operator declined the payment"));
        assertThat(protocol.statusAnswer(asked, HttpAnswer.of(200, Fixtures.transaction("BS1000001", "SUCCESS"))).outcome())
                .isEqualTo(Outcome.SUCCESS);
        assertThat(protocol.statusAnswer(asked, Fixtures.error(ErrorCode.TRANSACTION_NOT_FOUND)))
                .isEqualTo(ConnectorResult.of(Outcome.FAILED, null, "TRANSACTION_NOT_FOUND",
                        "No such transaction for this partner."));
        assertThat(protocol.statusAnswer(asked, Fixtures.error(ErrorCode.UNKNOWN_API_KEY)))
                .isEqualTo(ConnectorResult.of(Outcome.UNKNOWN, null, "UNKNOWN_API_KEY", "Upstream answers only: the API key is not known."));
    }

    @Test
    void aFetchedBillCarriesTheUpstreamsFetchIdForItsPayment() {
        BillQuery query = Fixtures.fetch("102277100");

        BillResult result = protocol.fetchAnswer(query, HttpAnswer.of(200, Fixtures.fetched("F0123456789abcdef")));

        assertThat(result.outcome()).isEqualTo(Outcome.SUCCESS);
        assertThat(result.bill()).isEqualTo(new Bill(82_000, "SALMAN", "B102277100", "Jan 2021", LocalDate.of(1990, 1, 1),
                LocalDate.of(2021, 1, 6), false, "demo-key:1000002"));
        HttpCall payment = protocol.pay(Fixtures.billPayment("102277100", 82_000, Map.of(), Operator.Channel.INSTANT,
                result.bill()), NOW);
        assertThat(payment.bodyText()).contains("\"billFetchId\":\"1000002\"");
    }

    @Test
    void aFetchsRefusalIsReadByItsCodeAndABillNotAskedForIsNotRead() {
        BillQuery query = Fixtures.fetch("102277108");

        assertThat(protocol.fetchAnswer(query, Fixtures.error(ErrorCode.BILL_FETCH_FAILED)))
                .isEqualTo(BillResult.of(Outcome.FAILED, "BILL_FETCH_FAILED", "The operator found no payable bill for this account."));
        assertThat(protocol.fetchAnswer(query, Fixtures.error(ErrorCode.INVALID_SIGNATURE)))
                .isEqualTo(new BillResult(Outcome.FAILED, null, "INVALID_SIGNATURE", "The request signature does not match.", true));
        assertThat(protocol.fetchAnswer(query, Fixtures.error(ErrorCode.REQUEST_IN_PROGRESS)).outcome())
                .isEqualTo(Outcome.UNKNOWN);

        assertThatThrownBy(() -> protocol.fetchAnswer(query, HttpAnswer.of(200, Fixtures.fetched("F-someone-else"))))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> protocol.fetchAnswer(query, HttpAnswer.of(200,
                Fixtures.fetched("F0123456789abcdef").replace("\"currency\":\"INR\"", "\"currency\":\"VND\""))))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> protocol.fetchAnswer(query, HttpAnswer.of(200, Fixtures.transaction("F0123456789abcdef",
                "SUCCESS")))).isInstanceOf(IllegalArgumentException.class);
    }

    // Callbacks: the upstream's signed webhooks.

    private static CallbackRequest webhook(String signature, String body) {
        return new CallbackRequest(signature == null ? Map.of() : Map.of("BillSwitch-Signature", signature), null,
                body.getBytes(StandardCharsets.UTF_8));
    }

    /** t=..,v1=hex(HMAC-SHA256(secret, t + "." + body)), as the README's receiver verifies it. */
    private static String webhookSignature(String secret, long t, String body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return "t=" + t + ",v1=" + HexFormat.of().formatHex(mac.doFinal((t + "." + body).getBytes(StandardCharsets.UTF_8)));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void aSignedWebhookNamesTheAttemptByItsReference() {
        String body = Fixtures.webhook("payment.succeeded", "SUCCESS");
        // printf '%s.%s' 1796551200 "$body" | openssl dgst -sha256 -hmac whsec_test
        String signature = "t=1796551200,v1=4bf48f2674577f44eb03ae4a5087acc5eda488cf7dd3eb3354ca536a1455dc88";
        assertThat(webhookSignature("whsec_test", 1_796_551_200L, body)).isEqualTo(signature);

        Optional<CallbackNotice> notice = protocol.callback(webhook(signature, body));

        assertThat(notice).contains(CallbackNotice.signed("BS1000001", ConnectorResult.of(Outcome.SUCCESS,
                "SBX1000006A1000006", "SUCCESS", "Transaction 1000006 is SUCCESS")));
    }

    @Test
    void aFailedOrRefundedWebhookIsAFailure() {
        for (String[] event : new String[][] {{"payment.failed", "FAILED"}, {"payment.refunded", "REFUNDED"}}) {
            String body = Fixtures.webhook(event[0], event[1]);
            CallbackNotice notice = protocol.callback(webhook(webhookSignature("whsec_test", 1_796_551_200L, body), body))
                    .orElseThrow();
            assertThat(notice.result()).isEqualTo(ConnectorResult.of(Outcome.FAILED, null, event[1],
                    "DECLINED: The operator declined the payment"));
        }
        String review = Fixtures.webhook("payment.needs_review", "NEEDS_REVIEW");
        assertThat(protocol.callback(webhook(webhookSignature("whsec_test", 1_796_551_200L, review), review))
                .orElseThrow().result().outcome()).isEqualTo(Outcome.UNKNOWN);
    }

    @Test
    void aWebhookSignedWithinFiveMinutesOfOurClockIsAuthenticAndNoOlderOrNewerOne() {
        String body = Fixtures.webhook("payment.succeeded", "SUCCESS");
        long now = 1_796_551_200L;
        assertThat(protocol.callback(webhook(webhookSignature("whsec_test", now - 300, body), body))).isPresent();
        assertThat(protocol.callback(webhook(webhookSignature("whsec_test", now + 300, body), body))).isPresent();
        assertThat(protocol.callback(webhook(webhookSignature("whsec_test", now - 301, body), body))).isEmpty();
        assertThat(protocol.callback(webhook(webhookSignature("whsec_test", now + 301, body), body))).isEmpty();
    }

    @Test
    void aWebhookNotSignedWithOurWebhookSecretIsNotAuthentic() {
        String body = Fixtures.webhook("payment.succeeded", "SUCCESS");
        String signature = webhookSignature("whsec_test", 1_796_551_200L, body);

        assertThat(protocol.callback(webhook(webhookSignature("whsec_other", 1_796_551_200L, body), body))).isEmpty();
        assertThat(protocol.callback(webhook(signature, body.replace("SUCCESS", "FAILED")))).isEmpty();
        assertThat(protocol.callback(webhook(signature.replace("t=1796551200", "t=1796551201"), body))).isEmpty();
        assertThat(protocol.callback(webhook(null, body))).isEmpty();
        assertThat(protocol.callback(webhook("v1=" + signature.substring(signature.indexOf("v1=") + 3), body))).isEmpty();
        assertThat(protocol.callback(webhook(signature.toUpperCase(), body))).isEmpty();

        NativeProtocol withoutWebhookSecret = new NativeProtocol("demo-key", Secret.of("demo-secret"), null, Currency.INR,
                Fixtures.CLOCK);
        assertThat(withoutWebhookSecret.callback(webhook(signature, body))).isEmpty();
        assertThat(withoutWebhookSecret.callback(webhook(null, "not json"))).isEmpty();
    }

    @Test
    void anAuthenticWebhookThatCannotBeReadIsRefusedAsUnreadable() {
        for (String body : new String[] {"not json", "[]", "{\"id\":\"e\"}", "{\"data\":{\"status\":\"SUCCESS\"}}",
                "{\"data\":{\"reference\":\"BS1\"}}"}) {
            CallbackRequest request = webhook(webhookSignature("whsec_test", 1_796_551_200L, body), body);
            assertThatThrownBy(() -> protocol.callback(request)).as(body).isInstanceOf(IllegalArgumentException.class);
        }
    }
}
