package billswitch.routing;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;

import billswitch.catalog.Catalog;
import billswitch.support.Http;
import billswitch.support.IntegrationTest;
import billswitch.support.NativeClient;
import com.github.tomakehurst.wiremock.WireMockServer;
import java.io.IOException;
import java.net.ServerSocket;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;

/**
 * Connectors and routes through the admin API, and what routing does with them, against WireMock upstreams
 * speaking the test protocol "stub" (billswitch.support.StubProtocol): failover only when nothing was paid,
 * never after UNKNOWN; the breaker; the float; callbacks; a change seen without restart.
 */
class RoutingTest extends IntegrationTest {
    @Autowired
    JdbcClient jdbc;
    @Autowired
    Catalog catalog;
    @Autowired
    Routing routing;

    WireMockServer up1;
    WireMockServer up2;
    String tag;

    @BeforeEach
    void upstreams() {
        up1 = new WireMockServer(options().dynamicPort());
        up2 = new WireMockServer(options().dynamicPort());
        up1.start();
        up2.start();
        tag = UUID.randomUUID().toString().substring(0, 8);
    }

    @AfterEach
    void stop() {
        up1.stop();
        up2.stop();
    }

    private String name(String n) {
        return n + "-" + tag;
    }

    /** A prepaid operator of our own (a copy of airtel-prepaid) so routes set here touch no other test. */
    private String operator() {
        return operator("airtel-prepaid", "route-op-" + tag);
    }

    /**
     * An operator of our own copied from a sandbox one (its dialect codes left out: they are unique; no location, so
     * the catalog lists other tests read by location stay as they were).
     */
    private String operator(String source, String id) {
        jdbc.sql("""
                insert into operators (id, name, category_id, location_id, kind, country, currency, fetch_option, exactness,
                    min_amount_minor, max_amount_minor, partial_payment, channels, connector, params)
                select :id, 'Routed ' || :id, category_id, null, kind, country, currency, fetch_option, exactness,
                    min_amount_minor, max_amount_minor, partial_payment, channels, 'sandbox', params
                from operators where id = :source""").param("id", id).param("source", source).update();
        catalog.reload();
        return id;
    }

    private Http createConnector(String name, String baseUrl, String extra) {
        return admin().post("/admin/connectors", """
                {"name":"%s","type":"stub","baseUrl":"%s","credentials":{"token":"tok-%s"},
                 "timeouts":{"connectMs":500,"readMs":1000},"maxInFlight":50%s}""".formatted(name, baseUrl, name, extra));
    }

    private static int refusedPort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    private Http setRoutes(String operator, String routes) {
        return admin().send("PUT", "/admin/operators/" + operator + "/routes", routes);
    }

    private Http recharge(NativeClient client, String operator, String key) {
        return client.post("/v1/recharges", """
                {"operatorId":"%s","accountNumber":"9876543210","amountMinor":10000,"currency":"INR"}""".formatted(operator), key);
    }

    private JsonNode attempts(String orderId) {
        Http order = admin().get("/admin/orders/" + orderId);
        assertThat(order.status()).as(order.body()).isEqualTo(200);
        return order.json().get("attempts");
    }

    @Test
    void connectorsAreCreatedReadAndChangedButTheirCredentialsNeverShown() {
        String name = name("up");
        Http created = createConnector(name, "http://localhost:" + up1.port(), "");
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        assertThat(created.body()).doesNotContain("tok-" + name);
        assertThat(created.json().get("credentials").toString()).isEqualTo("[\"token\"]");
        assertThat(created.json().get("timeouts").get("readMs").asInt()).isEqualTo(1000);
        assertThat(admin().get("/admin/connectors/" + name).body()).contains("\"circuit\":\"CLOSED\"").doesNotContain("tok-");
        assertThat(admin().get("/admin/connectors").body()).contains("\"name\":\"" + name + "\"").doesNotContain("tok-");
        String sealed = jdbc.sql("select credentials_enc from connectors where name = :n").param("n", name).query(String.class).single();
        assertThat(sealed).doesNotContain("tok-");

        assertThat(createConnector(name, "http://localhost:1", "").status()).isEqualTo(409);
        Http changed = admin().send("PATCH", "/admin/connectors/" + name, "{\"maxInFlight\":7,\"enabled\":false}");
        assertThat(changed.status()).as(changed.body()).isEqualTo(200);
        assertThat(changed.json().get("maxInFlight").asInt()).isEqualTo(7);
        assertThat(changed.json().get("enabled").asBoolean()).isFalse();
        assertThat(admin().send("PATCH", "/admin/connectors/nobody-" + tag, "{\"enabled\":false}").status()).isEqualTo(404);
    }

