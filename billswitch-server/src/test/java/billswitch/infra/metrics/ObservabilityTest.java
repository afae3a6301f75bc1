package billswitch.infra.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import billswitch.support.DialectPayments;
import billswitch.support.Http;
import billswitch.support.IntegrationTest;
import billswitch.support.NativeClient;
import billswitch.support.RawClient;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import billswitch.payment.PaymentService;
import billswitch.shared.Currency;
import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import org.springframework.boot.logging.logback.StructuredLogEncoder;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Actuator on its own management port (README "Observability"), through the real server: the payment counter moves
 * by exactly the payments made, per label set, in every dialect; the metrics the operators watch are there; the
 * health groups answer; nothing of it is on the partners' port, and no sensitive endpoint exists.
 */
@ExtendWith(OutputCaptureExtension.class)
class ObservabilityTest extends IntegrationTest {
    /** {@code name{labels} value} of the Prometheus text format. */
    private static final Pattern SAMPLE = Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\\{(.*)})? (\\S+)$");
    private static final Pattern LABEL = Pattern.compile("(\\w+)=\"((?:[^\"\\\\]|\\\\.)*)\"");

    @Value("${local.management.port}")
    int managementPort;

    @Autowired
    JdbcClient jdbc;

    private RawClient management() {
        return new RawClient("http://localhost:" + managementPort);
    }

    private Http get(RawClient client, String path) {
        return client.get(path, Map.of());
    }

    /** Every sample of one metric, by its labels (sorted, as "name=value,..."). */
    private Map<String, Double> samples(String metric) {
        Http scrape = get(management(), "/actuator/prometheus");
        assertThat(scrape.status()).as(scrape.body()).isEqualTo(200);
        Map<String, Double> found = new HashMap<>();
        for (String line : scrape.body().split("\n")) {
            Matcher m = SAMPLE.matcher(line);
            if (line.startsWith("#") || !m.matches() || !m.group(1).equals(metric)) {
                continue;
            }
            Map<String, String> labels = new TreeMap<>();
            Matcher l = LABEL.matcher(m.group(2) == null ? "" : m.group(2));
            while (l.find()) {
                labels.put(l.group(1), l.group(2));
            }
            found.put(key(labels), Double.parseDouble(m.group(3)));
        }
        return found;
    }

    private static String key(Map<String, String> labels) {
        List<String> parts = new ArrayList<>();
        new TreeMap<>(labels).forEach((k, v) -> parts.add(k + "=" + v));
        return String.join(",", parts);
    }

    @Test
    void thePaymentCounterMovesByExactlyThePaymentsMadePerLabelSet() {
        NativeClient client = newPartner(100_000_000);
        partners.topUp(client.partnerId, Currency.VND, 100_000_000, "vnd-funding");
        Function<String, Http> aopay = DialectPayments.aopay(partners, "http://localhost:" + port, client.partnerId);
        Function<String, Http> eko = DialectPayments.eko(partners, "http://localhost:" + port, client.partnerId);
        Function<String, Http> appota = DialectPayments.appotaPay(partners, "http://localhost:" + port, client.partnerId);
        Map<String, Double> before = samples("billswitch_payments_total");

        String[] accounts = {"9876543210", "9876543218", "9876543219"}; // paid, declined, no answer (UNKNOWN)
        for (int i = 0; i < 20; i++) {
            Http answer = client.post("/v1/recharges", """
                    {"operatorId":"airtel-prepaid","accountNumber":"%s","amountMinor":19900,"currency":"INR"}"""
                    .formatted(accounts[i % 3]), "obs-" + i);
            assertThat(answer.status()).as(answer.body()).isIn(200, 202);
        }
        for (int i = 0; i < 10; i++) {
            for (Function<String, Http> pay : List.of(aopay, eko, appota)) {
                Http answer = pay.apply("OBS" + UUID.randomUUID().toString().replace("-", "").substring(0, 12));
                assertThat(answer.status()).as(answer.body()).isEqualTo(200);
            }
        }

        // What each payment reached, as stored: its status, operator, dialect and the connector of its last attempt.
        Map<String, Double> expected = new HashMap<>();
        jdbc.sql("""
                select o.status, o.operator_id, lower(o.dialect) as dialect,
                       (select a.connector from attempts a where a.order_id = o.id order by a.id desc limit 1) as connector
                from orders o where o.partner_id = :partner and o.kind <> 'BILL_FETCH'""")
                .param("partner", client.partnerId)
                .query((rs, n) -> key(Map.of("status", rs.getString("status"), "operator", rs.getString("operator_id"),
                        "dialect", rs.getString("dialect"), "connector", rs.getString("connector"))))
                .list().forEach(k -> expected.merge(k, 1.0, Double::sum));
        assertThat(expected.values().stream().mapToDouble(Double::doubleValue).sum()).isEqualTo(50);
        assertThat(expected.keySet()).anyMatch(k -> k.contains("status=FAILED"))
                .anyMatch(k -> k.contains("status=UNKNOWN")).anyMatch(k -> k.contains("status=SUCCESS"))
                .anyMatch(k -> k.contains("dialect=native")).anyMatch(k -> k.contains("dialect=aopay"))
                .anyMatch(k -> k.contains("dialect=eko")).anyMatch(k -> k.contains("dialect=appotapay"));

        Map<String, Double> after = samples("billswitch_payments_total");
        Map<String, Double> moved = new HashMap<>();
        after.forEach((k, v) -> {
            double delta = v - before.getOrDefault(k, 0.0);
            if (delta != 0) {
                moved.put(k, delta);
            }
        });
        assertThat(moved).isEqualTo(expected);
        // Paid ones took a time to their final state, per operator and connector.
        assertThat(samples("billswitch_payment_duration_seconds_count")).containsKey("connector=sandbox,operator=airtel-prepaid");
    }

    @Test
    void theOperatorsMetricsAreAllThere() {
        assertThat(admin().get("/admin/ledger/verify").status()).isEqualTo(200);
        assertThat(newPartner(0).get("/v1/wallet?currency=INR").status()).isEqualTo(200);
        Http connector = admin().post("/admin/connectors", """
                {"name":"obs-%s","type":"stub","baseUrl":"http://127.0.0.1:9","credentials":{"token":"t"},
                 "timeouts":{"connectMs":500,"readMs":1000},"maxInFlight":5}""".formatted(UUID.randomUUID().toString().substring(0, 8)));
        assertThat(connector.status()).as(connector.body()).isEqualTo(201);
        String name = connector.text("name");
        assertThat(admin().get("/admin/connectors/" + name).status()).isEqualTo(200); // its breaker is made

        assertThat(samples("billswitch_ledger_verify_ok")).containsEntry("", 1.0);
        assertThat(samples("billswitch_ledger_verify_last_run_timestamp_seconds").get("")).isPositive();
        assertThat(samples("billswitch_connector_circuit_state")).containsEntry("connector=" + name, 0.0);
        assertThat(samples("billswitch_payments_in_flight")).containsKey("");
        assertThat(samples("billswitch_janitor_backlog")).containsKey("");
        assertThat(samples("billswitch_janitor_oldest_due_seconds")).containsKey("");
        assertThat(samples("billswitch_webhooks_backlog")).containsKey("");
        assertThat(samples("billswitch_webhooks_oldest_age_seconds")).containsKey("");
        // Both of BillSwitch's pools: the general one and the batches' own.
        assertThat(samples("hikaricp_connections_max")).containsKeys("pool=billswitch", "pool=billswitch-batches");
        // Request latency histograms, per API and status class (never by path): the admin calls above, 2xx.
        assertThat(samples("billswitch_http_requests_seconds_bucket").entrySet()).anyMatch(e ->
                e.getKey().contains("api=admin") && e.getKey().contains("status=2xx") && e.getKey().contains("le=+Inf")
                        && e.getValue() > 0);
        assertThat(samples("billswitch_http_requests_seconds_count").entrySet()).anyMatch(e ->
                e.getKey().contains("api=native") && e.getKey().contains("status=2xx") && e.getValue() > 0);
        assertThat(samples("http_server_requests_seconds_count")).as("Boot's own, off").isEmpty();
    }

    @Test
    void theHealthGroupsAnswerUpWithWhatReadinessChecks() {
        Http liveness = get(management(), "/actuator/health/liveness");
        assertThat(liveness.status()).as(liveness.body()).isEqualTo(200);
        assertThat(liveness.text("status")).isEqualTo("UP");
        Http readiness = get(management(), "/actuator/health/readiness");
        assertThat(readiness.status()).as(readiness.body()).isEqualTo(200);
        assertThat(readiness.text("status")).isEqualTo("UP");
        assertThat(readiness.json().get("components").propertyNames()).contains("db", "batchWorkers", "janitor", "readinessState");
        Http health = get(management(), "/actuator/health");
        assertThat(health.status()).as(health.body()).isEqualTo(200);
        assertThat(health.text("status")).isEqualTo("UP");
    }

    @Test
    void actuatorIsOnlyOnTheManagementPortAndShowsNothingSensitive() {
        assertThat(managementPort).isNotEqualTo(port).isPositive();
        RawClient partners = new RawClient("http://localhost:" + port);
        for (String path : List.of("/actuator", "/actuator/health", "/actuator/health/readiness", "/actuator/prometheus",
                "/actuator/env", "/actuator/info")) {
            Http answer = get(partners, path);
            assertThat(answer.status()).as(path + " on the partners' port: " + answer.body()).isEqualTo(404);
        }
        for (String path : List.of("/actuator/env", "/actuator/beans", "/actuator/heapdump", "/actuator/threaddump",
                "/actuator/configprops", "/actuator/loggers", "/actuator/mappings", "/actuator/metrics",
                "/actuator/scheduledtasks", "/actuator/conditions", "/actuator/sbom", "/actuator/info")) {
            Http answer = get(management(), path);
            assertThat(answer.status()).as(path + " on the management port").isEqualTo(404);
        }
        Http shutdown = management().post("/actuator/shutdown", "", Map.of());
        assertThat(shutdown.status()).isIn(404, 405);
        // The management port serves Actuator only: no partner API there.
        assertThat(get(management(), "/v1/wallet?currency=INR").status()).isEqualTo(404);
    }

    /**
     * JSON logs (Spring Boot's structured logging, ECS as with BILLSWITCH_LOG_FORMAT=ecs): a line logged while a
     * payment is handled carries its order id, partner and reference as fields of their own.
     */
    @Test
    void aPaymentsLogLinesCarryItsOrderIdAndReference(CapturedOutput output) {
        NativeClient client = newPartner(1_000_000);
        String reference = "mdc-" + UUID.randomUUID();
        LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
        Logger logger = context.getLogger(PaymentService.class);
        StructuredLogEncoder encoder = new StructuredLogEncoder();
        encoder.setContext(context);
        encoder.setFormat("ecs");
        encoder.start();
        ConsoleAppender<ILoggingEvent> json = new ConsoleAppender<>();
        json.setContext(context);
        json.setName("json-probe");
        json.setEncoder(encoder);
        json.start();
        Level level = logger.getLevel();
        logger.setLevel(Level.DEBUG);
        logger.addAppender(json);
        Http answer;
        try {
            answer = client.post("/v1/recharges", """
                    {"operatorId":"airtel-prepaid","accountNumber":"9876543210","amountMinor":19900,"currency":"INR"}""",
                    reference);
        } finally {
            logger.detachAppender(json);
            logger.setLevel(level);
            json.stop();
        }
        assertThat(answer.status()).as(answer.body()).isEqualTo(200);
        String orderId = answer.text("id");
        List<String> lines = output.getOut().lines().filter(l -> l.startsWith("{") && l.contains(reference)).toList();
        assertThat(lines).as(output.getOut()).isNotEmpty();
        assertThat(lines).allSatisfy(line -> assertThat(line).contains("\"reference\":\"" + reference + "\"",
                "\"orderId\":\"" + orderId + "\"", "\"partnerId\":\"" + client.partnerId + "\"", "\"level\":\"DEBUG\""));
        // Cleared after: this thread's next line names no payment.
        assertThat(org.slf4j.MDC.get("orderId")).isNull();
    }
}
