package billswitch.api.v1;

import static org.assertj.core.api.Assertions.assertThat;

import billswitch.support.Http;
import billswitch.support.IntegrationTest;
import billswitch.support.NativeClient;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Every kind of bad request gets a clear catalog error and moves no money. */
class NativeBadInputTest extends IntegrationTest {

    static Stream<Arguments> badRecharges() {
        return Stream.of(
                Arguments.of("malformed JSON", "{\"operatorId\": \"airtel-prepaid\", ", 400, "MALFORMED_JSON"),
                Arguments.of("seed 001's unquoted number", """
                        {"operatorId":"airtel-prepaid","accountNumber":98XXXXXX76,"amountMinor":1000,"currency":"INR"}""", 400, "MALFORMED_JSON"),
                Arguments.of("empty body", "", 400, "MALFORMED_JSON"),
                Arguments.of("array body", "[]", 400, "INVALID_REQUEST"),
                Arguments.of("missing amount", """
                        {"operatorId":"airtel-prepaid","accountNumber":"9876543210","currency":"INR"}""", 400, "INVALID_REQUEST"),
                Arguments.of("missing operator", """
                        {"accountNumber":"9876543210","amountMinor":1000,"currency":"INR"}""", 400, "INVALID_REQUEST"),
                Arguments.of("extra field", """
                        {"operatorId":"airtel-prepaid","accountNumber":"9876543210","amountMinor":1000,"currency":"INR","tip":5}""", 400, "INVALID_REQUEST"),
                Arguments.of("amount as a string", """
                        {"operatorId":"airtel-prepaid","accountNumber":"9876543210","amountMinor":"1000","currency":"INR"}""", 400, "INVALID_REQUEST"),
                Arguments.of("sub-paise amount", """
                        {"operatorId":"airtel-prepaid","accountNumber":"9876543210","amountMinor":1000.5,"currency":"INR"}""", 400, "INVALID_REQUEST"),
                Arguments.of("negative amount", """
                        {"operatorId":"airtel-prepaid","accountNumber":"9876543210","amountMinor":-1000,"currency":"INR"}""", 400, "INVALID_REQUEST"),
                Arguments.of("zero amount", """
                        {"operatorId":"airtel-prepaid","accountNumber":"9876543210","amountMinor":0,"currency":"INR"}""", 400, "INVALID_REQUEST"),
                Arguments.of("huge amount", """
                        {"operatorId":"airtel-prepaid","accountNumber":"9876543210","amountMinor":99999999999999999999999,"currency":"INR"}""", 400, "INVALID_REQUEST"),
                Arguments.of("above the operator's maximum", """
                        {"operatorId":"airtel-prepaid","accountNumber":"9876543210","amountMinor":1000001,"currency":"INR"}""", 422, "AMOUNT_OUT_OF_RANGE"),
                Arguments.of("below the operator's minimum", """
                        {"operatorId":"airtel-prepaid","accountNumber":"9876543210","amountMinor":999,"currency":"INR"}""", 422, "AMOUNT_OUT_OF_RANGE"),
                Arguments.of("unknown currency", """
                        {"operatorId":"airtel-prepaid","accountNumber":"9876543210","amountMinor":1000,"currency":"USD"}""", 400, "INVALID_REQUEST"),
                Arguments.of("wrong currency for the operator", """
                        {"operatorId":"airtel-prepaid","accountNumber":"9876543210","amountMinor":1000,"currency":"VND"}""", 422, "CURRENCY_MISMATCH"),
                Arguments.of("unknown operator", """
                        {"operatorId":"no-such-operator","accountNumber":"9876543210","amountMinor":1000,"currency":"INR"}""", 404, "UNKNOWN_OPERATOR"),
                Arguments.of("number failing the regex", """
                        {"operatorId":"airtel-prepaid","accountNumber":"12345","amountMinor":1000,"currency":"INR"}""", 400, "INVALID_PARAMETER"),
                Arguments.of("a biller through the recharge call", """
                        {"operatorId":"bses-rajdhani","accountNumber":"102277100","amountMinor":1000,"currency":"INR"}""", 422, "OPERATION_NOT_SUPPORTED"),
                Arguments.of("more than the wallet holds", """
                        {"operatorId":"tata-play","accountNumber":"1234567890","amountMinor":2500000,"currency":"INR"}""", 402, "INSUFFICIENT_FUNDS"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badRecharges")
    void badRechargesAreRefusedWithoutMovingMoney(String why, String body, int status, String code) {
        NativeClient client = newPartner(1_000_000);
        String key = "bad-" + Math.abs(why.hashCode());

        Http answer = client.post("/v1/recharges", body, key);

        assertThat(answer.status()).as(why).isEqualTo(status);
        assertThat(answer.errorCode()).as(why).isEqualTo(code);
        assertThat(answer.json().get("error").get("message").stringValue()).isNotBlank();
        assertThat(answer.body()).doesNotContain("Exception").doesNotContain("\tat ");
        assertThat(client.availableInr()).isEqualTo(1_000_000);
        assertThat(client.get("/v1/transactions?reference=" + key).status()).as("no order kept").isEqualTo(404);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badRecharges")
    void aRefusedRequestDoesNotUseUpItsReference(String why, String body, int status, String code) {
        NativeClient client = newPartner(1_000_000);
        client.post("/v1/recharges", body, "retry-me");
        Http good = client.post("/v1/recharges", """
                {"operatorId":"airtel-prepaid","accountNumber":"9876543210","amountMinor":1000,"currency":"INR"}""", "retry-me");
        assertThat(good.status()).as(why).isEqualTo(200);
        assertThat(good.text("status")).isEqualTo("SUCCESS");
    }

    @org.junit.jupiter.api.Test
    void requestShapeErrors() {
        NativeClient client = newPartner(1_000_000);
        String body = """
                {"operatorId":"airtel-prepaid","accountNumber":"9876543210","amountMinor":1000,"currency":"INR"}""";

        Http noKey = client.post("/v1/recharges", body, null);
        assertThat(noKey.status()).isEqualTo(400);
        assertThat(noKey.errorCode()).isEqualTo("MISSING_IDEMPOTENCY_KEY");

        Http badKey = client.post("/v1/recharges", body, "has spaces in it");
        assertThat(badKey.errorCode()).isEqualTo("INVALID_REQUEST");

        Http textPlain = client.send("POST", "/v1/recharges", body, Map.of("Content-Type", "text/plain", "Idempotency-Key", "tp"));
        assertThat(textPlain.status()).isEqualTo(415);
        assertThat(textPlain.errorCode()).isEqualTo("UNSUPPORTED_MEDIA_TYPE");

        Http garbageType = client.send("POST", "/v1/recharges", body, Map.of("Content-Type", "///", "Idempotency-Key", "gt"));
        assertThat(garbageType.status()).isEqualTo(415);

        Http oversized = client.post("/v1/recharges", "{\"x\":\"" + "a".repeat(70_000) + "\"}", "big");
        assertThat(oversized.status()).isEqualTo(413);
        assertThat(oversized.errorCode()).isEqualTo("BODY_TOO_LARGE");

        Http wrongMethod = client.send("DELETE", "/v1/recharges", "", Map.of());
        assertThat(wrongMethod.status()).isEqualTo(405);
        assertThat(wrongMethod.errorCode()).isEqualTo("METHOD_NOT_ALLOWED");

        Http unknownPath = client.get("/v1/nothing-here");
        assertThat(unknownPath.status()).isEqualTo(404);
        assertThat(unknownPath.errorCode()).isEqualTo("NOT_FOUND");

        Http badLimit = client.get("/v1/wallet/statement?currency=INR&limit=100000");
        assertThat(badLimit.errorCode()).isEqualTo("INVALID_REQUEST");
        Http nonNumericLimit = client.get("/v1/wallet/statement?currency=INR&limit=ten");
        assertThat(nonNumericLimit.status()).isEqualTo(400);
        Http noCurrency = client.get("/v1/wallet/statement");
        assertThat(noCurrency.status()).isEqualTo(400);
        Http badCurrency = client.get("/v1/wallet?currency=EUR");
        assertThat(badCurrency.errorCode()).isEqualTo("UNSUPPORTED_CURRENCY");

        assertThat(client.availableInr()).isEqualTo(1_000_000);
    }
}
