package billswitch.api.admin;

import static org.assertj.core.api.Assertions.assertThat;

import billswitch.support.AdminClient;
import billswitch.support.Http;
import billswitch.support.IntegrationTest;
import billswitch.support.NativeClient;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

class AdminApiTest extends IntegrationTest {

    private String newId() {
        return "A" + UUID.randomUUID().toString().substring(0, 8).toUpperCase();
    }

    @Test
    void theAdminApiNeedsTheToken() {
        AdminClient anonymous = new AdminClient("http://localhost:" + port, null);
        AdminClient wrong = new AdminClient("http://localhost:" + port, "guess");
        assertThat(anonymous.get("/admin/ledger/verify").status()).isEqualTo(401);
        assertThat(wrong.post("/admin/partners", "{\"name\":\"x\"}").errorCode()).isEqualTo("ADMIN_UNAUTHORIZED");
    }

    @Test
    void theRuntimeShowsTheHeapAndCountsGarbageCollectionPauses() {
        JsonNode before = admin().get("/admin/runtime").json();
        assertThat(before.get("heapUsedBytes").longValue()).isPositive()
                .isLessThanOrEqualTo(before.get("heapCommittedBytes").longValue());
        assertThat(before.get("heapMaxBytes").longValue()).isGreaterThanOrEqualTo(before.get("heapCommittedBytes").longValue());
        System.gc(); // the server runs in this JVM: a full collection, a pause of G1's old-generation bean
        JsonNode after = admin().get("/admin/runtime").json();
        assertThat(after.get("gcPauses").longValue()).isGreaterThan(before.get("gcPauses").longValue());
        assertThat(after.get("gcPauseMillis").longValue()).isGreaterThanOrEqualTo(before.get("gcPauseMillis").longValue());
        assertThat(anonymousGet("/admin/runtime")).isEqualTo(401);
    }

    private int anonymousGet(String path) {
        return new AdminClient("http://localhost:" + port, null).get(path).status();
    }

    @Test
    void aCreatedPartnerCanCallTheApiWithTheCredentialsShownOnce() {
        String id = newId();
        Http created = admin().post("/admin/partners", """
                {"id":"%s","name":"Acme Retail","callbackUrl":"https://acme.example/hooks","ipAllowList":["127.0.0.1","::1"]}"""
                .formatted(id));
        assertThat(created.status()).isEqualTo(201);
        JsonNode creds = created.json().get("credentials");
        assertThat(creds.get("apiKey").stringValue()).startsWith("bsk_");
        assertThat(creds.get("apiSecret").stringValue()).hasSize(48);
        assertThat(created.json().get("partner").get("status").stringValue()).isEqualTo("ACTIVE");

        Http again = admin().get("/admin/partners/" + id);
        assertThat(again.body()).doesNotContain(creds.get("apiSecret").stringValue());

        NativeClient client = new NativeClient("http://localhost:" + port, id, creds.get("apiKey").stringValue(),
                creds.get("apiSecret").stringValue());
        assertThat(client.get("/v1/wallet").status()).isEqualTo(200);
        assertThat(client.availableInr()).isZero();

        assertThat(admin().post("/admin/partners", "{\"id\":\"%s\",\"name\":\"dup\"}".formatted(id)).errorCode())
                .isEqualTo("PARTNER_EXISTS");
    }

    @Test
    void badPartnerRequestsAreRefused() {
        assertThat(admin().post("/admin/partners", "{}").errorCode()).isEqualTo("INVALID_REQUEST");
        assertThat(admin().post("/admin/partners", "{\"name\":\"x\",\"ipAllowList\":[\"example.com\"]}").errorCode())
                .isEqualTo("INVALID_REQUEST");
        assertThat(admin().post("/admin/partners", "{\"name\":\"x\",\"callbackUrl\":\"ftp://x\"}").errorCode())
                .isEqualTo("INVALID_REQUEST");
        assertThat(admin().post("/admin/partners", "{\"id\":\"bad id!\",\"name\":\"x\"}").errorCode())
                .isEqualTo("INVALID_REQUEST");
        assertThat(admin().post("/admin/partners", "{name:").errorCode()).isEqualTo("MALFORMED_JSON");
        assertThat(admin().get("/admin/partners/nobody").errorCode()).isEqualTo("PARTNER_NOT_FOUND");
    }

    @Test
    void rotatingTheSecretRetiresTheOldOne() {
        NativeClient client = newPartner(0);
        assertThat(client.get("/v1/wallet").status()).isEqualTo(200);

        Http rotated = admin().post("/admin/partners/" + client.partnerId + "/rotate-secret", null);
        assertThat(rotated.status()).isEqualTo(200);
        assertThat(rotated.text("apiKey")).isEqualTo(client.keyId);

        assertThat(client.get("/v1/wallet").errorCode()).isEqualTo("INVALID_SIGNATURE");
        assertThat(client.withSecret(rotated.text("apiSecret")).get("/v1/wallet").status()).isEqualTo(200);
    }