    @Test
    void badConnectorsAreRefusedWithTheFieldAndWhy() {
        record Case(String body, int status, String says) {
        }
        String n = name("bad");
        for (Case c : new Case[] {
                new Case("{\"name\":\"" + n + "\",\"type\":\"nope\",\"baseUrl\":\"http://x\",\"credentials\":{}}", 400, "type must be one of"),
                new Case("{\"name\":\"" + n + "\",\"type\":\"stub\",\"baseUrl\":\"ftp://x\",\"credentials\":{\"token\":\"t\"}}", 400, "baseUrl"),
                new Case("{\"name\":\"" + n + "\",\"type\":\"stub\",\"baseUrl\":\"http://x\",\"credentials\":{}}", 400, "credentials.token is required"),
                new Case("{\"name\":\"" + n + "\",\"type\":\"stub\",\"baseUrl\":\"http://x\",\"credentials\":{\"token\":\"t\",\"pin\":\"1\"}}", 400, "pin is not a credential"),
                new Case("{\"name\":\"Bad Name\",\"type\":\"stub\",\"baseUrl\":\"http://x\",\"credentials\":{\"token\":\"t\"}}", 400, "name must be"),
                new Case("{\"name\":\"" + n + "\",\"type\":\"stub\",\"baseUrl\":\"http://x\",\"credentials\":{\"token\":\"t\"},\"timeouts\":{\"connectMs\":1000,\"readMs\":3600000}}", 400, "readMs"),
                new Case("{\"name\":\"" + n + "\",\"type\":\"stub\",\"baseUrl\":\"http://x\",\"credentials\":{\"token\":\"t\"},\"timeouts\":{\"readMs\":\"soon\"}}", 400, "timeouts.readMs"),
                new Case("{\"name\":\"" + n + "\",\"type\":\"stub\",\"baseUrl\":\"http://x\",\"credentials\":{\"token\":\"t\"},\"maxInFlight\":0}", 400, "maxInFlight"),
                new Case("{\"name\":\"" + n + "\",\"type\":\"eko\",\"baseUrl\":\"http://x\",\"credentials\":{\"developerKey\":\"d\","
                        + "\"accessKey\":\"a\",\"initiatorId\":\"12\",\"userCode\":\"20810200\"}}", 400, "initiatorId"),
                new Case("[1]", 400, "JSON object"),
                new Case("{", 400, "not valid JSON")}) {
            Http answer = admin().post("/admin/connectors", c.body());
            assertThat(answer.status()).as(c.body() + " -> " + answer.body()).isEqualTo(c.status());
            assertThat(answer.body()).as(c.body()).contains(c.says());
        }
        assertThat(jdbc.sql("select count(*) from connectors where name = :n").param("n", n).query(Long.class).single()).isZero();
    }

    @Test
    void routesAreSetAndReadAndBadOnesRefused() {
        String operator = operator();
        String c1 = name("r1");
        createConnector(c1, "http://localhost:" + up1.port(), "");
        Http set = setRoutes(operator, "[{\"connector\":\"" + c1 + "\",\"upstreamCode\":\"22\",\"priority\":1,\"weight\":3,\"cost\":150,\"commissionBps\":40}]");
        assertThat(set.status()).as(set.body()).isEqualTo(200);
        assertThat(admin().get("/admin/operators/" + operator + "/routes").body())
                .isEqualTo("[{\"connector\":\"" + c1 + "\",\"upstreamCode\":\"22\",\"priority\":1,\"weight\":3,\"cost\":150,\"commissionBps\":40}]");
        assertThat(setRoutes("no-such-operator", "[]").status()).isEqualTo(404);
        assertThat(setRoutes(operator, "[{\"connector\":\"ghost-" + tag + "\",\"upstreamCode\":\"1\",\"priority\":1}]").status()).isEqualTo(404);
        assertThat(setRoutes(operator, "[{\"connector\":\"" + c1 + "\",\"priority\":1}]").body()).contains("upstreamCode");
        assertThat(setRoutes(operator, "[{\"connector\":\"" + c1 + "\",\"upstreamCode\":\"1\",\"priority\":1},"
                + "{\"connector\":\"" + c1 + "\",\"upstreamCode\":\"2\",\"priority\":2}]").body()).contains("listed twice");
        assertThat(setRoutes(operator, "{\"connector\":\"x\"}").status()).isEqualTo(400);
        assertThat(admin().get("/admin/operators/" + operator + "/routes").json().size()).as("unchanged by refusals").isEqualTo(1);
    }

