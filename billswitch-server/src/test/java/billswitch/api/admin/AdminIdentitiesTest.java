package billswitch.api.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import billswitch.payment.Janitor;
import billswitch.support.AdminClient;
import billswitch.support.Http;
import billswitch.support.IntegrationTest;
import billswitch.support.NativeClient;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.TestPropertySource;
import tools.jackson.databind.JsonNode;

/**
 * Named admin identities and their roles, the append-only audit log, and two-person approval of top-ups and
 * settlements above the threshold (100.00 here), all through the real HTTP server.
 */
@TestPropertySource(properties = "billswitch.admin.approval-threshold-minor=10000")
class AdminIdentitiesTest extends IntegrationTest {

    @Autowired
    JdbcClient jdbc;
    @Autowired
    Janitor janitor;

    /** A new identity with this role, made by the built-in admin (demo-admin), and a client holding its token. */
    private AdminClient identity(String role) {
        String name = role.toLowerCase().replace('_', '-') + "-" + UUID.randomUUID().toString().substring(0, 8);
        Http created = admin().post("/admin/identities", "{\"name\":\"%s\",\"role\":\"%s\"}".formatted(name, role));
        assertThat(created.status()).isEqualTo(201);
        assertThat(created.json().get("identity").get("role").stringValue()).isEqualTo(role);
        String token = created.text("token");
        assertThat(token).startsWith("bsa_").hasSize(68);
        return new AdminClient("http://localhost:" + port, token);
    }

    private static String name(AdminClient client) {
        return client.get("/admin/identities/me").text("name");
    }

    private String topUpPath(NativeClient partner) {
        return "/admin/partners/" + partner.partnerId + "/wallets/INR/top-ups";
    }

    @Test
    void eachRoleDoesOnlyWhatTheMatrixAllows() {
        NativeClient partner = newPartner(0);
        AdminClient viewer = identity("READ_ONLY");
        AdminClient operations = identity("OPERATIONS");
        AdminClient finance = identity("FINANCE");

        // a viewer reads everything and writes nothing; a refused write moves no money and changes nothing
        assertThat(viewer.get("/admin/partners/" + partner.partnerId).status()).isEqualTo(200);
        assertThat(viewer.get("/admin/audit").status()).isEqualTo(200);
        assertThat(viewer.get("/admin/identities/me").json().get("role").stringValue()).isEqualTo("READ_ONLY");
        Http refused = viewer.post(topUpPath(partner), "{\"amountMinor\":500,\"reference\":\"viewer-1\"}");
        assertThat(refused.status()).isEqualTo(403);
        assertThat(refused.errorCode()).isEqualTo("ADMIN_FORBIDDEN");
        assertThat(refused.json().get("error").get("message").stringValue()).isNotBlank();
        assertThat(viewer.post("/admin/partners/" + partner.partnerId + "/suspend", null).errorCode()).isEqualTo("ADMIN_FORBIDDEN");
        assertThat(viewer.post("/admin/partners", "{\"name\":\"x\"}").status()).isEqualTo(403);
        assertThat(viewer.get("/admin/identities").status()).isEqualTo(403);
        assertThat(partner.availableInr()).isZero();
        assertThat(admin().get("/admin/partners/" + partner.partnerId).json().get("status").stringValue()).isEqualTo("ACTIVE");

        // finance tops up, and cannot settle orders, suspend partners or touch routes
        assertThat(finance.post(topUpPath(partner), "{\"amountMinor\":500,\"reference\":\"fin-1\"}").status()).isEqualTo(201);
        assertThat(partner.availableInr()).isEqualTo(500);
        assertThat(finance.post("/admin/orders/1/settle", "{\"outcome\":\"FAILED\",\"reason\":\"x\"}").status()).isEqualTo(403);
        assertThat(finance.post("/admin/partners/" + partner.partnerId + "/suspend", null).status()).isEqualTo(403);
        assertThat(finance.send("PUT", "/admin/operators/airtel-prepaid/routes", "[]").status()).isEqualTo(403);

        // operations runs partners' status, routes and the catalog, and cannot top up or manage identities
        assertThat(operations.post(topUpPath(partner), "{\"amountMinor\":500,\"reference\":\"ops-1\"}").status()).isEqualTo(403);
        assertThat(partner.availableInr()).isEqualTo(500);
        assertThat(operations.post("/admin/partners/" + partner.partnerId + "/suspend", null).status()).isEqualTo(200);
        assertThat(operations.post("/admin/partners/" + partner.partnerId + "/reactivate", null).status()).isEqualTo(200);
        assertThat(operations.post("/admin/identities", "{\"name\":\"sneaky\",\"role\":\"ADMIN\"}").status()).isEqualTo(403);
        assertThat(operations.post("/admin/partners/" + partner.partnerId + "/rotate-secret", null).status()).isEqualTo(403);

        // no token, a wrong one, the built-in admin's with a suffix: 401 in the native shape
        assertThat(new AdminClient("http://localhost:" + port, null).get("/admin/audit").errorCode()).isEqualTo("ADMIN_UNAUTHORIZED");
        assertThat(new AdminClient("http://localhost:" + port, "bsa_" + "0".repeat(64)).get("/admin/audit").status()).isEqualTo(401);
        assertThat(new AdminClient("http://localhost:" + port, "demo-admin2").get("/admin/audit").status()).isEqualTo(401);
    }

