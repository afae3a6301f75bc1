package billswitch.support;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;

import billswitch.catalog.Catalog;
import com.github.tomakehurst.wiremock.WireMockServer;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * An upstream of the test protocol "stub" ({@link StubProtocol}) on WireMock, with a connector of its own and an
 * operator routed only to it (a copy of airtel-prepaid), so reconciliation tests pay through it and see exactly their
 * own attempts of the day. Its daily report is CSV {@code ref,reference,amount,status,time}, amounts in rupees.
 */
public final class StubUpstream implements AutoCloseable {
    /** A payment made through the upstream: its order, our reference as sent, and the order's status after the answer. */
    public record Paid(String orderId, String reference, String status) {
        public long id() {
            return Long.parseLong(orderId);
        }
    }

    public final WireMockServer server;
    public final String tag;
    public final String connector;
    public final String operator;
    private final AdminClient admin;
    private final JdbcClient jdbc;

    private StubUpstream(WireMockServer server, AdminClient admin, JdbcClient jdbc) {
        this.server = server;
        this.admin = admin;
        this.jdbc = jdbc;
        this.tag = UUID.randomUUID().toString().substring(0, 8);
        this.connector = "rec-" + tag;
        this.operator = "rec-op-" + tag;
    }

    /** Starts the upstream, adds its connector and an operator routed to it, through the admin API. */
    public static StubUpstream start(int port, JdbcClient jdbc, Catalog catalog) {
        WireMockServer server = new WireMockServer(options().dynamicPort());
        server.start();
        AdminClient admin = new AdminClient("http://localhost:" + port, "demo-admin");
        StubUpstream up = new StubUpstream(server, admin, jdbc);
        jdbc.sql("""
                insert into operators (id, name, category_id, location_id, kind, country, currency, fetch_option, exactness,
                    min_amount_minor, max_amount_minor, partial_payment, channels, connector, params)
                select :id, 'Reconciled ' || :id, category_id, null, kind, country, currency, fetch_option, exactness,
                    min_amount_minor, max_amount_minor, partial_payment, channels, 'sandbox', params
                from operators where id = 'airtel-prepaid'""").param("id", up.operator).update();
        catalog.reload();
        Http created = admin.post("/admin/connectors", """
                {"name":"%s","type":"stub","baseUrl":"http://localhost:%d","credentials":{"token":"tok"},
                 "timeouts":{"connectMs":500,"readMs":1000},"maxInFlight":50}""".formatted(up.connector, server.port()));
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        Http routes = admin.send("PUT", "/admin/operators/" + up.operator + "/routes",
                "[{\"connector\":\"" + up.connector + "\",\"upstreamCode\":\"AT\",\"priority\":1}]");
        assertThat(routes.status()).as(routes.body()).isEqualTo(200);
        return up;
    }

    /**
     * A recharge of 100.00 INR to {@code account} the upstream answers with {@code answer}: a stub status (SUCCESS,
     * FAILED, PENDING; the upstream's id UP-account) or "500" (an answer we cannot read: the order is UNKNOWN).
     */
    public Paid pay(NativeClient client, String account, String answer) {
        server.stubFor(post("/pay").withRequestBody(matchingJsonPath("$.account", equalTo(account)))
                .willReturn(answer.equals("500") ? aResponse().withStatus(500)
                        : aResponse().withBody("{\"status\":\"" + answer + "\",\"ref\":\"UP-" + account + "\"}")));
        Http paid = client.post("/v1/recharges", """
                {"operatorId":"%s","accountNumber":"%s","amountMinor":10000,"currency":"INR"}""".formatted(operator, account),
                "rec-" + account + "-" + tag);
        assertThat(paid.status()).as(paid.body()).isIn(200, 201, 202);
        String id = paid.text("id");
        return new Paid(id, admin.get("/admin/orders/" + id).json().get("attempts").get(0).get("reference").asString(),
                status(id));
    }

    /** The upstream answers a status enquiry of {@code reference} with {@code status} (and the id UP-reference). */
    public void answersStatus(String reference, String status) {
        server.stubFor(get("/status/" + reference)
                .willReturn(aResponse().withBody("{\"status\":\"" + status + "\",\"ref\":\"UP-" + reference + "\"}")));
    }

    /** The order's status as the admin API reads it. */
    public String status(String orderId) {
        return admin.get("/admin/orders/" + orderId).text("status");
    }

    /** The partner's commission on the order (in paise), as priced when it was placed. */
    public long commission(Paid p) {
        return jdbc.sql("select commission_minor from orders where id = :id").param("id", p.id()).query(Long.class).single();
    }

    /** Transfers of the order of each kind: how often its money moved. */
    public long transfers(Paid p, String kind) {
        return jdbc.sql("select count(*) from transfers where order_id = :id and kind = :kind").param("id", p.id())
                .param("kind", kind).query(Long.class).single();
    }

    /** Transfers of the order with a transfer code (COMMISSION, TDS, UPSTREAM, ...). */
    public long transfersCoded(Paid p, String code) {
        return jdbc.sql("select count(*) from transfers where order_id = :id and code = :code").param("id", p.id())
                .param("code", code).query(Long.class).single();
    }

    /** Every transfer of the order. */
    public long transfers(Paid p) {
        return jdbc.sql("select count(*) from transfers where order_id = :id").param("id", p.id()).query(Long.class).single();
    }

    @Override
    public void close() {
        server.stop();
    }
}
