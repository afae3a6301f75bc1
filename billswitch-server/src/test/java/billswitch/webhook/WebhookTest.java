package billswitch.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import billswitch.payment.Janitor;
import billswitch.support.Http;
import billswitch.support.IntegrationTest;
import billswitch.support.NativeClient;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Signed webhooks from the outbox: verified as a partner would, retried, logged, in order, redeliverable. */
class WebhookTest extends IntegrationTest {
    private static final JsonMapper JSON = JsonMapper.builder().build();

    @Autowired
    WebhookSender sender;
    @Autowired
    Janitor janitor;
    @Autowired
    JdbcClient jdbc;

    private HttpServer receiver;
    private final List<Map<String, String>> received = new CopyOnWriteArrayList<>();
    private final AtomicInteger failNext = new AtomicInteger();

    record Delivered(String signature, String eventId, String body) {
    }

    @BeforeEach
    void startReceiver() throws IOException {
        receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        receiver.createContext("/hooks", exchange -> {
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            int status = failNext.getAndUpdate(n -> Math.max(0, n - 1)) > 0 ? 500 : 200;
            if (status == 200) {
                received.add(Map.of("signature", exchange.getRequestHeaders().getFirst("BillSwitch-Signature"),
                        "eventId", exchange.getRequestHeaders().getFirst("BillSwitch-Event-Id"), "body", body));
            }
            exchange.sendResponseHeaders(status, -1);
            exchange.close();
        });
        receiver.start();
    }

    @AfterEach
    void stopReceiver() {
        receiver.stop(0);
    }

    private String url() {
        return "http://127.0.0.1:" + receiver.getAddress().getPort() + "/hooks";
    }

    private String subscribe(NativeClient client) {
        Http configured = admin().post("/admin/partners/" + client.partnerId + "/webhook", "{\"callbackUrl\":\"" + url() + "\"}");
        assertThat(configured.status()).isEqualTo(200);
        return configured.text("webhookSecret");
    }

    private void deliverAll() {
        while (sender.deliverDue() > 0) {
            // next batch
        }
    }

    /** How a partner verifies: recompute v1 over "t.body" with the webhook secret. */
    static boolean verify(String secret, String header, String body) throws Exception {
        String t = header.substring(2, header.indexOf(','));
        String v1 = header.substring(header.indexOf("v1=") + 3);
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        StringBuilder hex = new StringBuilder();
        for (byte b : mac.doFinal((t + "." + body).getBytes(StandardCharsets.UTF_8))) {
            hex.append(String.format("%02x", b));
        }
        return hex.toString().equals(v1) && Math.abs(System.currentTimeMillis() / 1000 - Long.parseLong(t)) < 300;
    }

    @Test
    void aFinalStateIsDeliveredSignedWithAnEventId() throws Exception {
        NativeClient client = newPartner(1_000_000);
        String secret = subscribe(client);
        Http paid = client.post("/v1/recharges", """
                {"operatorId":"airtel-prepaid","accountNumber":"9876543210","amountMinor":19900,"currency":"INR"}""", "wh-1");
        deliverAll();

        List<Map<String, String>> mine = received.stream().filter(r -> r.get("body").contains(paid.text("id"))).toList();
        assertThat(mine).hasSize(1);
        Map<String, String> delivery = mine.get(0);
        assertThat(verify(secret, delivery.get("signature"), delivery.get("body"))).isTrue();
        assertThat(verify("some-other-secret", delivery.get("signature"), delivery.get("body"))).isFalse();
        JsonNode event = JSON.readTree(delivery.get("body"));
        assertThat(event.get("id").stringValue()).isEqualTo(delivery.get("eventId"));
        assertThat(event.get("type").stringValue()).isEqualTo("payment.succeeded");
        assertThat(event.get("data").get("reference").stringValue()).isEqualTo("wh-1");
        assertThat(event.get("data").get("status").stringValue()).isEqualTo("SUCCESS");
    }