    @Test
    void rotatingOrDisablingAnIdentityTakesEffectAtOnce() {
        AdminClient finance = identity("FINANCE");
        String name = name(finance);
        Http listed = admin().get("/admin/identities");
        assertThat(listed.body()).contains("\"name\":\"admin\"").contains("\"name\":\"" + name + "\"").doesNotContain("bsa_");

        Http rotated = admin().post("/admin/identities/" + name + "/rotate-token", null);
        assertThat(rotated.status()).isEqualTo(200);
        AdminClient renewed = new AdminClient("http://localhost:" + port, rotated.text("token"));
        assertThat(finance.get("/admin/identities/me").status()).isEqualTo(401);
        assertThat(name(renewed)).isEqualTo(name);

        assertThat(admin().post("/admin/identities/" + name + "/disable", null).json().get("status").stringValue())
                .isEqualTo("DISABLED");
        assertThat(renewed.get("/admin/identities/me").errorCode()).isEqualTo("ADMIN_UNAUTHORIZED");
        assertThat(admin().post("/admin/identities/nobody-here/disable", null).errorCode()).isEqualTo("IDENTITY_NOT_FOUND");
        assertThat(admin().post("/admin/identities", "{\"name\":\"%s\",\"role\":\"ADMIN\"}".formatted(name)).errorCode())
                .isEqualTo("IDENTITY_EXISTS");
        assertThat(admin().post("/admin/identities", "{\"name\":\"admin\",\"role\":\"ADMIN\"}").errorCode()).isEqualTo("INVALID_REQUEST");
        assertThat(admin().post("/admin/identities", "{\"name\":\"someone\",\"role\":\"KING\"}").errorCode()).isEqualTo("INVALID_REQUEST");
        assertThat(admin().post("/admin/identities/admin/disable", null).errorCode()).isEqualTo("INVALID_REQUEST");
        // the audit log names who did it; no token is in it
        Http audit = admin().get("/admin/audit?target=identity:" + name);
        assertThat(audit.body()).doesNotContain("bsa_");
        assertThat(actions(audit)).containsExactly("identity.disable", "identity.rotate-token", "identity.create");
    }

    private static List<String> actions(Http audit) {
        List<String> actions = new ArrayList<>();
        audit.json().get("entries").forEach(e -> actions.add(e.get("action").stringValue()));
        return actions;
    }

