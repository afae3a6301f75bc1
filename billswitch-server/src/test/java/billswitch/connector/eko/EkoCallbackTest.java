package billswitch.connector.eko;

import static billswitch.connector.eko.EkoFixtures.ACCESS_KEY;
import static billswitch.connector.eko.EkoFixtures.NOW;
import static billswitch.connector.eko.EkoFixtures.seedHmac;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import billswitch.connector.http.CallbackNotice;
import billswitch.connector.http.CallbackRequest;
import billswitch.connector.spi.ConnectorResult;
import billswitch.connector.spi.Outcome;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The callback: authentic only with a secret-key made from our access key over a timestamp within five minutes of
 * our clock; read as a status enquiry's answer (or Eko's flat webhook object).
 */
class EkoCallbackTest {
    private static final String INQUIRY_SHAPE = """
            {"status":0,"response_status_id":0,"response_type_id":1065,"message":"Transaction successful",
             "data":{"tx_status":0,"txstatus_desc":"Success","tid":"1000005","client_ref_id":"BS1000003",
             "bbpstrxnrefid":"EK0123456789"}}""";

    private final EkoProtocol eko = EkoFixtures.protocol(EkoFixtures.clock());

    private static CallbackRequest signed(long timestampMillis, String body) {
        String ts = Long.toString(timestampMillis);
        return new CallbackRequest(Map.of("Secret-Key", seedHmac(ACCESS_KEY, ts), "Secret-Key-Timestamp", ts,
                "Content-Type", "application/json"), null, body.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void anAuthenticInquiryShapedNotice() {
        Optional<CallbackNotice> notice = eko.callback(signed(NOW.toEpochMilli() - 60_000, INQUIRY_SHAPE));
        assertThat(notice).contains(new CallbackNotice("BS1000003", new ConnectorResult(Outcome.SUCCESS,
                "EK0123456789", "tx_status:0", "Transaction successful", false)));
    }

    @Test
    void ekosFlatWebhookObjectToo() {
        Optional<CallbackNotice> notice = eko.callback(signed(NOW.toEpochMilli(), """
                {"tx_status":1,"amount":120.0,"txstatus_desc":"FAILED","tid":12971412,"client_ref_id":"BS1000003",
                 "account":"151627591","timestamp":"2019-11-01 18:03:48"}"""));
        assertThat(notice).contains(new CallbackNotice("BS1000003",
                new ConnectorResult(Outcome.FAILED, "12971412", "tx_status:1", "FAILED", false)));
    }

    @Test
    void withinFiveMinutesEitherWay() {
        long fiveMinutes = Duration.ofMinutes(5).toMillis();
        assertThat(eko.callback(signed(NOW.toEpochMilli() - fiveMinutes, INQUIRY_SHAPE))).isPresent();
        assertThat(eko.callback(signed(NOW.toEpochMilli() + fiveMinutes, INQUIRY_SHAPE))).isPresent();
        assertThat(eko.callback(signed(NOW.toEpochMilli() - fiveMinutes - 1, INQUIRY_SHAPE))).isEmpty();
        assertThat(eko.callback(signed(NOW.toEpochMilli() + fiveMinutes + 1, INQUIRY_SHAPE))).isEmpty();
    }

    @Test
    void theClockDecidesWhatIsStale() {
        EkoProtocol later = EkoFixtures.protocol(Clock.fixed(NOW.plus(Duration.ofMinutes(6)), ZoneOffset.UTC));
        assertThat(later.callback(signed(NOW.toEpochMilli(), INQUIRY_SHAPE))).isEmpty();
    }

    @Test
    void notAuthentic() {
        String ts = Long.toString(NOW.toEpochMilli());
        byte[] body = INQUIRY_SHAPE.getBytes(StandardCharsets.UTF_8);
        assertThat(eko.callback(new CallbackRequest(Map.of(), null, body))).isEmpty();
        assertThat(eko.callback(new CallbackRequest(Map.of("secret-key-timestamp", ts), null, body))).isEmpty();
        assertThat(eko.callback(new CallbackRequest(Map.of("secret-key", seedHmac("another-key", ts),
                "secret-key-timestamp", ts), null, body))).isEmpty();
        assertThat(eko.callback(new CallbackRequest(Map.of("secret-key", seedHmac(ACCESS_KEY, ts),
                "secret-key-timestamp", Long.toString(NOW.toEpochMilli() + 1)), null, body))).isEmpty();
        assertThat(eko.callback(new CallbackRequest(Map.of("secret-key", seedHmac(ACCESS_KEY, "soon"),
                "secret-key-timestamp", "soon"), null, body))).isEmpty();
    }

    @Test
    void notAuthenticComesBeforeUnreadable() {
        assertThat(eko.callback(new CallbackRequest(Map.of(), null, "not json".getBytes(StandardCharsets.UTF_8)))).isEmpty();
    }

    @Test
    void authenticButUnreadable() {
        assertThatThrownBy(() -> eko.callback(signed(NOW.toEpochMilli(), "not json")))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> eko.callback(signed(NOW.toEpochMilli(), "{\"status\":0,\"data\":{\"tx_status\":0}}")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("client_ref_id");
        assertThatThrownBy(() -> eko.callback(signed(NOW.toEpochMilli(), "{\"client_ref_id\":\"BS1000003\"}")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("tx_status");
        assertThatThrownBy(() -> eko.callback(signed(NOW.toEpochMilli(),
                "{\"status\":0,\"data\":{\"tx_status\":\"paid\",\"client_ref_id\":\"BS1000003\"}}")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("tx_status");
    }

    @Test
    void acknowledgedWith200() {
        assertThat(eko.callbackAcknowledgement().status()).isEqualTo(200);
    }
}
