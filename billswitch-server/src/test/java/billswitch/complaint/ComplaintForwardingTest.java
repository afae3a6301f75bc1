package billswitch.complaint;

import static org.assertj.core.api.Assertions.assertThat;

import billswitch.catalog.Catalog;
import billswitch.catalog.Operator;
import billswitch.connector.http.HttpConnector;
import billswitch.connector.http.Protocol;
import billswitch.connector.spi.ComplaintReceipt;
import billswitch.connector.spi.ConnectorResult;
import billswitch.connector.spi.Outcome;
import billswitch.connector.spi.PaymentInstruction;
import billswitch.connector.spi.UpstreamComplaint;
import billswitch.partner.PartnerService;
import billswitch.shared.Currency;
import billswitch.shared.Secret;
import billswitch.support.Http;
import billswitch.support.IntegrationTest;
import billswitch.support.NativeClient;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;

/**
 * Forwarding complaints to the upstream the payment went through, through the real server: an upstream BillSwitch
 * (this very server, reached through a configured "billswitch" connector as a distributor of its own) takes the
 * complaint on its native API and later closes it; an upstream that is down leaves the complaint raised and is tried
 * again; a connector with no complaint call keeps it here; the Eko connector files it on an Eko complaint form.
 */
class ComplaintForwardingTest extends IntegrationTest {
    @Autowired
    ComplaintForwarding forwarding;
    @Autowired
    Catalog catalog;
    @Autowired
    JdbcClient jdbc;

    private String tag;
    private String distributor;

    @BeforeEach
    void tag() {
        tag = UUID.randomUUID().toString().substring(0, 8);
    }

    /**
     * A connector "master-TAG" of type billswitch to this server, as partner DTAG there (with a float), and an operator
     * of our own (a copy of airtel-prepaid) routed through it.
     */
    private String routedThroughAnUpstreamBillSwitch() {
        distributor = "D" + tag.toUpperCase();
        String apiKey = "key-" + distributor;
        String secret = "secret-" + UUID.randomUUID();
        partners.createWithCredential(distributor, "Distributor " + distributor, null, List.of(), apiKey, Secret.of(secret));
        partners.topUp(distributor, Currency.INR, 1_000_000, "float");
        Http created = admin().post("/admin/connectors", """
                {"name":"master-%s","type":"billswitch","baseUrl":"http://localhost:%d",
                 "credentials":{"apiKey":"%s","secret":"%s"},"timeouts":{"connectMs":1000,"readMs":5000}}"""
                .formatted(tag, port, apiKey, secret));
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        String operator = "fwd-op-" + tag;
        jdbc.sql("""
                insert into operators (id, name, category_id, location_id, kind, country, currency, fetch_option, exactness,
                    min_amount_minor, max_amount_minor, partial_payment, channels, connector, params)
                select :id, 'Forwarded ' || :id, category_id, null, kind, country, currency, fetch_option, exactness,
                    min_amount_minor, max_amount_minor, partial_payment, channels, 'sandbox', params
                from operators where id = 'airtel-prepaid'""").param("id", operator).update();
        catalog.reload();
        Http routed = admin().send("PUT", "/admin/operators/" + operator + "/routes",
                "[{\"connector\":\"master-" + tag + "\",\"upstreamCode\":\"airtel-prepaid\",\"priority\":1}]");
        assertThat(routed.status()).as(routed.body()).isEqualTo(200);
        return operator;
    }

    private String pay(NativeClient client, String operator, String reference) {
        Http paid = client.post("/v1/recharges", """
                {"operatorId":"%s","accountNumber":"9876543210","amountMinor":10000,"currency":"INR"}""".formatted(operator),
                reference);
        assertThat(paid.status()).as(paid.body()).isEqualTo(200);
        assertThat(paid.text("status")).isEqualTo("SUCCESS");
        return paid.text("id");
    }

    private Http raise(NativeClient client, String reference, String type) {
        return client.send("POST", "/v1/complaints", """
                {"reference":"%s","type":"%s","description":"Recharged, no credit"}""".formatted(reference, type),
                Map.of("Content-Type", "application/json"));
    }

    private JsonNode complaint(String id) {
        Http read = admin().get("/admin/complaints/" + id);
        assertThat(read.status()).as(read.body()).isEqualTo(200);
        return read.json();
    }