    @Test
    void aFailingReceiverIsRetriedWithTheSameEventAndEveryAttemptIsLogged() throws Exception {
        NativeClient client = newPartner(1_000_000);
        String secret = subscribe(client);
        failNext.set(2);
        Http declined = client.post("/v1/recharges", """
                {"operatorId":"airtel-prepaid","accountNumber":"9876543218","amountMinor":19900,"currency":"INR"}""", "wh-2");
        deliverAll();

        Map<String, String> delivery = received.stream().filter(r -> r.get("body").contains(declined.text("id"))).findFirst().orElseThrow();
        assertThat(JSON.readTree(delivery.get("body")).get("type").stringValue()).isEqualTo("payment.failed");
        assertThat(verify(secret, delivery.get("signature"), delivery.get("body"))).isTrue();
        // Keys in one order, the same after a restart (they came from Map.of, whose order changed at every start).
        JsonNode data = JSON.readTree(delivery.get("body")).get("data");
        assertThat(data.get("failure").propertyNames()).containsExactly("code", "message");
        assertThat(data.get("refund").propertyNames()).containsExactly("amountMinor", "at");
        Http event = admin().get("/admin/webhooks/events/" + delivery.get("eventId"));
        assertThat(event.json().propertyNames()).containsExactly("event", "deliveries");
        assertThat(event.json().get("event").get("status").stringValue()).isEqualTo("DELIVERED");
        assertThat(event.json().get("event").get("attempts").intValue()).isEqualTo(3);
        assertThat(event.json().get("deliveries").size()).isEqualTo(3);
        assertThat(event.json().get("deliveries").get(0).get("httpStatus").intValue()).isEqualTo(500);
        assertThat(event.json().get("deliveries").get(2).get("httpStatus").intValue()).isEqualTo(200);
    }

    @Test
    void aReceiverThatWasDownGetsEveryEventAfterwardsInOrderForEachOrder() throws Exception {
        NativeClient client = newPartner(1_000_000);
        String secret = subscribe(client);
        receiver.stop(0);   // down: connection refused
        String id = client.post("/v1/recharges", """
                {"operatorId":"airtel-prepaid","accountNumber":"9876543219","amountMinor":19900,"currency":"INR"}""", "wh-3").text("id");
        // the order waits for review, then an operator refunds it: two events for one order
        jdbc.sql("update orders set created_at = now() - interval '3 days', next_check_at = now() - interval '1 second' where id = :id")
                .param("id", Long.parseLong(id)).update();
        jdbc.sql("update attempts set started_at = now() where order_id = :id").param("id", Long.parseLong(id)).update();
        while (janitor.resolveDue() > 0) {
            // settle
        }
        admin().post("/admin/orders/" + id + "/settle", "{\"outcome\":\"FAILED\",\"reason\":\"confirmed not credited\"}");
        deliverAll();
        deliverAll();
        assertThat(received.stream().filter(r -> r.get("body").contains(id))).isEmpty();

        startReceiver();
        subscribe(client); // the receiver came back on a new port; the partner points its callback there
        // the first event failed 4 times and is DEAD; it holds back the order's later event until redelivered
        deliverAll();
        Http dead = admin().get("/admin/webhooks/events?partnerId=" + client.partnerId + "&status=DEAD");
        assertThat(dead.json().get("events").size()).isEqualTo(1);
        assertThat(received.stream().filter(r -> r.get("body").contains(id))).isEmpty();

        admin().post("/admin/webhooks/events/" + dead.json().get("events").get(0).get("eventId").stringValue() + "/redeliver", null);
        deliverAll();
        deliverAll();
        List<String> types = received.stream().filter(r -> r.get("body").contains("\"transactionId\":\"" + id + "\""))
                .map(r -> JSON.readTree(r.get("body")).get("type").stringValue()).toList();
        assertThat(types).containsExactly("payment.needs_review", "payment.refunded");
    }

    /** Pays once for a new partner whose callback URL is {@code url}, delivers, and answers its one event as logged. */
    private JsonNode deliveredTo(String url) {
        NativeClient client = newPartner(1_000_000);
        assertThat(admin().post("/admin/partners/" + client.partnerId + "/webhook", "{\"callbackUrl\":\"" + url + "\"}")
                .status()).isEqualTo(200);
        client.post("/v1/recharges", """
                {"operatorId":"airtel-prepaid","accountNumber":"9876543210","amountMinor":19900,"currency":"INR"}""", "wh-x");
        deliverAll();
        JsonNode events = admin().get("/admin/webhooks/events?partnerId=" + client.partnerId).json().get("events");
        assertThat(events.size()).isEqualTo(1);
        return admin().get("/admin/webhooks/events/" + events.get(0).get("eventId").stringValue()).json();
    }