    @Test
    void everyAdminWriteIsAuditedWithWhoWhatAndTheTargetBeforeAndAfter() {
        NativeClient partner = newPartner(0);
        AdminClient operations = identity("OPERATIONS");
        AdminClient finance = identity("FINANCE");
        String target = "partner:" + partner.partnerId;

        operations.post("/admin/partners/" + partner.partnerId + "/suspend", null);
        finance.post(topUpPath(partner), "{\"amountMinor\":700,\"reference\":\"audit-1\"}");
        // a refused write leaves no entry
        finance.post(topUpPath(partner), "{\"amountMinor\":701,\"reference\":\"audit-1\"}");

        Http page = admin().get("/admin/audit?target=" + target);
        JsonNode entries = page.json().get("entries");
        assertThat(actions(page)).containsExactly("wallet.top-up", "partner.suspend");
        JsonNode topUp = entries.get(0);
        assertThat(topUp.get("actor").stringValue()).isEqualTo(name(finance));
        assertThat(topUp.get("actorRole").stringValue()).isEqualTo("FINANCE");
        assertThat(topUp.get("request").stringValue()).isEqualTo("POST /admin/partners/" + partner.partnerId + "/wallets/INR/top-ups");
        assertThat(topUp.get("before").get("wallet").get("availableMinor").longValue()).isZero();
        assertThat(topUp.get("after").get("wallet").get("availableMinor").longValue()).isEqualTo(700);
        assertThat(topUp.get("at").stringValue()).isNotBlank();
        JsonNode suspend = entries.get(1);
        assertThat(suspend.get("actor").stringValue()).isEqualTo(name(operations));
        assertThat(suspend.get("before").get("status").stringValue()).isEqualTo("ACTIVE");
        assertThat(suspend.get("after").get("status").stringValue()).isEqualTo("SUSPENDED");

        // filters and paging: by actor, one entry a page, then the next page
        Http byActor = admin().get("/admin/audit?actor=" + name(finance) + "&limit=1");
        assertThat(actions(byActor)).containsExactly("wallet.top-up");
        assertThat(byActor.text("next")).isNotNull();
        assertThat(admin().get("/admin/audit?actor=" + name(finance) + "&limit=1&before=" + byActor.text("next"))
                .json().get("entries")).isEmpty();
        assertThat(admin().get("/admin/audit?target=" + target + "&from=2999-01-01T00:00:00Z").json().get("entries")).isEmpty();
        assertThat(admin().get("/admin/audit?target=" + target + "&to=2000-01-01T00:00:00Z").json().get("entries")).isEmpty();
        assertThat(admin().get("/admin/audit?from=yesterday").errorCode()).isEqualTo("INVALID_REQUEST");

        // the other admin writes record entries too
        Http created = admin().post("/admin/partners", "{\"name\":\"Audited partner\"}");
        String id = created.json().get("partner").get("id").stringValue();
        admin().post("/admin/partners/" + id + "/credentials", "{\"dialect\":\"AOPAY\",\"keyId\":\"AOP-AUD-%s\"}".formatted(id));
        admin().post("/admin/partners/" + id + "/rotate-secret", null);
        admin().post("/admin/partners/" + id + "/webhook", "{\"callbackUrl\":\"https://example.com/hook\"}");
        Http trail = admin().get("/admin/audit?target=partner:" + id);
        assertThat(actions(trail)).containsExactly("partner.webhook", "partner.rotate-secret", "partner.credential.add",
                "partner.create");
        assertThat(trail.body()).doesNotContain(created.json().get("credentials").get("apiSecret").stringValue())
                .doesNotContain("whsec_");
        assertThat(trail.json().get("entries").get(0).get("after").get("callbackUrl").stringValue())
                .isEqualTo("https://example.com/hook");

        // a partner's limits and a credential's attributes, with what they were and became
        assertThat(admin().send("PUT", "/admin/partners/" + id + "/limits", "{\"requestsPerSecond\":50}").status()).isEqualTo(200);
        JsonNode limits = admin().get("/admin/audit?target=partner:" + id + "&action=partner.limits").json().get("entries").get(0);
        assertThat(limits.get("after").get("requestsPerSecond").intValue()).isEqualTo(50);
        String keyId = "AOP-AUD-" + id;
        assertThat(admin().send("PATCH", "/admin/partners/" + id + "/credentials/" + keyId,
                "{\"attributes\":{\"requireRequestHash\":false}}").status()).isEqualTo(200);
        JsonNode attributes = admin().get("/admin/audit?target=partner:" + id + ":credential:" + keyId).json().get("entries").get(0);
        assertThat(attributes.get("action").stringValue()).isEqualTo("partner.credential.attributes");
        assertThat(attributes.get("after").get("requireRequestHash").booleanValue()).isFalse();
    }