    @Test
    void suspendAndReactivate() {
        NativeClient client = newPartner(0);
        assertThat(admin().post("/admin/partners/" + client.partnerId + "/suspend", null).text("status")).isEqualTo("SUSPENDED");
        assertThat(client.get("/v1/wallet").errorCode()).isEqualTo("PARTNER_SUSPENDED");
        assertThat(admin().post("/admin/partners/" + client.partnerId + "/reactivate", null).text("status")).isEqualTo("ACTIVE");
        assertThat(client.get("/v1/wallet").status()).isEqualTo(200);
        assertThat(admin().post("/admin/partners/nobody/suspend", null).status()).isEqualTo(404);
    }

    @Test
    void topUpsCreditTheWalletOncePerReference() {
        NativeClient client = newPartner(0);
        String path = "/admin/partners/" + client.partnerId + "/wallets/INR/top-ups";

        Http first = admin().post(path, "{\"amountMinor\":500000,\"reference\":\"bank-utr-1\"}");
        assertThat(first.status()).isEqualTo(201);
        assertThat(first.number("openingMinor")).isZero();
        assertThat(first.number("closingMinor")).isEqualTo(500_000);

        Http replay = admin().post(path, "{\"amountMinor\":500000,\"reference\":\"bank-utr-1\"}");
        assertThat(replay.status()).isEqualTo(200);
        assertThat(replay.json().get("replayed").booleanValue()).isTrue();
        assertThat(client.availableInr()).isEqualTo(500_000);

        assertThat(admin().post(path, "{\"amountMinor\":1,\"reference\":\"bank-utr-1\"}").errorCode())
                .isEqualTo("IDEMPOTENCY_KEY_REUSED");
        assertThat(admin().post(path, "{\"amountMinor\":-5,\"reference\":\"r2\"}").errorCode()).isEqualTo("INVALID_REQUEST");
        assertThat(admin().post(path, "{\"amountMinor\":\"5\",\"reference\":\"r3\"}").errorCode()).isEqualTo("INVALID_REQUEST");
        assertThat(admin().post("/admin/partners/" + client.partnerId + "/wallets/USD/top-ups",
                "{\"amountMinor\":5,\"reference\":\"r4\"}").errorCode()).isEqualTo("UNSUPPORTED_CURRENCY");
        assertThat(admin().post("/admin/partners/nobody/wallets/INR/top-ups",
                "{\"amountMinor\":5,\"reference\":\"r5\"}").errorCode()).isEqualTo("PARTNER_NOT_FOUND");
        assertThat(client.availableInr()).isEqualTo(500_000);

        Http verify = admin().get("/admin/ledger/verify");
        assertThat(verify.json().get("ok").booleanValue()).isTrue();
        assertThat(verify.json().get("mismatchedAccounts").size()).isZero();
    }

    @Test
    void dialectCredentialsAreAddedThroughTheAdminApi() {
        NativeClient client = newPartner(0);
        Http created = admin().post("/admin/partners/" + client.partnerId + "/credentials", """
                {"dialect":"AOPAY","keyId":"AOP-%s","ipAllowList":["127.0.0.1"]}""".formatted(client.partnerId));
        assertThat(created.status()).isEqualTo(201);
        assertThat(created.text("secret")).hasSize(48);
        Http balance = new billswitch.support.RawClient("http://localhost:" + port).post("/api/AOP/Balance",
                "{\"RegistrationID\":\"AOP-%s\"}".formatted(client.partnerId), java.util.Map.of("Content-Type", "application/json"));
        assertThat(balance.json().get("balance").stringValue()).isEqualTo("0.00");

        assertThat(admin().post("/admin/partners/" + client.partnerId + "/credentials",
                "{\"dialect\":\"SOAP\",\"keyId\":\"x\"}").errorCode()).isEqualTo("INVALID_REQUEST");
        assertThat(admin().post("/admin/partners/" + client.partnerId + "/credentials",
                "{\"dialect\":\"EKO\",\"keyId\":\"AOP-%s\"}".formatted(client.partnerId)).errorCode()).isEqualTo("PARTNER_EXISTS");
        assertThat(admin().post("/admin/partners/nobody/credentials", "{\"dialect\":\"EKO\",\"keyId\":\"zz\"}").status())
                .isEqualTo(404);
    }

    @Test
    void concurrentTopUpsWithOneReferenceCreditOnce() throws Exception {
        NativeClient client = newPartner(0);
        String path = "/admin/partners/" + client.partnerId + "/wallets/INR/top-ups";
        java.util.List<java.util.concurrent.Future<Http>> answers = new java.util.ArrayList<>();
        try (var pool = java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < 20; i++) {
                answers.add(pool.submit(() -> admin().post(path, "{\"amountMinor\":1000,\"reference\":\"same-utr\"}")));
            }
        }
        for (var a : answers) {
            assertThat(a.get().status()).isIn(200, 201);
        }
        assertThat(client.availableInr()).isEqualTo(1000);
    }
}