    @Test
    void aBillFetchFollowsTheRoutesAndItsBillIsPaidThroughTheConnectorThatFetchedIt() {
        String biller = operator("bses-rajdhani", "route-biller-" + tag);
        String first = name("f1");
        String second = name("f2");
        createConnector(first, "http://localhost:" + up1.port(), "");
        createConnector(second, "http://localhost:" + up2.port(), "");
        setRoutes(biller, "[{\"connector\":\"" + first + "\",\"upstreamCode\":\"E1\",\"priority\":1},"
                + "{\"connector\":\"" + second + "\",\"upstreamCode\":\"E2\",\"priority\":2}]");
        up1.stubFor(get(urlPathMatching("/bill/.*")).willReturn(aResponse().withBody("{\"status\":\"DOWN\"}")));
        // A bill without dates (not every upstream states them), and a context only its fetcher can pay it with.
        up2.stubFor(get("/bill/E2/151627591").willReturn(aResponse()
                .withBody("{\"status\":\"SUCCESS\",\"amount\":5000,\"context\":\"CTX-2\"}")));
        up1.stubFor(post("/pay").willReturn(aResponse().withBody("{\"status\":\"SUCCESS\",\"ref\":\"WRONG\"}")));
        up2.stubFor(post("/pay").willReturn(aResponse().withBody("{\"status\":\"SUCCESS\",\"ref\":\"P2\"}")));
        NativeClient client = newPartner(100_000);

        Http fetched = client.post("/v1/bills/fetch", "{\"operatorId\":\"" + biller + "\",\"accountNumber\":\"151627591\"}", null);
        assertThat(fetched.status()).as(fetched.body()).isEqualTo(200);
        assertThat(fetched.json().get("bill").get("amountMinor").asLong()).isEqualTo(5000);
        JsonNode fetchAttempts = attempts(fetched.text("id"));
        assertThat(fetchAttempts).hasSize(1);
        assertThat(fetchAttempts.get(0).get("connector").asString()).isEqualTo(second);
        assertThat(fetchAttempts.get(0).get("operatorCode").asString()).isEqualTo("E2");

        Http paid = client.post("/v1/bills/pay", "{\"operatorId\":\"" + biller + "\",\"accountNumber\":\"151627591\","
                + "\"amountMinor\":5000,\"currency\":\"INR\",\"billFetchId\":\"" + fetched.text("id") + "\"}", "bill-" + tag);
        assertThat(paid.text("status")).as(paid.body()).isEqualTo("SUCCESS");
        JsonNode payAttempts = attempts(paid.text("id"));
        assertThat(payAttempts).hasSize(1);
        assertThat(payAttempts.get(0).get("connector").asString()).as("the fetcher, though second by priority").isEqualTo(second);
        up1.verify(0, postRequestedFor(urlEqualTo("/pay")));
    }