    @Test
    void theAuditLogRefusesUpdateDeleteAndTruncate() {
        admin().post("/admin/partners/" + newPartner(0).partnerId + "/suspend", null);
        long id = jdbc.sql("select max(id) from admin_audit").query(Long.class).single();
        assertThatThrownBy(() -> jdbc.sql("update admin_audit set actor = 'nobody' where id = :id").param("id", id).update())
                .rootCause().hasMessageContaining("append-only");
        assertThatThrownBy(() -> jdbc.sql("delete from admin_audit where id = :id").param("id", id).update())
                .rootCause().hasMessageContaining("append-only");
        assertThatThrownBy(() -> jdbc.sql("truncate admin_audit").update())
                .rootCause().hasMessageContaining("append-only");
        assertThat(jdbc.sql("select actor from admin_audit where id = :id").param("id", id).query(String.class).single())
                .isEqualTo("admin");
    }

    @Test
    void aTopUpAboveTheThresholdWaitsForASecondIdentityAndMovesMoneyOnce() throws Exception {
        NativeClient partner = newPartner(0);
        AdminClient alice = identity("FINANCE");
        AdminClient bob = identity("FINANCE");
        AdminClient viewer = identity("READ_ONLY");
        AdminClient operations = identity("OPERATIONS");

        // at the threshold: done at once; above it: 202 and nothing moves
        assertThat(alice.post(topUpPath(partner), "{\"amountMinor\":10000,\"reference\":\"two-0\"}").status()).isEqualTo(201);
        Http pending = alice.post(topUpPath(partner), "{\"amountMinor\":50000,\"reference\":\"two-1\"}");
        assertThat(pending.status()).isEqualTo(202);
        String approval = pending.json().get("approval").get("id").stringValue();
        assertThat(pending.json().get("approval").get("status").stringValue()).isEqualTo("PENDING");
        assertThat(partner.availableInr()).isEqualTo(10000);
        // the same request again is the same approval; the reference with another amount is refused
        assertThat(alice.post(topUpPath(partner), "{\"amountMinor\":50000,\"reference\":\"two-1\"}").json()
                .get("approval").get("id").stringValue()).isEqualTo(approval);
        assertThat(alice.post(topUpPath(partner), "{\"amountMinor\":60000,\"reference\":\"two-1\"}").errorCode())
                .isEqualTo("IDEMPOTENCY_KEY_REUSED");
        assertThat(viewer.get("/admin/approvals").body()).contains("\"id\":\"" + approval + "\"");

        // the requester cannot approve it; nor can a viewer or operations (a top-up is finance's)
        Http own = alice.post("/admin/approvals/" + approval + "/approve", null);
        assertThat(own.status()).isEqualTo(403);
        assertThat(own.errorCode()).isEqualTo("ADMIN_FORBIDDEN");
        assertThat(viewer.post("/admin/approvals/" + approval + "/approve", null).status()).isEqualTo(403);
        assertThat(operations.post("/admin/approvals/" + approval + "/approve", null).errorCode()).isEqualTo("ADMIN_FORBIDDEN");
        assertThat(operations.post("/admin/approvals/" + approval + "/reject", null).errorCode()).isEqualTo("ADMIN_FORBIDDEN");
        assertThat(viewer.post("/admin/approvals/" + approval + "/reject", null).errorCode()).isEqualTo("ADMIN_FORBIDDEN");
        assertThat(partner.availableInr()).isEqualTo(10000);

        // a second finance identity approves: executed once, even when approved again at the same time
        CountDownLatch start = new CountDownLatch(1);
        ConcurrentLinkedQueue<Http> answers = new ConcurrentLinkedQueue<>();
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            threads.add(Thread.ofVirtual().start(() -> {
                try {
                    start.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                answers.add(bob.post("/admin/approvals/" + approval + "/approve", null));
            }));
        }
        start.countDown();
        for (Thread t : threads) {
            t.join();
        }
        for (Http answer : answers) {
            assertThat(answer.status()).isEqualTo(200);
            assertThat(answer.text("status")).isEqualTo("APPROVED");
            assertThat(answer.text("decidedBy")).isEqualTo(name(bob));
            assertThat(answer.json().get("result").get("amountMinor").longValue()).isEqualTo(50000);
        }
        assertThat(partner.availableInr()).isEqualTo(60000);
        assertThat(jdbc.sql("select count(*) from transfers where code = 'TOPUP' and credit_account_id = :wallet")
                .param("wallet", partners.walletId(partner.partnerId, billswitch.shared.Currency.INR))
                .query(Long.class).single()).isEqualTo(2);
        assertThat(alice.post("/admin/approvals/" + approval + "/reject", null).errorCode()).isEqualTo("APPROVAL_DECIDED");
        assertThat(admin().get("/admin/approvals").body()).doesNotContain("\"id\":\"" + approval + "\"");
        // the same request sent again after it was approved and made: the top-up made (200), no new approval
        Http again = alice.post(topUpPath(partner), "{\"amountMinor\":50000,\"reference\":\"two-1\"}");
        assertThat(again.status()).isEqualTo(200);
        assertThat(again.json().get("replayed").booleanValue()).isTrue();
        assertThat(again.json().get("amountMinor").longValue()).isEqualTo(50000);
        assertThat(alice.post(topUpPath(partner), "{\"amountMinor\":70000,\"reference\":\"two-1\"}").errorCode())
                .isEqualTo("IDEMPOTENCY_KEY_REUSED");
        assertThat(admin().get("/admin/approvals").body()).doesNotContain("two-1");
        assertThat(partner.availableInr()).isEqualTo(60000);

        // the trail: the request by alice, the top-up and the approval by bob
        Http trail = admin().get("/admin/audit?target=partner:" + partner.partnerId);
        assertThat(actions(trail)).containsExactly("wallet.top-up", "approval.request", "wallet.top-up");
        assertThat(trail.json().get("entries").get(0).get("actor").stringValue()).isEqualTo(name(bob));
        assertThat(trail.json().get("entries").get(1).get("actor").stringValue()).isEqualTo(name(alice));
        assertThat(actions(admin().get("/admin/audit?target=approval:" + approval))).containsExactly("approval.approve");

        // a rejected one never executes
        String second = alice.post(topUpPath(partner), "{\"amountMinor\":20000,\"reference\":\"two-2\"}")
                .json().get("approval").get("id").stringValue();
        assertThat(bob.post("/admin/approvals/" + second + "/reject", "{\"reason\":\"not agreed\"}").text("status"))
                .isEqualTo("REJECTED");
        assertThat(admin().post("/admin/approvals/" + second + "/approve", null).errorCode()).isEqualTo("APPROVAL_DECIDED");
        assertThat(partner.availableInr()).isEqualTo(60000);
        assertThat(admin().post("/admin/approvals/999999999/approve", null).errorCode()).isEqualTo("APPROVAL_NOT_FOUND");
        assertThat(admin().get("/admin/ledger/verify").json().get("ok").booleanValue()).isTrue();
    }