    @Test
    void callbackUrlsToMetadataLinkLocalOrPrivateAddressesAreRefusedInEverySpelling() {
        NativeClient client = newPartner(0);
        for (String url : List.of("http://169.254.169.254/latest/meta-data/", "http://[fd00:ec2::254]/",
                "http://[::ffff:169.254.169.254]/", "http://2852039166/", "http://0xa9fea9fe/", "http://169.254.1.1/",
                "http://[fe80::1]/", "http://10.0.0.1/", "http://192.168.0.1/", "http://172.16.5.4/", "http://100.64.0.1/",
                "http://0.0.0.0:" + port + "/", "http://0x7f000001:" + port + "/", "http://user:pw@127.0.0.1/")) {
            Http refused = admin().post("/admin/partners/" + client.partnerId + "/webhook", "{\"callbackUrl\":\"" + url + "\"}");
            assertThat(refused.status()).as(url).isEqualTo(400);
            assertThat(refused.errorCode()).as(url).isEqualTo("INVALID_REQUEST");
            assertThat(refused.body()).as(url).contains("callbackUrl");
        }
        Http created = admin().post("/admin/partners", "{\"name\":\"Metadata\",\"callbackUrl\":\"http://169.254.169.254/\"}");
        assertThat(created.status()).isEqualTo(400);
        assertThat(created.errorCode()).isEqualTo("INVALID_REQUEST");
        // sandbox mode: a receiver on this machine's loopback is fine
        assertThat(admin().post("/admin/partners/" + client.partnerId + "/webhook", "{\"callbackUrl\":\"" + url() + "\"}")
                .status()).isEqualTo(200);
        assertThat(admin().get("/admin/partners/" + client.partnerId).text("callbackUrl")).isEqualTo(url());
    }

    @Test
    void anAddressRefusedAtDeliveryIsNeverConnectedTo() {
        NativeClient client = newPartner(1_000_000);
        subscribe(client);
        // as if the rules had been bypassed when it was saved (or the name now resolved elsewhere)
        jdbc.sql("update partners set callback_url = 'http://169.254.169.254/latest/meta-data/' where id = :id")
                .param("id", client.partnerId).update();
        client.post("/v1/recharges", """
                {"operatorId":"airtel-prepaid","accountNumber":"9876543210","amountMinor":19900,"currency":"INR"}""", "wh-5");
        deliverAll();
        String eventId = admin().get("/admin/webhooks/events?partnerId=" + client.partnerId).json().get("events").get(0)
                .get("eventId").stringValue();
        JsonNode event = admin().get("/admin/webhooks/events/" + eventId).json();
        assertThat(event.get("deliveries").get(0).get("error").stringValue()).isEqualTo("address not allowed");
        assertThat(event.get("deliveries").get(0).get("httpStatus").isNull()).isTrue();
    }