    @Test
    void aRefusedConnectionFailsOverToTheNextRouteAndBothAttemptsAreRecorded() throws IOException {
        String operator = operator();
        String down = name("down");
        String good = name("good");
        createConnector(down, "http://localhost:" + refusedPort(), "");
        createConnector(good, "http://localhost:" + up2.port(), "");
        up2.stubFor(post("/pay").willReturn(aResponse().withBody("{\"status\":\"SUCCESS\",\"ref\":\"UP2-1\"}")));
        setRoutes(operator, "[{\"connector\":\"" + down + "\",\"upstreamCode\":\"A1\",\"priority\":1},"
                + "{\"connector\":\"" + good + "\",\"upstreamCode\":\"B2\",\"priority\":2}]");
        NativeClient client = newPartner(100_000);

        Http paid = recharge(client, operator, "fo-" + tag);
        assertThat(paid.status()).as(paid.body()).isEqualTo(200);
        assertThat(paid.text("status")).isEqualTo("SUCCESS");
        JsonNode attempts = attempts(paid.text("id"));
        assertThat(attempts).hasSize(2);
        assertThat(attempts.get(0).get("connector").asString()).isEqualTo(down);
        assertThat(attempts.get(0).get("outcome").asString()).isEqualTo("NOT_SENT");
        assertThat(attempts.get(0).get("upstreamCode").asString()).isEqualTo("CONNECTION_REFUSED");
        assertThat(attempts.get(1).get("connector").asString()).isEqualTo(good);
        assertThat(attempts.get(1).get("outcome").asString()).isEqualTo("SUCCESS");
        assertThat(attempts.get(1).get("upstreamRef").asString()).isEqualTo("UP2-1");
        assertThat(attempts.get(1).get("operatorCode").asString()).isEqualTo("B2");
        String reference = attempts.get(1).get("reference").asString();
        assertThat(reference).endsWith(attempts.get(1).get("id").asString());
        up2.verify(1, postRequestedFor(urlEqualTo("/pay"))
                .withRequestBody(matchingJsonPath("$.reference", equalTo(reference)))
                .withRequestBody(matchingJsonPath("$.code", equalTo("B2"))));
        assertThat(client.availableInr()).isEqualTo(100_000 - 10_000);
    }

    @Test
    void aDeclineMarkedTryElsewhereFailsOverButAPlainDeclineDoesNot() {
        String operator = operator();
        String first = name("first");
        String second = name("second");
        createConnector(first, "http://localhost:" + up1.port(), "");
        createConnector(second, "http://localhost:" + up2.port(), "");
        setRoutes(operator, "[{\"connector\":\"" + first + "\",\"upstreamCode\":\"A\",\"priority\":1},"
                + "{\"connector\":\"" + second + "\",\"upstreamCode\":\"B\",\"priority\":2}]");
        up2.stubFor(post("/pay").willReturn(aResponse().withBody("{\"status\":\"SUCCESS\",\"ref\":\"R\"}")));
        NativeClient client = newPartner(100_000);

        up1.stubFor(post("/pay").willReturn(aResponse().withBody("{\"status\":\"DOWN\"}")));
        Http elsewhere = recharge(client, operator, "down-" + tag);
        assertThat(elsewhere.text("status")).as(elsewhere.body()).isEqualTo("SUCCESS");
        assertThat(attempts(elsewhere.text("id"))).hasSize(2);

        up1.stubFor(post("/pay").willReturn(aResponse().withBody("{\"status\":\"FAILED\"}")));
        Http declined = recharge(client, operator, "declined-" + tag);
        assertThat(declined.text("status")).as(declined.body()).isEqualTo("FAILED");
        assertThat(attempts(declined.text("id"))).hasSize(1);
        up2.verify(1, postRequestedFor(urlEqualTo("/pay")));
        assertThat(client.availableInr()).isEqualTo(100_000 - 10_000);
    }

