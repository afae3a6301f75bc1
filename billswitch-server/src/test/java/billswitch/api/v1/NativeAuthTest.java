package billswitch.api.v1;

import static org.assertj.core.api.Assertions.assertThat;

import billswitch.partner.Partner;
import billswitch.support.Http;
import billswitch.support.IntegrationTest;
import billswitch.support.NativeClient;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The native API's authentication: every way to get it wrong is refused, and no money moves. */
class NativeAuthTest extends IntegrationTest {
    private static final String BODY = """
            {"operatorId":"airtel-prepaid","accountNumber":"9876543210","amountMinor":1000,"currency":"INR"}""";
    private static final Map<String, String> JSON = Map.of("Content-Type", "application/json", "Idempotency-Key", "auth-1");

    @Test
    void missingHeadersAreRefused() {
        NativeClient client = newPartner(100_000);
        Http answer = client.sendRaw("POST", "/v1/recharges", BODY, JSON, null, null);
        assertThat(answer.status()).isEqualTo(401);
        assertThat(answer.errorCode()).isEqualTo("MISSING_CREDENTIALS");
        assertThat(client.availableInr()).isEqualTo(100_000);
    }

    @Test
    void anUnknownKeyIsRefused() {
        NativeClient stranger = new NativeClient("http://localhost:" + port, "X", "no-such-key", "whatever");
        assertThat(stranger.post("/v1/recharges", BODY, "k").errorCode()).isEqualTo("INVALID_SIGNATURE");
    }

    @Test
    void aWrongOrMalformedSignatureIsRefused() {
        NativeClient client = newPartner(100_000);
        String ts = Long.toString(System.currentTimeMillis());
        Http wrongSecret = client.withSecret("not-the-secret").post("/v1/recharges", BODY, "k1");
        assertThat(wrongSecret.status()).isEqualTo(401);
        assertThat(wrongSecret.errorCode()).isEqualTo("INVALID_SIGNATURE");

        Http notBase64 = client.sendRaw("POST", "/v1/recharges", BODY, JSON, ts, "%%%not base64%%%");
        assertThat(notBase64.errorCode()).isEqualTo("MALFORMED_SIGNATURE");

        String signedOtherBody = client.sign(ts, "POST", "/v1/recharges", BODY.replace("1000", "2000"));
        Http tampered = client.sendRaw("POST", "/v1/recharges", BODY, JSON, ts, signedOtherBody);
        assertThat(tampered.errorCode()).isEqualTo("INVALID_SIGNATURE");

        String signedOtherPath = client.sign(ts, "POST", "/v1/bills/pay", BODY);
        assertThat(client.sendRaw("POST", "/v1/recharges", BODY, JSON, ts, signedOtherPath).errorCode())
                .isEqualTo("INVALID_SIGNATURE");
        assertThat(client.availableInr()).isEqualTo(100_000);
    }

    @Test
    void staleFutureAndGarbledTimestampsAreRefused() {
        NativeClient client = newPartner(100_000);
        for (String ts : List.of(Long.toString(System.currentTimeMillis() - 6 * 60_000),
                Long.toString(System.currentTimeMillis() + 6 * 60_000), "yesterday")) {
            Http answer = client.sendRaw("POST", "/v1/recharges", BODY, JSON, ts, client.sign(ts, "POST", "/v1/recharges", BODY));
            assertThat(answer.status()).as(ts).isEqualTo(401);
            assertThat(answer.errorCode()).as(ts).isEqualTo("STALE_TIMESTAMP");
        }
        assertThat(client.availableInr()).isEqualTo(100_000);
    }

    @Test
    void aReplayedSignedRequestIsRefused() {
        NativeClient client = newPartner(100_000);
        String ts = Long.toString(System.currentTimeMillis());
        String signature = client.sign(ts, "GET", "/v1/wallet", "");
        assertThat(client.sendRaw("GET", "/v1/wallet", "", Map.of(), ts, signature).status()).isEqualTo(200);
        Http replay = client.sendRaw("GET", "/v1/wallet", "", Map.of(), ts, signature);
        assertThat(replay.status()).isEqualTo(401);
        assertThat(replay.errorCode()).isEqualTo("REPLAYED_REQUEST");
    }

    @Test
    void aReplayWithTheSignatureWrittenDifferentlyIsRefused() {
        // Base64 decoding accepts the signature without its '=' padding: the same 32 bytes, another string.
        NativeClient client = newPartner(100_000);
        String ts = Long.toString(System.currentTimeMillis());
        String signature = client.sign(ts, "GET", "/v1/wallet", "");
        assertThat(signature).endsWith("=");
        assertThat(client.sendRaw("GET", "/v1/wallet", "", Map.of(), ts, signature).status()).isEqualTo(200);
        Http unpadded = client.sendRaw("GET", "/v1/wallet", "", Map.of(), ts, signature.replace("=", ""));
        assertThat(unpadded.status()).isEqualTo(401);
        assertThat(unpadded.errorCode()).isEqualTo("REPLAYED_REQUEST");
    }

    @Test
    void aSuspendedPartnerIsRefusedUntilReactivated() {
        NativeClient client = newPartner(100_000);
        partners.setStatus(client.partnerId, Partner.Status.SUSPENDED);
        Http refused = client.post("/v1/recharges", BODY, "susp-1");
        assertThat(refused.status()).isEqualTo(403);
        assertThat(refused.errorCode()).isEqualTo("PARTNER_SUSPENDED");
        assertThat(readBalanceAsAdmin(client)).isEqualTo(100_000);

        partners.setStatus(client.partnerId, Partner.Status.ACTIVE);
        assertThat(client.post("/v1/recharges", BODY, "susp-1").text("status")).isEqualTo("SUCCESS");
    }

    private long readBalanceAsAdmin(NativeClient client) {
        return admin().get("/admin/partners/" + client.partnerId).json().get("wallets").get(0).get("availableMinor").longValue();
    }

    @Test
    void anAddressOutsideTheAllowListIsRefused() {
        NativeClient fenced = newPartner(100_000, List.of("10.1.2.0/24"));
        Http refused = fenced.post("/v1/recharges", BODY, "ip-1");
        assertThat(refused.status()).isEqualTo(403);
        assertThat(refused.errorCode()).isEqualTo("IP_NOT_ALLOWED");

        NativeClient local = newPartner(100_000, List.of("127.0.0.1", "::1"));
        assertThat(local.post("/v1/recharges", BODY, "ip-2").text("status")).isEqualTo("SUCCESS");
    }
}
