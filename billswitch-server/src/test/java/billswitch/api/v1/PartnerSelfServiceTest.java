package billswitch.api.v1;

import static org.assertj.core.api.Assertions.assertThat;

import billswitch.infra.crypto.SecretBox;
import billswitch.shared.Secret;
import billswitch.support.Http;
import billswitch.support.IntegrationTest;
import billswitch.support.NativeClient;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;

/** Partner self-service through the real server: rotation with an overlap, callback URL, listing, statement CSV. */
class PartnerSelfServiceTest extends IntegrationTest {

    @Autowired
    SecretBox box;

    @Autowired
    JdbcClient jdbc;

    private static Http rotate(NativeClient client, String body) {
        return body == null ? client.send("POST", "/v1/credentials/rotate", "", Map.of())
                : client.post("/v1/credentials/rotate", body, null);
    }

    private static Http pollUntilRefused(NativeClient client) throws InterruptedException {
        for (int i = 0; i < 300; i++) {
            Http h = client.get("/v1/wallet");
            if (h.status() != 200) {
                return h;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("the old secret was never refused");
    }

    @Test
    void bothSecretsVerifyDuringTheOverlapAndOnlyTheNewOneAfterIt() throws Exception {
        NativeClient old = newPartner(0);
        Http rotated = rotate(old, "{\"overlapSeconds\":2}");
        assertThat(rotated.status()).isEqualTo(200);
        assertThat(rotated.text("apiKey")).isEqualTo(old.keyId);
        assertThat(rotated.text("previousValidUntil")).isNotNull();
        assertThat(rotated.json().get("earlierPreviousSecretRevoked").booleanValue()).isFalse();
        NativeClient fresh = old.withSecret(rotated.text("secret"));

        assertThat(fresh.get("/v1/wallet").status()).isEqualTo(200);
        Http afterWindow = pollUntilRefused(old);
        assertThat(afterWindow.errorCode()).isEqualTo("INVALID_SIGNATURE");
        assertThat(fresh.get("/v1/wallet").status()).isEqualTo(200);
        assertThat(old.get("/v1/wallet").errorCode()).isEqualTo("INVALID_SIGNATURE");
    }

    @Test
    void theDefaultOverlapIsADayAndRotatingAgainStopsTheOlderSecretAtOnce() {
        NativeClient first = newPartner(0);
        Instant before = Instant.now();
        Http r1 = rotate(first, null);
        assertThat(r1.status()).isEqualTo(200);
        Instant until = Instant.parse(r1.text("previousValidUntil"));
        assertThat(until).isBetween(before.plus(24, ChronoUnit.HOURS).minusSeconds(60), before.plus(25, ChronoUnit.HOURS));
        NativeClient second = first.withSecret(r1.text("secret"));
        assertThat(first.get("/v1/wallet").status()).isEqualTo(200);
        assertThat(second.get("/v1/wallet").status()).isEqualTo(200);

        Http r2 = rotate(second, "{\"overlapSeconds\":3600}");
        assertThat(r2.status()).isEqualTo(200);
        assertThat(r2.json().get("earlierPreviousSecretRevoked").booleanValue()).isTrue();
        assertThat(r2.text("note")).contains("stopped verifying");
        NativeClient third = first.withSecret(r2.text("secret"));
        assertThat(first.get("/v1/wallet").errorCode()).isEqualTo("INVALID_SIGNATURE");
        assertThat(second.get("/v1/wallet").status()).isEqualTo(200);
        assertThat(third.get("/v1/wallet").status()).isEqualTo(200);

        // without an overlap the replaced secret stops at once
        Http r3 = rotate(third, "{\"overlapSeconds\":0}");
        assertThat(r3.text("previousValidUntil")).isNull();
        assertThat(third.get("/v1/wallet").errorCode()).isEqualTo("INVALID_SIGNATURE");
        assertThat(second.get("/v1/wallet").errorCode()).isEqualTo("INVALID_SIGNATURE");
        assertThat(first.withSecret(r3.text("secret")).get("/v1/wallet").status()).isEqualTo(200);

        // recorded in the audit log as the partner's own change, never with a secret
        Http audit = admin().get("/admin/audit?target=partner:" + first.partnerId + "&action=partner.rotate-secret");
        assertThat(audit.json().get("entries")).hasSize(3);
        JsonNode entry = audit.json().get("entries").get(0);
        assertThat(entry.get("actor").stringValue()).isEqualTo("partner:" + first.partnerId);
        assertThat(entry.get("actorRole").stringValue()).isEqualTo("PARTNER");
        assertThat(audit.body()).doesNotContain(r1.text("secret"), r2.text("secret"), r3.text("secret"));
    }

    @Test
    void aBadOverlapIsRefusedAndRotatesNothing() {
        NativeClient client = newPartner(0);
        for (String body : List.of("{\"overlapSeconds\":-1}", "{\"overlapSeconds\":604801}", "{\"overlapSeconds\":\"x\"}",
                "{\"overlap\":5}")) {
            Http refused = rotate(client, body);
            assertThat(refused.status()).as(body).isEqualTo(400);
            assertThat(refused.errorCode()).as(body).isEqualTo("INVALID_REQUEST");
        }
        assertThat(rotate(client, "{\"overlapSeconds\":-1}").json().get("error").get("fields").has("overlapSeconds")).isTrue();
        assertThat(client.get("/v1/wallet").status()).isEqualTo(200);
    }

    @Test
    void theAdminsRotationStopsTheOldSecretAtOnceUnlessItAsksForAnOverlap() {
        NativeClient old = newPartner(0);
        Http overlapping = admin().post("/admin/partners/" + old.partnerId + "/rotate-secret", "{\"overlapSeconds\":3600}");
        assertThat(overlapping.status()).isEqualTo(200);
        assertThat(overlapping.text("previousValidUntil")).isNotNull();
        NativeClient second = old.withSecret(overlapping.text("apiSecret"));
        assertThat(old.get("/v1/wallet").status()).isEqualTo(200);
        assertThat(second.get("/v1/wallet").status()).isEqualTo(200);

        Http immediate = admin().post("/admin/partners/" + old.partnerId + "/rotate-secret", null);
        assertThat(immediate.text("previousValidUntil")).isNull();
        assertThat(old.get("/v1/wallet").errorCode()).isEqualTo("INVALID_SIGNATURE");
        assertThat(second.get("/v1/wallet").errorCode()).isEqualTo("INVALID_SIGNATURE");
        assertThat(old.withSecret(immediate.text("apiSecret")).get("/v1/wallet").status()).isEqualTo(200);
        assertThat(admin().post("/admin/partners/" + old.partnerId + "/rotate-secret", "{\"overlapSeconds\":604801}")
                .errorCode()).isEqualTo("INVALID_REQUEST");
    }

    @Test
    void theReplacedSecretIsSealedForItsOwnColumn() {
        NativeClient old = newPartner(0);
        Http rotated = rotate(old, "{\"overlapSeconds\":3600}");
        assertThat(rotated.status()).isEqualTo(200);
        assertThat(jdbc.sql("select previous_secret_enc from partner_credentials where key_id = :k").param("k", old.keyId)
                .query(String.class).single()).startsWith("v3:");
        // the replaced secret's sealed value copied over the current one does not open there: the key is refused
        jdbc.sql("update partner_credentials set secret_enc = previous_secret_enc where key_id = :k")
                .param("k", old.keyId).update();
        partners.setStatus(old.partnerId, billswitch.partner.Partner.Status.ACTIVE); // drops this node's cached copy
        assertThat(old.get("/v1/wallet").errorCode()).isEqualTo("INVALID_SIGNATURE");
        assertThat(old.withSecret(rotated.text("secret")).get("/v1/wallet").errorCode()).isEqualTo("INVALID_SIGNATURE");
    }

    @Test
    void aRotationMadeElsewhereIsSeenWithoutWaitingForTheCache() throws Exception {
        NativeClient old = newPartner(0);
        assertThat(old.get("/v1/wallet").status()).isEqualTo(200); // this node now holds the credential in its cache
        // another node rotates: the row changes in PostgreSQL, this node's cache is not told
        String secret = "rotated-elsewhere-" + old.partnerId;
        jdbc.sql("update partner_credentials set secret_enc = :s where key_id = :k")
                .param("s", box.seal(Secret.of(secret), new SecretBox.SealedColumn("partner_credentials", "key_id",
                        "secret_enc", List.of("partner_id", "dialect")).at(old.keyId, old.partnerId, "NATIVE")))
                .param("k", old.keyId).update();
        NativeClient fresh = old.withSecret(secret);
        Http accepted = null;
        for (int i = 0; i < 50 && (accepted == null || accepted.status() != 200); i++) {
            accepted = fresh.get("/v1/wallet");
            if (accepted.status() != 200) {
                Thread.sleep(100); // a credential is read again at most once a second per node
            }
        }
        // well before the cache's ten seconds: a signature the cached secret does not verify reads the row again
        assertThat(accepted.status()).isEqualTo(200);
        assertThat(old.get("/v1/wallet").errorCode()).isEqualTo("INVALID_SIGNATURE");
    }

    @Test
    void aPartnerSetsItsCallbackUrlUnderTheAdminsRules() {
        NativeClient client = newPartner(0);
        Http none = client.get("/v1/webhook");
        assertThat(none.status()).isEqualTo(200);
        assertThat(none.text("callbackUrl")).isNull();

        Http first = client.send("PUT", "/v1/webhook", "{\"callbackUrl\":\"http://127.0.0.1:9/hooks\"}",
                Map.of("Content-Type", "application/json"));
        assertThat(first.status()).isEqualTo(200);
        assertThat(first.text("callbackUrl")).isEqualTo("http://127.0.0.1:9/hooks");
        assertThat(first.text("webhookSecret")).startsWith("whsec_");
        assertThat(partners.webhookSecret(client.partnerId).orElseThrow().reveal()).isEqualTo(first.text("webhookSecret"));

        Http second = client.send("PUT", "/v1/webhook", "{\"callbackUrl\":\"http://127.0.0.1:10/other\"}",
                Map.of("Content-Type", "application/json"));
        assertThat(second.text("callbackUrl")).isEqualTo("http://127.0.0.1:10/other");
        assertThat(second.text("webhookSecret")).isNull();
        assertThat(partners.webhookSecret(client.partnerId).orElseThrow().reveal()).isEqualTo(first.text("webhookSecret"));
        assertThat(client.get("/v1/webhook").text("callbackUrl")).isEqualTo("http://127.0.0.1:10/other");
        assertThat(admin().get("/admin/partners/" + client.partnerId).body()).contains("http://127.0.0.1:10/other");

        for (String bad : List.of("ftp://example.com/x", "http://169.254.169.254/latest/meta-data", "http://10.0.0.1/x",
                "not a url")) {
            Http refused = client.send("PUT", "/v1/webhook", "{\"callbackUrl\":\"" + bad + "\"}",
                    Map.of("Content-Type", "application/json"));
            assertThat(refused.status()).as(bad).isEqualTo(400);
            assertThat(refused.errorCode()).as(bad).isEqualTo("INVALID_REQUEST");
        }
        assertThat(client.get("/v1/webhook").text("callbackUrl")).isEqualTo("http://127.0.0.1:10/other");

        Http cleared = client.send("PUT", "/v1/webhook", "{\"callbackUrl\":null}", Map.of("Content-Type", "application/json"));
        assertThat(cleared.status()).isEqualTo(200);
        assertThat(cleared.text("callbackUrl")).isNull();
        Http audit = admin().get("/admin/audit?target=partner:" + client.partnerId + "&action=partner.webhook");
        assertThat(audit.json().get("entries")).hasSize(3);
        assertThat(audit.body()).doesNotContain(first.text("webhookSecret"));
    }

    private static String recharge(String account, long amountMinor) {
        return """
                {"operatorId":"airtel-prepaid","accountNumber":"%s","amountMinor":%d,"currency":"INR"}"""
                .formatted(account, amountMinor);
    }

    private static List<String> ids(Http page) {
        List<String> ids = new ArrayList<>();
        page.json().get("transactions").forEach(t -> ids.add(t.get("id").stringValue()));
        return ids;
    }

    @Test
    void aPartnerListsItsPaymentsByDateAndStatusKeysetPaged() {
        NativeClient client = newPartner(10_000_000);
        List<String> succeeded = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            Http paid = client.post("/v1/recharges", recharge("9876543210", 1_000 + i), "ok-" + i);
            assertThat(paid.text("status")).isEqualTo("SUCCESS");
            succeeded.add(paid.text("id"));
        }
        Http declined = client.post("/v1/recharges", recharge("9876543218", 19_900), "no-1");
        assertThat(declined.text("status")).isEqualTo("FAILED");
        NativeClient other = newPartner(1_000_000);
        other.post("/v1/recharges", recharge("9876543210", 1_000), "other-1");

        Http all = client.get("/v1/transactions");
        assertThat(all.status()).isEqualTo(200);
        assertThat(ids(all)).containsExactly(declined.text("id"), succeeded.get(2), succeeded.get(1), succeeded.get(0));
        assertThat(all.text("nextCursor")).isNull();

        Http page1 = client.get("/v1/transactions?status=SUCCESS&limit=2");
        assertThat(ids(page1)).containsExactly(succeeded.get(2), succeeded.get(1));
        String cursor = page1.text("nextCursor");
        assertThat(cursor).isNotNull();
        // a payment made between two pages does not shift the next page
        client.post("/v1/recharges", recharge("9876543210", 2_000), "ok-late");
        Http page2 = client.get("/v1/transactions?status=SUCCESS&limit=2&cursor=" + cursor);
        assertThat(ids(page2)).containsExactly(succeeded.get(0));
        assertThat(page2.text("nextCursor")).isNull();
        assertThat(page2.json().get("transactions").get(0).get("status").stringValue()).isEqualTo("SUCCESS");

        Instant now = Instant.now();
        String hourAgo = now.minus(1, ChronoUnit.HOURS).truncatedTo(ChronoUnit.SECONDS).toString();
        String inAnHour = now.plus(1, ChronoUnit.HOURS).truncatedTo(ChronoUnit.SECONDS).toString();
        assertThat(ids(client.get("/v1/transactions?from=" + hourAgo + "&to=" + inAnHour + "&status=FAILED")))
                .containsExactly(declined.text("id"));
        assertThat(ids(client.get("/v1/transactions?from=" + inAnHour))).isEmpty();
        assertThat(ids(client.get("/v1/transactions?to=" + hourAgo))).isEmpty();
        String tomorrow = java.time.LocalDate.now(java.time.ZoneOffset.UTC).plusDays(1).toString();
        assertThat(ids(client.get("/v1/transactions?from=" + tomorrow))).isEmpty();
        // an explicit offset: the same instant as UTC
        String withOffset = now.minus(1, ChronoUnit.HOURS).atOffset(java.time.ZoneOffset.ofHoursMinutes(5, 30))
                .truncatedTo(ChronoUnit.SECONDS).toString().replace("+", "%2B");
        assertThat(ids(client.get("/v1/transactions?from=" + withOffset))).hasSize(5);
        // the single payment by reference still answers as before
        assertThat(client.get("/v1/transactions?reference=ok-1").text("id")).isEqualTo(succeeded.get(1));
    }

    @Test
    void badListingParametersAreNamed() {
        NativeClient client = newPartner(0);
        Http bad = client.get("/v1/transactions?from=2026-13-01&to=yesterday&status=DONE&limit=501&cursor=nonsense");
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.errorCode()).isEqualTo("INVALID_REQUEST");
        JsonNode fields = bad.json().get("error").get("fields");
        assertThat(fields.has("from")).isTrue();
        assertThat(fields.has("to")).isTrue();
        assertThat(fields.has("status")).isTrue();
        assertThat(fields.has("limit")).isTrue();
        assertThat(fields.has("cursor")).isTrue();
        for (String q : List.of("limit=0", "limit=abc", "from=2026-12-09&to=2026-12-07")) {
            Http refused = client.get("/v1/transactions?" + q);
            assertThat(refused.errorCode()).as(q).isEqualTo("INVALID_REQUEST");
        }
    }