    private static int refusedPort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    @Test
    void aComplaintIsForwardedToTheUpstreamBillSwitchWhichTakesItAndLaterClosesIt() {
        String operator = routedThroughAnUpstreamBillSwitch();
        NativeClient client = newPartner(1_000_000);
        assertThat(admin().post("/admin/partners/" + client.partnerId + "/webhook",
                "{\"callbackUrl\":\"http://127.0.0.1:9/hooks\"}").status()).isEqualTo(200);
        String tx = pay(client, operator, "fwd-" + tag);
        String attemptReference = admin().get("/admin/orders/" + tx).json().get("attempts").get(0).get("reference").stringValue();

        Http raised = raise(client, "fwd-" + tag, "NOT_CREDITED");
        assertThat(raised.status()).as(raised.body()).isEqualTo(201);
        String id = raised.text("id");
        // committed before anything was sent upstream: the partner's call never waits for the upstream
        assertThat(complaint(id).get("complaint").get("forwardState").stringValue()).isEqualTo("PENDING");

        forwarding.forwardDue(Instant.now());

        JsonNode forwarded = complaint(id).get("complaint");
        assertThat(forwarded.get("forwardState").stringValue()).isEqualTo("OPEN_UPSTREAM");
        assertThat(forwarded.get("upstreamConnector").stringValue()).isEqualTo("master-" + tag);
        assertThat(forwarded.get("upstreamStatus").stringValue()).isEqualTo("INITIALIZED");
        String upstreamId = forwarded.get("upstreamComplaintId").stringValue();
        assertThat(upstreamId).isNotEqualTo(id);
        // the upstream holds it as its partner's (the distributor's) complaint about the payment we sent it
        JsonNode there = complaint(upstreamId).get("complaint");
        assertThat(there.get("partnerId").stringValue()).isEqualTo(distributor);
        assertThat(there.get("reference").stringValue()).isEqualTo(attemptReference);
        assertThat(there.get("type").stringValue()).isEqualTo("NOT_CREDITED");
        assertThat(there.get("description").stringValue()).isEqualTo("Recharged, no credit");

        // the upstream rejects it; the next read there sees it closed, with its reason
        Http rejected = admin().post("/admin/complaints/" + upstreamId + "/reject", "{\"reason\":\"Credited at 10:02, see operator ref\"}");
        assertThat(rejected.status()).as(rejected.body()).isEqualTo(200);
        forwarding.forwardDue(Instant.now().plus(Duration.ofHours(1)));

        JsonNode read = complaint(id);
        assertThat(read.get("complaint").get("forwardState").stringValue()).isEqualTo("CLOSED_UPSTREAM");
        assertThat(read.get("complaint").get("upstreamStatus").stringValue()).isEqualTo("REJECTED");
        assertThat(read.get("complaint").get("upstreamNote").stringValue()).contains("Credited at 10:02");
        // ours is still open: the upstream's word informs the operator, it does not close the partner's complaint
        assertThat(read.get("complaint").get("status").stringValue()).isEqualTo("INITIALIZED");
        List<String> actors = read.get("history").valueStream().map(h -> h.get("actor").stringValue()).toList();
        assertThat(actors).containsExactly("partner:" + client.partnerId, "upstream:master-" + tag, "upstream:master-" + tag);
        assertThat(client.get("/v1/complaints/" + id).text("status")).isEqualTo("INITIALIZED");
        // each word of the upstream was a complaint.updated event for the partner
        List<JsonNode> events = jdbc.sql("""
                select payload from webhook_events where order_id = :order and type = 'complaint.updated' order by id""")
                .param("order", Long.parseLong(tx)).query(String.class).list().stream()
                .map(p -> tools.jackson.databind.json.JsonMapper.builder().build().readTree(p).get("data")).toList();
        assertThat(events).extracting(e -> e.get("upstreamComplaintId").isNull() ? null : e.get("upstreamComplaintId").stringValue())
                .containsExactly(null, upstreamId, upstreamId);
        assertThat(events.get(2).get("upstreamStatus").stringValue()).isEqualTo("REJECTED");
        // closed there: never read again
        forwarding.forwardDue(Instant.now().plus(Duration.ofDays(2)));
        assertThat(complaint(id).get("history").size()).isEqualTo(3);
    }

