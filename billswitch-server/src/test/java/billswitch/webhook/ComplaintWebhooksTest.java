package billswitch.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import billswitch.support.Http;
import billswitch.support.IntegrationTest;
import billswitch.support.NativeClient;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Every change of a complaint is a signed complaint.updated webhook, in order, verified as a partner would. */
class ComplaintWebhooksTest extends IntegrationTest {
    private static final JsonMapper JSON = JsonMapper.builder().build();

    @Autowired
    WebhookSender sender;

    private HttpServer receiver;
    private final List<Map<String, String>> received = new CopyOnWriteArrayList<>();

    @BeforeEach
    void startReceiver() throws IOException {
        receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        receiver.createContext("/hooks", exchange -> {
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            received.add(Map.of("signature", exchange.getRequestHeaders().getFirst("BillSwitch-Signature"), "body", body));
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        receiver.start();
    }

    @AfterEach
    void stopReceiver() {
        receiver.stop(0);
    }

    @Test
    void everyChangeOfAComplaintIsASignedWebhook() throws Exception {
        NativeClient client = newPartner(1_000_000);
        Http configured = admin().post("/admin/partners/" + client.partnerId + "/webhook",
                "{\"callbackUrl\":\"http://127.0.0.1:" + receiver.getAddress().getPort() + "/hooks\"}");
        String secret = configured.text("webhookSecret");
        Http paid = client.post("/v1/recharges", """
                {"operatorId":"airtel-prepaid","accountNumber":"9876543210","amountMinor":5000,"currency":"INR"}""",
                "cmp-wh-1");
        String tx = paid.text("id");
        Http raised = client.post("/v1/complaints", """
                {"transactionId":"%s","type":"WRONG_AMOUNT","description":"Meant 40, paid 50."}""".formatted(tx), null);
        String id = raised.text("id");
        assertThat(admin().post("/admin/complaints/" + id + "/assign", null).status()).isEqualTo(200);
        assertThat(admin().post("/admin/complaints/" + id + "/resolve",
                "{\"resolution\":\"Refunded.\",\"refund\":true}").status()).isEqualTo(200);
        while (sender.deliverDue() > 0) {
            // next batch
        }

        List<JsonNode> events = received.stream().filter(r -> r.get("body").contains("complaint.updated"))
                .map(r -> {
                    try {
                        assertThat(WebhookTest.verify(secret, r.get("signature"), r.get("body"))).isTrue();
                    } catch (Exception e) {
                        throw new AssertionError(e);
                    }
                    return JSON.readTree(r.get("body"));
                }).toList();
        assertThat(events).extracting(e -> e.get("data").get("status").stringValue())
                .containsExactly("INITIALIZED", "ASSIGNED", "RESOLVED");
        JsonNode last = events.get(2).get("data");
        assertThat(last.get("complaintId").stringValue()).isEqualTo(id);
        assertThat(last.get("transactionId").stringValue()).isEqualTo(tx);
        assertThat(last.get("disposition").stringValue()).isEqualTo("D23");
        assertThat(last.get("refundMinor").longValue()).isEqualTo(5000 - 125 + 3); // the debit less the commission net of its TDS
        // the payment's own refund is announced too
        assertThat(received).anyMatch(r -> r.get("body").contains("payment.refunded") && r.get("body").contains(tx));
    }
}