    @Test
    void anUnknownOutcomeNeverFailsOverAndKeepsTheHold() {
        String operator = operator();
        String flaky = name("flaky");
        String spare = name("spare");
        createConnector(flaky, "http://localhost:" + up1.port(), "");
        createConnector(spare, "http://localhost:" + up2.port(), "");
        setRoutes(operator, "[{\"connector\":\"" + flaky + "\",\"upstreamCode\":\"A\",\"priority\":1},"
                + "{\"connector\":\"" + spare + "\",\"upstreamCode\":\"B\",\"priority\":2}]");
        NativeClient client = newPartner(100_000);

        up1.stubFor(post("/pay").willReturn(aResponse().withStatus(502)));
        Http bad = recharge(client, operator, "502-" + tag);
        up1.stubFor(post("/pay").willReturn(aResponse().withFixedDelay(1_500).withBody("{\"status\":\"SUCCESS\"}")));
        Http slow = recharge(client, operator, "slow-" + tag);
        up1.stubFor(post("/pay").willReturn(aResponse().withBody("{garbled")));
        Http garbled = recharge(client, operator, "garbled-" + tag);

        for (Http h : new Http[] {bad, slow, garbled}) {
            assertThat(h.status()).as(h.body()).isEqualTo(202);
            assertThat(h.text("status")).isEqualTo("UNKNOWN");
            assertThat(attempts(h.text("id"))).hasSize(1);
        }
        up2.verify(0, postRequestedFor(urlEqualTo("/pay")));
        assertThat(client.availableInr()).as("all three held, none refunded").isEqualTo(100_000 - 3 * 10_000);
    }

    @Test
    void theBreakerOpensAfterConsecutiveFailuresAndTheRouteIsSkipped() throws IOException {
        String operator = operator();
        String broken = name("broken");
        String good = name("ok");
        createConnector(broken, "http://localhost:" + refusedPort(), "");
        createConnector(good, "http://localhost:" + up2.port(), "");
        up2.stubFor(post("/pay").willReturn(aResponse().withBody("{\"status\":\"SUCCESS\",\"ref\":\"R\"}")));
        setRoutes(operator, "[{\"connector\":\"" + broken + "\",\"upstreamCode\":\"A\",\"priority\":1},"
                + "{\"connector\":\"" + good + "\",\"upstreamCode\":\"B\",\"priority\":2}]");
        NativeClient client = newPartner(1_000_000);
        for (int i = 0; i < 5; i++) {
            assertThat(attempts(recharge(client, operator, "b" + i + "-" + tag).text("id"))).hasSize(2);
        }
        assertThat(admin().get("/admin/connectors/" + broken).json().get("circuit").asString()).isEqualTo("OPEN");
        Http skipped = recharge(client, operator, "b5-" + tag);
        assertThat(skipped.text("status")).isEqualTo("SUCCESS");
        JsonNode only = attempts(skipped.text("id"));
        assertThat(only).hasSize(1);
        assertThat(only.get(0).get("connector").asString()).isEqualTo(good);
    }

    @Test
    void aRouteWhoseFloatIsBelowTheAmountIsSkipped() {
        String operator = operator();
        String poor = name("poor");
        String rich = name("rich");
        createConnector(poor, "http://localhost:" + up1.port(), "");
        createConnector(rich, "http://localhost:" + up2.port(), "");
        up1.stubFor(get("/balance").willReturn(aResponse().withBody("{\"balance\":9999}")));
        up2.stubFor(get("/balance").willReturn(aResponse().withBody("{\"balance\":5000000}")));
        up2.stubFor(post("/pay").willReturn(aResponse().withBody("{\"status\":\"SUCCESS\",\"ref\":\"R\"}")));
        setRoutes(operator, "[{\"connector\":\"" + poor + "\",\"upstreamCode\":\"A\",\"priority\":1},"
                + "{\"connector\":\"" + rich + "\",\"upstreamCode\":\"B\",\"priority\":2}]");
        routing.pollFloats();
        assertThat(admin().get("/admin/connectors/" + poor).json().get("floatMinor").asLong()).isEqualTo(9999);

        Http paid = recharge(newPartner(100_000), operator, "float-" + tag);
        assertThat(paid.text("status")).isEqualTo("SUCCESS");
        assertThat(attempts(paid.text("id")).get(0).get("connector").asString()).isEqualTo(rich);
        up1.verify(0, postRequestedFor(urlEqualTo("/pay")));
    }

    @Test
    void withNoUsableRouteThePaymentIsRefusedAndNothingIsCharged() {
        String operator = operator();
        String off = name("off");
        createConnector(off, "http://localhost:" + up1.port(), ",\"enabled\":false");
        setRoutes(operator, "[{\"connector\":\"" + off + "\",\"upstreamCode\":\"A\",\"priority\":1}]");
        NativeClient client = newPartner(100_000);
        Http refused = recharge(client, operator, "noroute-" + tag);
        assertThat(refused.status()).as(refused.body()).isEqualTo(503);
        assertThat(refused.errorCode()).isEqualTo("NO_ROUTE");
        assertThat(client.availableInr()).isEqualTo(100_000);
        assertThat(client.get("/v1/transactions?reference=noroute-" + tag).status()).isEqualTo(404);
    }