    /** Two-person approval needs two people: not an identity the requester created or last gave a token to. */
    @Test
    void anIdentityTheRequesterCreatedOrRotatedCannotApproveTheirRequest() {
        NativeClient partner = newPartner(0);
        AdminClient alice = identity("ADMIN");
        String puppet = "puppet-" + UUID.randomUUID().toString().substring(0, 8);
        Http made = alice.post("/admin/identities", "{\"name\":\"%s\",\"role\":\"FINANCE\"}".formatted(puppet));
        assertThat(made.status()).isEqualTo(201);
        AdminClient bob = new AdminClient("http://localhost:" + port, made.text("token"));
        AdminClient carol = identity("FINANCE");
        AdminClient dave = identity("FINANCE");
        Http rotated = alice.post("/admin/identities/" + name(carol) + "/rotate-token", null);
        assertThat(rotated.status()).isEqualTo(200);
        carol = new AdminClient("http://localhost:" + port, rotated.text("token"));

        String approval = alice.post(topUpPath(partner), "{\"amountMinor\":50000,\"reference\":\"tied-1\"}")
                .json().get("approval").get("id").stringValue();
        for (AdminClient tied : List.of(bob, carol)) {
            Http refused = tied.post("/admin/approvals/" + approval + "/approve", null);
            assertThat(refused.status()).isEqualTo(403);
            assertThat(refused.errorCode()).isEqualTo("ADMIN_FORBIDDEN");
        }
        assertThat(partner.availableInr()).isZero();
        assertThat(dave.post("/admin/approvals/" + approval + "/approve", null).text("status")).isEqualTo("APPROVED");
        assertThat(partner.availableInr()).isEqualTo(50000);
    }