    @Test
    void deliveryErrorsAreGenericNeverWhatAnsweredAndRedirectsAreNotFollowed() throws Exception {
        // a non-HTTP service: its banner never reaches the delivery log
        try (ServerSocket ssh = new ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress())) {
            Thread banner = Thread.ofVirtual().start(() -> {
                try (Socket s = ssh.accept(); OutputStream out = s.getOutputStream()) {
                    out.write("SSH-2.0-OpenSSH_9.6 secret-host-banner\r\n".getBytes(StandardCharsets.US_ASCII));
                    out.flush();
                    s.getInputStream().read(new byte[4096]);
                } catch (IOException ignored) {
                    // the sender hung up
                }
            });
            JsonNode event = deliveredTo("http://127.0.0.1:" + ssh.getLocalPort() + "/");
            banner.join(10_000);
            assertThat(event.get("deliveries").get(0).get("error").stringValue()).isEqualTo("invalid response");
            assertThat(event.toString()).doesNotContain("SSH").doesNotContain("secret-host-banner");
        }
        // a closed port
        int closed;
        try (ServerSocket s = new ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress())) {
            closed = s.getLocalPort();
        }
        JsonNode refused = deliveredTo("http://127.0.0.1:" + closed + "/");
        assertThat(refused.get("deliveries").get(0).get("error").stringValue()).isEqualTo("connection failed");
        assertThat(refused.get("event").get("lastError").stringValue()).isEqualTo("connection failed");
        // a redirect is an answer, not followed
        receiver.createContext("/moved", exchange -> {
            exchange.getResponseHeaders().add("Location", url());
            exchange.sendResponseHeaders(302, -1);
            exchange.close();
        });
        JsonNode moved = deliveredTo("http://127.0.0.1:" + receiver.getAddress().getPort() + "/moved");
        assertThat(moved.get("deliveries").get(0).get("httpStatus").intValue()).isEqualTo(302);
        assertThat(moved.get("deliveries").get(0).get("error").stringValue()).isEqualTo("HTTP 302");
        assertThat(received).isEmpty();
    }

    @Test
    void aHostThatDoesNotResolveIsLoggedAsSuchAndRetried() {
        // .invalid never resolves (RFC 6761): accepted when saved, checked at each delivery
        JsonNode event = deliveredTo("http://no-such-receiver.invalid/hooks");
        assertThat(event.get("deliveries").get(0).get("error").stringValue()).isEqualTo("host not resolved");
        assertThat(event.get("event").get("lastError").stringValue()).isEqualTo("host not resolved");
    }

    @Test
    void anUnexpectedFailureIsStillAnAttemptSoTheEventIsRetriedThenDeadNotStuck() {
        NativeClient client = newPartner(1_000_000);
        subscribe(client);
        // a webhook secret that no longer opens (a bug, a damaged row): deliver fails inside, not in the network
        jdbc.sql("update partners set webhook_secret_enc = 'not-a-sealed-secret' where id = :id")
                .param("id", client.partnerId).update();
        client.post("/v1/recharges", """
                {"operatorId":"airtel-prepaid","accountNumber":"9876543210","amountMinor":19900,"currency":"INR"}""", "wh-ie");
        deliverAll();
        JsonNode events = admin().get("/admin/webhooks/events?partnerId=" + client.partnerId).json().get("events");
        assertThat(events.size()).isEqualTo(1);
        JsonNode event = admin().get("/admin/webhooks/events/" + events.get(0).get("eventId").stringValue()).json();
        // every attempt recorded (the tests' retry delays are short), then DEAD: never stuck under its lease
        assertThat(event.get("deliveries").size()).isGreaterThan(1);
        event.get("deliveries").forEach(d -> assertThat(d.get("error").stringValue()).isEqualTo("internal error"));
        assertThat(event.get("event").get("status").stringValue()).isEqualTo("DEAD");
        assertThat(event.get("event").get("attempts").intValue()).isEqualTo(event.get("deliveries").size());
        assertThat(received).isEmpty();
    }

    @Test
    void anHttpsReceiverWhoseCertificateIsNotTrustedIsNotDeliveredTo() throws Exception {
        // a self-signed certificate for 127.0.0.1: the handshake fails, nothing is sent, the log says only "TLS failed"
        java.nio.file.Path dir = java.nio.file.Files.createTempDirectory("webhook-tls");
        java.nio.file.Path store = dir.resolve("receiver.p12");
        Process keytool = new ProcessBuilder(java.nio.file.Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                "-genkeypair", "-alias", "receiver", "-keyalg", "RSA", "-keysize", "2048", "-validity", "2",
                "-dname", "CN=127.0.0.1", "-ext", "SAN=IP:127.0.0.1", "-storetype", "PKCS12",
                "-keystore", store.toString(), "-storepass", "changeit", "-keypass", "changeit")
                .redirectErrorStream(true).start();
        keytool.getInputStream().readAllBytes();
        assertThat(keytool.waitFor()).isZero();
        java.security.KeyStore keys = java.security.KeyStore.getInstance("PKCS12");
        try (var in = java.nio.file.Files.newInputStream(store)) {
            keys.load(in, "changeit".toCharArray());
        }
        javax.net.ssl.KeyManagerFactory kmf = javax.net.ssl.KeyManagerFactory.getInstance("SunX509");
        kmf.init(keys, "changeit".toCharArray());
        javax.net.ssl.SSLContext tls = javax.net.ssl.SSLContext.getInstance("TLS");
        tls.init(kmf.getKeyManagers(), null, null);
        com.sun.net.httpserver.HttpsServer https = com.sun.net.httpserver.HttpsServer.create(
                new InetSocketAddress("127.0.0.1", 0), 0);
        https.setHttpsConfigurator(new com.sun.net.httpserver.HttpsConfigurator(tls));
        AtomicInteger reached = new AtomicInteger();
        https.createContext("/hooks", exchange -> {
            reached.incrementAndGet();
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        https.start();
        try {
            JsonNode event = deliveredTo("https://127.0.0.1:" + https.getAddress().getPort() + "/hooks");
            assertThat(event.get("deliveries").get(0).get("error").stringValue()).isEqualTo("TLS failed");
            assertThat(reached).hasValue(0);
        } finally {
            https.stop(0);
        }
    }

    @Test
    void partnersWithoutACallbackGetNoEvents() {
        NativeClient client = newPartner(1_000_000);
        client.post("/v1/recharges", """
                {"operatorId":"airtel-prepaid","accountNumber":"9876543210","amountMinor":19900,"currency":"INR"}""", "wh-4");
        assertThat(admin().get("/admin/webhooks/events?partnerId=" + client.partnerId).json().get("events").size()).isZero();
        assertThat(admin().get("/admin/webhooks/events/not-a-uuid").errorCode()).isEqualTo("EVENT_NOT_FOUND");
    }
}
