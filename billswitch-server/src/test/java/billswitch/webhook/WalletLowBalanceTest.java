package billswitch.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import billswitch.shared.Currency;
import billswitch.support.Http;
import billswitch.support.IntegrationTest;
import billswitch.support.NativeClient;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * wallet.low_balance: one signed webhook each time a wallet's available balance falls from at or above its threshold
 * to below it; none while it stays below; again once a top-up has taken it back above and a payment crosses again.
 */
class WalletLowBalanceTest extends IntegrationTest {
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final String RECHARGE = """
            {"operatorId":"airtel-prepaid","accountNumber":"9876543210","amountMinor":19900,"currency":"INR"}""";

    @Autowired
    WebhookSender sender;

    private HttpServer receiver;
    private final List<Map<String, String>> received = new CopyOnWriteArrayList<>();

    @BeforeEach
    void startReceiver() throws IOException {
        receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        receiver.createContext("/hooks", exchange -> {
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            received.add(Map.of("signature", exchange.getRequestHeaders().getFirst("BillSwitch-Signature"),
                    "type", exchange.getRequestHeaders().getFirst("BillSwitch-Event-Type"), "body", body));
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        receiver.start();
    }

    @AfterEach
    void stopReceiver() {
        receiver.stop(0);
    }

    private void deliverAll() {
        while (sender.deliverDue() > 0) {
            // next batch
        }
    }

    private List<JsonNode> lowBalanceEvents(String partnerId, String secret) throws Exception {
        List<JsonNode> events = new ArrayList<>();
        for (Map<String, String> r : received) {
            JsonNode event = JSON.readTree(r.get("body"));
            if (r.get("type").equals("wallet.low_balance") && event.get("data").get("partnerId").stringValue().equals(partnerId)) {
                assertThat(WebhookTest.verify(secret, r.get("signature"), r.get("body"))).as("signed").isTrue();
                events.add(event);
            }
        }
        return events;
    }

    /** Pays once; when its hold took the wallet from at or above {@code threshold} to below, its transaction id. */
    private String pay(NativeClient client, String reference, long threshold, List<Long> closings) {
        Http paid = client.post("/v1/recharges", RECHARGE, reference);
        assertThat(paid.text("status")).as(paid.body()).isEqualTo("SUCCESS");
        long opening = paid.json().get("wallet").get("openingMinor").longValue();
        long closing = paid.json().get("wallet").get("closingMinor").longValue();
        closings.add(closing);
        return opening >= threshold && closing < threshold ? paid.text("id") : null;
    }

    @Test
    void oneSignedWebhookPerCrossingAndATopUpRearmsIt() throws Exception {
        NativeClient client = newPartner(100_000);
        String secret = admin().post("/admin/partners/" + client.partnerId + "/webhook",
                "{\"callbackUrl\":\"http://127.0.0.1:" + receiver.getAddress().getPort() + "/hooks\"}").text("webhookSecret");
        long threshold = 50_000;
        Http set = admin().send("PUT", "/admin/partners/" + client.partnerId + "/wallets/INR/low-balance-threshold",
                "{\"thresholdMinor\":" + threshold + "}");
        assertThat(set.status()).isEqualTo(200);
        assertThat(set.json().get("lowBalanceThresholdMinor").longValue()).isEqualTo(threshold);

        List<String> crossings = new ArrayList<>();
        List<Long> closings = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            String crossed = pay(client, "low-" + i, threshold, closings);
            if (crossed != null) {
                crossings.add(crossed);
            }
        }
        deliverAll();
        assertThat(crossings).as("the payments crossed once: %s", closings).hasSize(1);
        List<JsonNode> first = lowBalanceEvents(client.partnerId, secret);
        assertThat(first).as("one webhook, none for the payments after it").hasSize(1);

        partners.topUp(client.partnerId, Currency.INR, 60_000, "rearm-1");
        for (int i = 4; i < 8 && crossings.size() < 2; i++) {
            String crossed = pay(client, "low-" + i, threshold, closings);
            if (crossed != null) {
                crossings.add(crossed);
            }
        }
        deliverAll();
        assertThat(crossings).as("crossed again after the top-up: %s", closings).hasSize(2);
        List<JsonNode> events = lowBalanceEvents(client.partnerId, secret);
        assertThat(events).hasSize(2);
        assertThat(events.stream().map(e -> e.get("data").get("transactionId").stringValue()).toList())
                .containsExactlyElementsOf(crossings);
        JsonNode data = events.get(1).get("data");
        assertThat(data.get("currency").stringValue()).isEqualTo("INR");
        assertThat(data.get("thresholdMinor").longValue()).isEqualTo(threshold);
        assertThat(data.get("availableMinor").longValue()).isLessThan(threshold);
        assertThat(data.get("availableBeforeMinor").longValue()).isGreaterThanOrEqualTo(threshold);
        assertThat(data.get("creditLimitMinor").longValue()).isZero();
        assertThat(data.get("transferId").stringValue()).isNotBlank();
        assertThat(events.get(1).get("type").stringValue()).isEqualTo("wallet.low_balance");
        JsonNode listed = admin().get("/admin/webhooks/events/" + events.get(1).get("id").stringValue()).json().get("event");
        assertThat(listed.get("status").stringValue()).isEqualTo("DELIVERED");
        assertThat(listed.get("transactionId").stringValue()).isEqualTo(crossings.get(1));
    }

    @Test
    void theThresholdCountsTheCreditLimitAndNoThresholdSendsNothing() throws Exception {
        NativeClient client = newPartner(10_000);
        String secret = admin().post("/admin/partners/" + client.partnerId + "/webhook",
                "{\"callbackUrl\":\"http://127.0.0.1:" + receiver.getAddress().getPort() + "/hooks\"}").text("webhookSecret");
        admin().send("PUT", "/admin/partners/" + client.partnerId + "/wallets/INR/credit-limit", "{\"creditLimitMinor\":40000}");
        List<Long> closings = new ArrayList<>();
        pay(client, "nolimit-0", 1, closings);
        deliverAll();
        assertThat(lowBalanceEvents(client.partnerId, secret)).as("no threshold: no alert").isEmpty();

        // available = balance - held + 40,000; 30,000 lies between this payment's before and after
        admin().send("PUT", "/admin/partners/" + client.partnerId + "/wallets/INR/low-balance-threshold",
                "{\"thresholdMinor\":30000}");
        Http paid = client.post("/v1/recharges", RECHARGE, "withlimit-1");
        assertThat(paid.text("status")).isEqualTo("SUCCESS");
        assertThat(paid.json().get("wallet").get("closingMinor").longValue()).as("below zero, within the limit").isNegative();
        deliverAll();
        List<JsonNode> events = lowBalanceEvents(client.partnerId, secret);
        assertThat(events).hasSize(1);
        assertThat(events.get(0).get("data").get("creditLimitMinor").longValue()).isEqualTo(40_000);
        assertThat(events.get(0).get("data").get("availableMinor").longValue())
                .isEqualTo(paid.json().get("wallet").get("closingMinor").longValue() + 40_000);
    }

    @Test
    void aPartnerSetsItsOwnThresholdThroughTheNativeApiAudited() {
        NativeClient client = newPartner(1_000);
        Http set = client.send("PUT", "/v1/wallet/INR/low-balance-threshold", "{\"thresholdMinor\":25000}",
                Map.of("Content-Type", "application/json"));
        assertThat(set.status()).as(set.body()).isEqualTo(200);
        assertThat(set.json().get("lowBalanceThresholdMinor").longValue()).isEqualTo(25_000);
        assertThat(client.get("/v1/wallet?currency=INR").json().get("wallets").get(0).get("lowBalanceThresholdMinor")
                .longValue()).isEqualTo(25_000);
        Http bad = client.send("PUT", "/v1/wallet/INR/low-balance-threshold", "{\"thresholdMinor\":-5}",
                Map.of("Content-Type", "application/json"));
        assertThat(bad.errorCode()).isEqualTo("INVALID_REQUEST");
        assertThat(client.send("PUT", "/v1/wallet/INR/low-balance-threshold", "{\"creditLimitMinor\":100000}",
                Map.of("Content-Type", "application/json")).errorCode()).as("not its own credit limit")
                .isEqualTo("INVALID_REQUEST");
        JsonNode entry = admin().get("/admin/audit?target=partner:" + client.partnerId
                + "&action=wallet.low-balance-threshold").json().get("entries").get(0);
        assertThat(entry.get("actor").stringValue()).isEqualTo("partner:" + client.partnerId);
        assertThat(entry.get("after").get("lowBalanceThresholdMinor").longValue()).isEqualTo(25_000);
    }
}
