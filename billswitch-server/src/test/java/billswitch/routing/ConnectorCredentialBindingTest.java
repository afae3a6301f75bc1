package billswitch.routing;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;

import billswitch.catalog.Catalog;
import billswitch.support.Http;
import billswitch.support.IntegrationTest;
import billswitch.support.NativeClient;
import com.github.tomakehurst.wiremock.WireMockServer;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Through the real server: a connector's credentials are bound to where they are sent. Someone who can write the
 * database but not read the master key repoints connectors.base_url at their own host: the credentials no longer
 * open, the connector drops out of routing, and nothing (no token) reaches that host. The same change made through
 * the admin API re-seals the credentials for the new URL, and the connector keeps working there.
 */
class ConnectorCredentialBindingTest extends IntegrationTest {
    @Autowired
    JdbcClient jdbc;
    @Autowired
    Catalog catalog;
    @Autowired
    Routing routing;

    WireMockServer upstream;
    WireMockServer attacker;
    String tag;

    @BeforeEach
    void upstreams() {
        upstream = new WireMockServer(options().dynamicPort());
        attacker = new WireMockServer(options().dynamicPort());
        upstream.start();
        attacker.start();
        tag = UUID.randomUUID().toString().substring(0, 8);
        for (WireMockServer s : new WireMockServer[] {upstream, attacker}) {
            s.stubFor(post("/pay").willReturn(aResponse().withBody("{\"status\":\"SUCCESS\",\"ref\":\"P1\"}")));
        }
    }

    @AfterEach
    void stop() {
        upstream.stop();
        attacker.stop();
    }

    @Test
    void aBaseUrlRepointedInTheDatabaseLeavesTheConnectorOutAndSendsNothingThere() {
        String connector = "bound-" + tag;
        String operator = routedOperator(connector);
        NativeClient client = newPartner(100_000);
        assertThat(recharge(client, operator, "before-" + tag).text("status")).isEqualTo("SUCCESS");

        jdbc.sql("update connectors set base_url = :url where name = :name")
                .param("url", "http://localhost:" + attacker.port()).param("name", connector).update();
        jdbc.sql("update routing_version set version = version + 1").update();
        routing.refresh();

        assertThat(admin().get("/admin/connectors").body()).as("left out").doesNotContain("\"name\":\"" + connector + "\"");
        assertThat(admin().get("/admin/connectors/" + connector).status()).as("left out, not a 500").isEqualTo(404);
        Http patched = admin().send("PATCH", "/admin/connectors/" + connector, "{\"enabled\":true}");
        assertThat(patched.status()).as(patched.body()).isEqualTo(404);
        Http refused = recharge(client, operator, "after-" + tag);
        assertThat(refused.status()).as(refused.body()).isEqualTo(503);
        assertThat(refused.errorCode()).isEqualTo("NO_ROUTE");
        assertThat(client.availableInr()).isEqualTo(100_000 - 10_000);
        attacker.verify(0, anyRequestedFor(anyUrl()));
    }

    @Test
    void aBaseUrlChangedThroughTheAdminApiKeepsTheConnectorWorking() {
        String connector = "moved-" + tag;
        String operator = routedOperator(connector);
        Http moved = admin().send("PATCH", "/admin/connectors/" + connector,
                "{\"baseUrl\":\"http://localhost:" + attacker.port() + "\"}");
        assertThat(moved.status()).as(moved.body()).isEqualTo(200);
        routing.refresh();

        assertThat(admin().get("/admin/connectors").body()).contains("\"name\":\"" + connector + "\"");
        NativeClient client = newPartner(100_000);
        Http paid = recharge(client, operator, "moved-" + tag);
        assertThat(paid.text("status")).as(paid.body()).isEqualTo("SUCCESS");
        attacker.verify(1, postRequestedFor(urlEqualTo("/pay")).withHeader("X-Token", equalTo("tok-" + connector)));
        upstream.verify(0, anyRequestedFor(anyUrl()));
    }

    /** A connector on the upstream and an operator of our own (a copy of airtel-prepaid) routed only through it. */
    private String routedOperator(String connector) {
        Http created = admin().post("/admin/connectors", """
                {"name":"%s","type":"stub","baseUrl":"http://localhost:%d","credentials":{"token":"tok-%s"},
                 "timeouts":{"connectMs":500,"readMs":1000},"maxInFlight":50}""".formatted(connector, upstream.port(), connector));
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        String operator = "bound-op-" + connector;
        jdbc.sql("""
                insert into operators (id, name, category_id, location_id, kind, country, currency, fetch_option, exactness,
                    min_amount_minor, max_amount_minor, partial_payment, channels, connector, params)
                select :id, 'Routed ' || :id, category_id, null, kind, country, currency, fetch_option, exactness,
                    min_amount_minor, max_amount_minor, partial_payment, channels, 'sandbox', params
                from operators where id = 'airtel-prepaid'""").param("id", operator).update();
        catalog.reload();
        Http routes = admin().send("PUT", "/admin/operators/" + operator + "/routes",
                "[{\"connector\":\"" + connector + "\",\"upstreamCode\":\"A\",\"priority\":1}]");
        assertThat(routes.status()).as(routes.body()).isBetween(200, 204);
        routing.refresh();
        return operator;
    }

    private static Http recharge(NativeClient client, String operator, String key) {
        return client.post("/v1/recharges", """
                {"operatorId":"%s","accountNumber":"9876543210","amountMinor":10000,"currency":"INR"}""".formatted(operator), key);
    }
}