    @Test
    void anUpstreamThatIsDownLeavesTheComplaintRaisedAndItIsSentAgainUntilTakenOrGivenUp() throws IOException {
        String operator = routedThroughAnUpstreamBillSwitch();
        NativeClient client = newPartner(1_000_000);
        pay(client, operator, "down-" + tag);
        Http down = admin().send("PATCH", "/admin/connectors/master-" + tag,
                "{\"baseUrl\":\"http://localhost:" + refusedPort() + "\"}");
        assertThat(down.status()).as(down.body()).isEqualTo(200);

        Http raised = raise(client, "down-" + tag, "NOT_CREDITED");
        assertThat(raised.status()).as(raised.body()).isEqualTo(201);
        String id = raised.text("id");
        Instant now = Instant.now();
        forwarding.forwardDue(now);

        JsonNode pending = complaint(id).get("complaint");
        assertThat(pending.get("forwardState").stringValue()).isEqualTo("PENDING");
        assertThat(pending.get("upstreamNote").stringValue()).contains("not reached (try 1)");
        assertThat(pending.get("upstreamComplaintId").isNull()).isTrue();
        // not due again before its retry delay
        forwarding.forwardDue(now);
        assertThat(complaint(id).get("complaint").get("upstreamNote").stringValue()).contains("not reached (try 1)");

        // up again: the next try after the delay is taken
        Http up = admin().send("PATCH", "/admin/connectors/master-" + tag, "{\"baseUrl\":\"http://localhost:" + port + "\"}");
        assertThat(up.status()).as(up.body()).isEqualTo(200);
        forwarding.forwardDue(now.plus(Duration.ofHours(1)));
        JsonNode taken = complaint(id).get("complaint");
        assertThat(taken.get("forwardState").stringValue()).as(taken.toString()).isEqualTo("OPEN_UPSTREAM");
        assertThat(taken.get("upstreamComplaintId").isNull()).isFalse();

        // another complaint while it stays down: every retry fails, then it is given up (said so, told as a change)
        pay(client, operator, "gone-" + tag);
        admin().send("PATCH", "/admin/connectors/master-" + tag, "{\"baseUrl\":\"http://localhost:" + refusedPort() + "\"}");
        String gone = raise(client, "gone-" + tag, "PAID_TWICE").text("id");
        for (int day = 0; day <= 9; day++) {
            forwarding.forwardDue(now.plus(Duration.ofDays(day)));
        }
        JsonNode gaveUp = complaint(gone);
        assertThat(gaveUp.get("complaint").get("forwardState").stringValue()).isEqualTo("GAVE_UP");
        assertThat(gaveUp.get("complaint").get("upstreamNote").stringValue()).startsWith("Gave up forwarding to master-" + tag
                + " after 9 tries");
        assertThat(gaveUp.get("history").size()).isEqualTo(2);
        assertThat(gaveUp.get("complaint").get("status").stringValue()).isEqualTo("INITIALIZED");
    }

    @Test
    void aPaymentThroughAConnectorWithoutAComplaintCallIsKeptHereAndSaysSo() throws Exception {
        NativeClient client = newPartner(1_000_000);
        client.post("/v1/recharges", """
                {"operatorId":"airtel-prepaid","accountNumber":"9876543210","amountMinor":10000,"currency":"INR"}""",
                "kept-" + tag);
        String id = raise(client, "kept-" + tag, "WRONG_AMOUNT").text("id");

        forwarding.forwardDue(Instant.now());

        JsonNode kept = complaint(id);
        assertThat(kept.get("complaint").get("forwardState").stringValue()).isEqualTo("KEPT");
        assertThat(kept.get("complaint").get("upstreamConnector").stringValue()).isEqualTo("sandbox");
        assertThat(kept.get("complaint").get("upstreamNote").stringValue()).isEqualTo("Kept here: sandbox has no complaint call.");
        assertThat(kept.get("history").size()).as("no change of the partner's complaint").isEqualTo(1);
        // the admin list's filters
        assertThat(admin().get("/admin/complaints?partner=" + client.partnerId).json().get("complaints").get(0)
                .get("id").stringValue()).isEqualTo(id);
        assertThat(admin().get("/admin/complaints?overdue=true&partner=" + client.partnerId).json().get("complaints")
                .size()).isZero();
        assertThat(admin().get("/admin/complaints?overdue=maybe").errorCode()).isEqualTo("INVALID_REQUEST");

        // AOPay and AppotaPay publish no complaint call; the native and Eko protocols have one
        for (String type : List.of("billswitch.connector.aopay.AopayProtocol", "billswitch.connector.appotapay.AppotaProtocol")) {
            assertThat(Class.forName(type).getMethod("takesComplaints").getDeclaringClass()).as(type).isEqualTo(Protocol.class);
        }
        for (String type : List.of("billswitch.connector.billswitch.NativeProtocol", "billswitch.connector.eko.EkoProtocol")) {
            assertThat(Class.forName(type).getMethod("takesComplaints").getDeclaringClass()).as(type).isNotEqualTo(Protocol.class);
        }
    }