    @Test
    void aSettlementAboveTheThresholdWaitsForASecondOperator() {
        NativeClient client = newPartner(1_000_000);
        Http paid = client.post("/v1/recharges", """
                {"operatorId":"airtel-prepaid","accountNumber":"9876543219","amountMinor":19900,"currency":"INR"}""", "settle-2p");
        assertThat(paid.status()).isEqualTo(202);
        long id = Long.parseLong(paid.text("id"));
        jdbc.sql("update orders set created_at = now() - interval '3 days', next_check_at = now() - interval '1 second' where id = :id")
                .param("id", id).update();
        jdbc.sql("update attempts set started_at = now() where order_id = :id").param("id", id).update();
        while (janitor.resolveDue() > 0) {
            // next batch
        }
        assertThat(client.get("/v1/transactions/" + id).text("status")).isEqualTo("NEEDS_REVIEW");

        AdminClient carol = identity("OPERATIONS");
        AdminClient dave = identity("OPERATIONS");
        AdminClient finance = identity("FINANCE");
        Http pending = carol.post("/admin/orders/" + id + "/settle", "{\"outcome\":\"FAILED\",\"reason\":\"not credited\"}");
        assertThat(pending.status()).isEqualTo(202);
        String approval = pending.json().get("approval").get("id").stringValue();
        assertThat(client.get("/v1/transactions/" + id).text("status")).isEqualTo("NEEDS_REVIEW");
        // the opposite outcome for the same order is a conflict, not the pending approval
        Http opposite = carol.post("/admin/orders/" + id + "/settle", "{\"outcome\":\"SUCCESS\",\"reason\":\"credited\"}");
        assertThat(opposite.status()).isEqualTo(409);
        assertThat(opposite.errorCode()).isEqualTo("IDEMPOTENCY_KEY_REUSED");
        assertThat(dave.post("/admin/orders/" + id + "/settle", "{\"outcome\":\"SUCCESS\",\"reason\":\"x\"}").status())
                .isEqualTo(409);
        assertThat(carol.post("/admin/approvals/" + approval + "/approve", null).errorCode()).isEqualTo("ADMIN_FORBIDDEN");
        assertThat(finance.post("/admin/approvals/" + approval + "/approve", null).errorCode()).isEqualTo("ADMIN_FORBIDDEN");

        Http approved = dave.post("/admin/approvals/" + approval + "/approve", null);
        assertThat(approved.text("status")).isEqualTo("APPROVED");
        assertThat(approved.json().get("result").get("status").stringValue()).isEqualTo("REFUNDED");
        assertThat(client.get("/v1/transactions/" + id).text("status")).isEqualTo("REFUNDED");
        assertThat(client.availableInr()).isEqualTo(1_000_000);
        assertThat(dave.post("/admin/approvals/" + approval + "/approve", null).text("status")).isEqualTo("APPROVED");
        assertThat(client.availableInr()).isEqualTo(1_000_000);
        Http trail = admin().get("/admin/audit?target=order:" + id);
        assertThat(actions(trail)).containsExactly("order.settle", "approval.request");
        assertThat(trail.json().get("entries").get(0).get("before").get("status").stringValue()).isEqualTo("NEEDS_REVIEW");
        assertThat(trail.json().get("entries").get(0).get("after").get("status").stringValue()).isEqualTo("REFUNDED");
    }