    @Test
    void aCallbackSettlesAPendingPaymentOnceAndOnlyWhenAuthentic() {
        String operator = operator();
        String async = name("async");
        createConnector(async, "http://localhost:" + up1.port(), "");
        up1.stubFor(post("/pay").willReturn(aResponse().withBody("{\"status\":\"PENDING\"}")));
        setRoutes(operator, "[{\"connector\":\"" + async + "\",\"upstreamCode\":\"A\",\"priority\":1}]");
        NativeClient client = newPartner(100_000);
        Http pending = recharge(client, operator, "cb-" + tag);
        assertThat(pending.text("status")).as(pending.body()).isEqualTo("PENDING");
        String reference = attempts(pending.text("id")).get(0).get("reference").asString();
        String notice = "{\"reference\":\"" + reference + "\",\"status\":\"SUCCESS\",\"ref\":\"OP-9\"}";

        Http forged = callback(async, "wrong", notice);
        assertThat(forged.status()).isEqualTo(401);
        assertThat(callback(async, "tok-" + async, "{\"reference\":\"BSXX1\",\"status\":\"SUCCESS\"}").status()).isEqualTo(404);
        assertThat(callback("ghost-" + tag, "t", notice).status()).isEqualTo(404);
        assertThat(client.get("/v1/transactions/" + pending.text("id")).text("status")).isEqualTo("PENDING");

        Http ok = callback(async, "tok-" + async, notice);
        assertThat(ok.status()).as(ok.body()).isEqualTo(200);
        Http settled = client.get("/v1/transactions/" + pending.text("id"));
        assertThat(settled.text("status")).isEqualTo("SUCCESS");
        assertThat(callback(async, "tok-" + async, notice.replace("SUCCESS", "FAILED")).status()).as("a late contrary notice").isEqualTo(200);
        assertThat(client.get("/v1/transactions/" + pending.text("id")).text("status")).isEqualTo("SUCCESS");
        assertThat(client.availableInr()).isEqualTo(100_000 - 10_000);
    }

    @Test
    void aSuccessReportedAfterTheRefundGoesToReviewWithBothFactsAndMovesNoMoney() {
        String operator = operator();
        String async = name("late");
        createConnector(async, "http://localhost:" + up1.port(), "");
        up1.stubFor(post("/pay").willReturn(aResponse().withBody("{\"status\":\"PENDING\"}")));
        setRoutes(operator, "[{\"connector\":\"" + async + "\",\"upstreamCode\":\"A\",\"priority\":1}]");
        NativeClient client = newPartner(100_000);
        Http pending = recharge(client, operator, "late-" + tag);
        String id = pending.text("id");
        String reference = attempts(id).get(0).get("reference").asString();

        assertThat(callback(async, "tok-" + async, "{\"reference\":\"" + reference + "\",\"status\":\"FAILED\"}").status())
                .isEqualTo(200);
        assertThat(client.get("/v1/transactions/" + id).text("status")).isEqualTo("REFUNDED");
        assertThat(client.availableInr()).isEqualTo(100_000);

        assertThat(callback(async, "tok-" + async, "{\"reference\":\"" + reference + "\",\"status\":\"SUCCESS\",\"ref\":\"LATE-1\"}")
                .status()).isEqualTo(200);
        Http order = admin().get("/admin/orders/" + id);
        assertThat(order.text("status")).isEqualTo("NEEDS_REVIEW");
        assertThat(order.json().get("contestedRefund").toString()).contains("LATE-1");
        assertThat(client.availableInr()).as("the refund stays until a reviewer decides").isEqualTo(100_000);
    }