    @Test
    void theEkoConnectorFilesTheComplaintOnAnEkoComplaintFormAndReadsItBack() {
        NativeClient partner = newPartner(1_000_000);
        String developerKey = UUID.randomUUID().toString().replace("-", "");
        String accessKey = UUID.randomUUID().toString();
        partners.addCredential(partner.partnerId, PartnerService.EKO, developerKey, Secret.of(accessKey), List.of(),
                Map.of("initiatorId", "9962981729", "userCodes", List.of("20810200"), "requireRequestHash", true));
        HttpConnector eko = new HttpConnector(new HttpConnector.Settings("eko-to-ourselves", URI.create("http://localhost:" + port),
                Duration.ofSeconds(2), Duration.ofSeconds(10), 4), new billswitch.connector.eko.EkoType(Clock.systemUTC())
                .create(Map.of("developerKey", developerKey, "accessKey", accessKey, "initiatorId", "9962981729",
                        "userCode", "20810200")), Clock.systemUTC());
        try {
            Operator airtel = catalog.require("airtel-prepaid");
            String reference = "BS" + ThreadLocalRandom.current().nextLong(100_000_000L, 1_000_000_000L);
            ConnectorResult paid = eko.pay(new PaymentInstruction(1, 1, reference, airtel,
                    airtel.codes().ekoOperatorId().toString(), "9876543210", Map.of(), 19_900, Operator.Channel.INSTANT,
                    null, null, Instant.now())).join();
            assertThat(paid.outcome()).as(paid.toString()).isEqualTo(Outcome.SUCCESS);

            UpstreamComplaint complaint = new UpstreamComplaint(42, reference, "PAID_TWICE", "D22", "Debited twice");
            ComplaintReceipt taken = eko.complain(complaint).join();
            assertThat(taken.state()).as(taken.toString()).isEqualTo(ComplaintReceipt.State.TAKEN);
            assertThat(taken.upstreamStatus()).isEqualTo("INITIALIZED");
            assertThat(partner.get("/v1/complaints/" + taken.upstreamComplaintId()).text("type")).isEqualTo("PAID_TWICE");

            // sent again (an answer lost on the way): the same complaint, not a second
            ComplaintReceipt again = eko.complain(complaint).join();
            assertThat(again.state()).isEqualTo(ComplaintReceipt.State.TAKEN);
            assertThat(again.upstreamComplaintId()).isEqualTo(taken.upstreamComplaintId());

            ComplaintReceipt read = eko.complaintStatus(taken.upstreamComplaintId()).join();
            assertThat(read.state()).isEqualTo(ComplaintReceipt.State.TAKEN);
            assertThat(read.upstreamStatus()).isEqualTo("INITIALIZED");

            ComplaintReceipt unknown = eko.complain(new UpstreamComplaint(43, "BS1", "PAID_TWICE", "D22", "x")).join();
            assertThat(unknown.state()).as(unknown.toString()).isEqualTo(ComplaintReceipt.State.UNREACHED);
            ComplaintReceipt neverPaid = eko.complain(new UpstreamComplaint(43, "BS123456789", "PAID_TWICE", "D22", "x")).join();
            assertThat(neverPaid.state()).as(neverPaid.toString()).isEqualTo(ComplaintReceipt.State.REFUSED);
            assertThat(neverPaid.message()).startsWith("168: ");
        } finally {
            eko.retire();
        }
    }
}