    /**
     * A connector's base URL and credentials are where every later payment goes, signed: only ADMIN creates a
     * connector or changes them; OPERATIONS runs it (enable, limits, routes). Metadata and private addresses are
     * refused as a base URL, and the audit shows the base URL before and after, never a credential.
     */
    @Test
    void onlyAnAdminPointsAConnectorSomewhereAndNeverAtMetadataOrPrivateAddresses() {
        AdminClient operations = identity("OPERATIONS");
        String name = "ops-" + UUID.randomUUID().toString().substring(0, 8);
        String create = """
                {"name":"%s","type":"stub","baseUrl":"%s","credentials":{"token":"tok-secret-%s"}}""";
        assertThat(operations.post("/admin/connectors", create.formatted(name, "http://127.0.0.1:9", name)).errorCode())
                .isEqualTo("ADMIN_FORBIDDEN");
        assertThat(admin().get("/admin/connectors/" + name).status()).isEqualTo(404);
        for (String url : List.of("http://169.254.169.254/", "https://[fd00:ec2::254]/", "http://168.63.129.16/",
                "http://10.0.0.1/", "http://[::ffff:169.254.169.254]/", "http://0.0.0.0:9/")) {
            Http refused = admin().post("/admin/connectors", create.formatted(name, url, name));
            assertThat(refused.status()).as(url).isEqualTo(400);
            assertThat(refused.errorCode()).isEqualTo("INVALID_REQUEST");
            assertThat(refused.body()).contains("baseUrl refused");
        }
        assertThat(admin().post("/admin/connectors", create.formatted(name, "http://127.0.0.1:9", name)).status()).isEqualTo(201);

        String path = "/admin/connectors/" + name;
        Http stolen = operations.send("PATCH", path, "{\"baseUrl\":\"https://attacker.example/\"}");
        assertThat(stolen.status()).isEqualTo(403);
        assertThat(stolen.errorCode()).isEqualTo("ADMIN_FORBIDDEN");
        assertThat(operations.send("PATCH", path, "{\"credentials\":{\"token\":\"mine\"}}").status()).isEqualTo(403);
        assertThat(admin().get(path).text("baseUrl")).isEqualTo("http://127.0.0.1:9");
        // what OPERATIONS may still do
        Http run = operations.send("PATCH", path, "{\"enabled\":false,\"maxInFlight\":7,\"timeouts\":{\"readMs\":2000}}");
        assertThat(run.status()).isEqualTo(200);
        assertThat(run.json().get("maxInFlight").intValue()).isEqualTo(7);
        // ADMIN neither: not at a metadata address
        assertThat(admin().send("PATCH", path, "{\"baseUrl\":\"http://169.254.169.254/\"}").status()).isEqualTo(400);
        assertThat(admin().send("PATCH", path, "{\"baseUrl\":\"http://127.0.0.2:9\"}").status()).isEqualTo(200);

        Http trail = admin().get("/admin/audit?target=connector:" + name);
        assertThat(actions(trail)).containsExactly("connector.change", "connector.change", "connector.create");
        JsonNode moved = trail.json().get("entries").get(0);
        assertThat(moved.get("before").get("baseUrl").stringValue()).isEqualTo("http://127.0.0.1:9");
        assertThat(moved.get("after").get("baseUrl").stringValue()).isEqualTo("http://127.0.0.2:9");
        assertThat(trail.body()).doesNotContain("tok-secret-").doesNotContain("mine");
    }