    @Test
    void theUpstreamAccountOfAConnectorCannotChangeWhilePaymentsThroughItAreUnsettled() {
        String operator = operator();
        String busy = name("held");
        createConnector(busy, "http://localhost:" + up1.port(), "");
        up1.stubFor(post("/pay").willReturn(aResponse().withBody("{\"status\":\"PENDING\"}")));
        setRoutes(operator, "[{\"connector\":\"" + busy + "\",\"upstreamCode\":\"A\",\"priority\":1}]");
        Http pending = recharge(newPartner(100_000), operator, "held-" + tag);
        assertThat(pending.text("status")).isEqualTo("PENDING");

        Http rekeyed = admin().send("PATCH", "/admin/connectors/" + busy, "{\"credentials\":{\"token\":\"other\"}}");
        assertThat(rekeyed.status()).as(rekeyed.body()).isEqualTo(409);
        assertThat(rekeyed.errorCode()).isEqualTo("CONNECTOR_IN_USE");
        assertThat(admin().send("PATCH", "/admin/connectors/" + busy, "{\"baseUrl\":\"http://elsewhere:1\"}").status()).isEqualTo(409);
        Http tuned = admin().send("PATCH", "/admin/connectors/" + busy, "{\"maxInFlight\":9,\"enabled\":false}");
        assertThat(tuned.status()).as("what does not change the account may").isEqualTo(200);
        assertThat(admin().send("PATCH", "/admin/connectors/" + busy, "{\"credentials\":{\"token\":\"tok-" + busy + "\"}}")
                .status()).as("the same credentials again").isEqualTo(200);
    }

    @Test
    void aCallbackWhoseSignatureDoesNotCoverItsBodyIsConfirmedByAStatusEnquiry() {
        String operator = operator();
        String async = name("weak");
        createConnector(async, "http://localhost:" + up1.port(), "");
        up1.stubFor(post("/pay").willReturn(aResponse().withBody("{\"status\":\"PENDING\"}")));
        setRoutes(operator, "[{\"connector\":\"" + async + "\",\"upstreamCode\":\"A\",\"priority\":1}]");
        NativeClient client = newPartner(100_000);
        Http pending = recharge(client, operator, "weak-" + tag);
        String reference = attempts(pending.text("id")).get(0).get("reference").asString();
        String notice = "{\"reference\":\"" + reference + "\",\"status\":\"SUCCESS\",\"ref\":\"OP-1\"}";
        java.util.Map<String, String> unsigned = java.util.Map.of("X-Token", "tok-" + async, "X-Signed", "no",
                "Content-Type", "application/json");

        up1.stubFor(get("/status/" + reference).willReturn(aResponse().withBody("{\"status\":\"PENDING\"}")));
        assertThat(raw().post("/callbacks/" + async, notice, unsigned).status()).isEqualTo(200);
        assertThat(client.get("/v1/transactions/" + pending.text("id")).text("status")).as("the upstream still says PENDING")
                .isEqualTo("PENDING");

        up1.stubFor(get("/status/" + reference).willReturn(aResponse().withBody("{\"status\":\"SUCCESS\",\"ref\":\"OP-1\"}")));
        assertThat(raw().post("/callbacks/" + async, notice, unsigned).status()).isEqualTo(200);
        assertThat(client.get("/v1/transactions/" + pending.text("id")).text("status")).isEqualTo("SUCCESS");
        up1.verify(2, com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor(urlEqualTo("/status/" + reference)));
    }

    private billswitch.support.RawClient raw() {
        return new billswitch.support.RawClient("http://localhost:" + port);
    }

    private Http callback(String connector, String token, String body) {
        return raw().post("/callbacks/" + connector, body, java.util.Map.of("X-Token", token, "Content-Type", "application/json"));
    }

    @Test
    void aChangeMadeByAnotherNodeIsSeenWithoutARestart() throws InterruptedException {
        String operator = operator();
        String other = name("other");
        createConnector(other, "http://localhost:" + up1.port(), "");
        // As another node would: write a route and bump the version, without telling this node.
        jdbc.sql("insert into routes (operator_id, connector, upstream_code, priority) values (:o, :c, 'X9', 1)")
                .param("o", operator).param("c", other).update();
        jdbc.sql("update routing_version set version = version + 1").update();
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (routing.snapshot().routes().getOrDefault(operator, java.util.List.of()).isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertThat(routing.snapshot().routes().get(operator)).extracting(Route::upstreamCode).containsExactly("X9");
    }
}