    @Test
    void aPartnerDownloadsItsStatementAsCsvWithBalances() {
        NativeClient client = newPartner(1_000_000);
        Http paid = client.post("/v1/recharges", recharge("9876543210", 1_000), "csv-1");
        assertThat(paid.text("status")).isEqualTo("SUCCESS");

        Http csv = client.get("/v1/statement.csv?currency=INR");
        assertThat(csv.status()).isEqualTo(200);
        assertThat(csv.header("Content-Type")).startsWith("text/csv");
        String[] lines = csv.body().split("\r\n");
        assertThat(lines[0]).isEqualTo("entry_id,at,type,direction,currency,amount_minor,amount,opening_minor,opening,"
                + "closing_minor,closing,transaction_id,reference");
        assertThat(lines[1]).contains(",TOPUP,CREDIT,INR,1000000,10000.00,0,0.00,1000000,10000.00,,test-funding");
        assertThat(lines[2]).contains(",HOLD,DEBIT,INR,1000,10.00,1000000,10000.00,999000,9990.00," + paid.text("id") + ",");
        assertThat(lines.length).isGreaterThanOrEqualTo(3);
        // JSON statement and CSV agree on every entry
        JsonNode entries = client.get("/v1/wallet/statement?currency=INR").json().get("entries");
        assertThat(lines).hasSize(entries.size() + 1);

        String tomorrow = java.time.LocalDate.now(java.time.ZoneOffset.UTC).plusDays(1).toString();
        assertThat(client.get("/v1/statement.csv?currency=INR&from=" + tomorrow).body().split("\r\n")).hasSize(1);
        assertThat(client.get("/v1/statement.csv").errorCode()).isEqualTo("INVALID_REQUEST");
        assertThat(client.get("/v1/statement.csv?currency=INR&from=junk").json().get("error").get("fields").has("from")).isTrue();
        assertThat(client.get("/v1/statement.csv?currency=XYZ").status()).isEqualTo(400);
    }
}