    /**
     * Spring Security's chain runs on /admin only: its headers are on admin answers and on no partner answer, which
     * it gives no session cookie and asks for no CSRF token (a signed POST pays).
     */
    @Test
    void springSecurityTouchesOnlyTheAdminApi() {
        Http adminAnswer = admin().get("/admin/identities/me");
        assertThat(adminAnswer.header("X-Content-Type-Options")).isEqualTo("nosniff");
        assertThat(adminAnswer.header("Set-Cookie")).isNull();

        NativeClient client = newPartner(100_000);
        Http wallet = client.get("/v1/wallet?currency=INR");
        Http paid = client.post("/v1/recharges", """
                {"operatorId":"airtel-prepaid","accountNumber":"9876543210","amountMinor":1000,"currency":"INR"}""", "sec-1");
        Http aopay = new billswitch.support.RawClient("http://localhost:" + port).post("/api/AOP/RechargesStatus",
                "{\"registrationID\":\"AOP-554\",\"referenceid\":\"none-such\"}", java.util.Map.of("Content-Type", "application/json"));
        Http unknown = new billswitch.support.RawClient("http://localhost:" + port).get("/v1/nothing-here", java.util.Map.of());
        for (Http partnerAnswer : List.of(wallet, paid, aopay, unknown)) {
            assertThat(partnerAnswer.header("X-Content-Type-Options")).isNull();
            assertThat(partnerAnswer.header("X-Frame-Options")).isNull();
            assertThat(partnerAnswer.header("Cache-Control")).isNull();
            assertThat(partnerAnswer.header("Set-Cookie")).isNull();
        }
        assertThat(wallet.status()).isEqualTo(200);
        // what Spring Security's firewall refuses on /admin is a 400 in the native shape, never a 500
        Http rejected = admin().get("/admin/identities/me;jsessionid=1");
        assertThat(rejected.status()).isEqualTo(400);
        assertThat(rejected.errorCode()).isEqualTo("INVALID_REQUEST");
        // path tricks on a write path, without a token: refused before any controller (the partner stays ACTIVE)
        billswitch.support.RawClient raw = new billswitch.support.RawClient("http://localhost:" + port);
        String id = client.partnerId;
        for (String trick : List.of("/admin;x/partners/" + id + "/suspend", "/%61dmin/partners/" + id + "/suspend",
                "//admin/partners/" + id + "/suspend", "/admin/partners/" + id + "/suspend/",
                "/admin/./partners/" + id + "/suspend", "/admin/partners/" + id + "/suspend;x",
                "/admin/partners/" + id + "/%73uspend", "/ADMIN/partners/" + id + "/suspend")) {
            Http answer = raw.post(trick, "", java.util.Map.of());
            assertThat(answer.status()).as(trick).isIn(400, 401, 404);
        }
        AdminClient viewer = identity("READ_ONLY");
        Http head = viewer.send("HEAD", "/admin/partners/" + id + "/suspend", null);
        assertThat(head.status()).isIn(403, 404, 405);
        assertThat(admin().get("/admin/partners/" + id).json().get("status").stringValue()).isEqualTo("ACTIVE");
        // partners' webhooks and credentials, and rejecting approvals beyond one's role: ADMIN (or the right role)
        AdminClient operations = identity("OPERATIONS");
        for (AdminClient who : List.of(viewer, operations)) {
            assertThat(who.post("/admin/partners/" + id + "/webhook", "{\"callbackUrl\":\"https://example.com/h\"}")
                    .status()).isEqualTo(403);
            assertThat(who.post("/admin/partners/" + id + "/credentials",
                    "{\"dialect\":\"AOPAY\",\"keyId\":\"AOP-X-" + id + "\"}").status()).isEqualTo(403);
        }
        assertThat(viewer.post("/admin/approvals/1/reject", "{}").status()).isEqualTo(403);
        assertThat(paid.status()).isIn(200, 201, 202);
    }
}
