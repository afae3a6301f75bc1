package io.billswitch.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URL;
import java.net.URLClassLoader;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The client against the packaged server in sandbox mode, as the sandbox demo partner (README: demo-key /
 * demo-secret).
 */
class ClientAgainstServerIT {
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static ServerJar server;
    private static BillSwitchClient client;

    @BeforeAll
    static void start() throws Exception {
        server = ServerJar.start();
        client = demoClient(server.baseUrl());
    }

    @AfterAll
    static void stop() throws Exception {
        if (server != null) {
            server.close();
        }
    }

    private static BillSwitchClient demoClient(String url) {
        return BillSwitchClient.builder().baseUrl(url).apiKey("demo-key").secret("demo-secret").build();
    }

    @Test
    void readsTheCatalog() {
        List<Category> categories = client.categories();
        assertThat(categories).extracting(Category::id).contains("electricity");
        assertThat(client.operators("electricity", "IN-DL", null)).extracting(Operator::id).contains("bses-rajdhani");
        OperatorDetail mseb = client.operator("mseb");
        assertThat(mseb.operator().id()).isEqualTo("mseb");
        assertThat(mseb.params()).anyMatch(OperatorDetail.Param::account);
    }

    @Test
    void rechargesAndFindsThePaymentByIdAndReference() {
        long before = client.wallet("INR").availableMinor();
        String key = "client-it-" + UUID.randomUUID();
        Payment paid = client.recharge(Recharge.of("airtel-prepaid", "9876543210", 19900, "INR"), key);
        assertThat(paid.status()).isEqualTo("SUCCESS");
        assertThat(paid.isFinal()).isTrue();
        assertThat(paid.kind()).isEqualTo("RECHARGE");
        assertThat(paid.reference()).isEqualTo(key);
        assertThat(paid.amount()).isEqualTo("199.00");
        assertThat(paid.wallet().openingMinor() - paid.wallet().closingMinor()).isEqualTo(19900 + paid.feeMinor());

        assertThat(client.transaction(paid.id())).isEqualTo(paid);
        assertThat(client.transactionByReference(key).id()).isEqualTo(paid.id());
        assertThat(client.wallet("INR").availableMinor()).isLessThan(before);
        assertThat(client.wallets()).extracting(Wallet::currency).contains("INR", "VND");
        Statement statement = client.statement("INR", 200, null);
        assertThat(statement.entries()).anyMatch(e -> paid.id().equals(e.transactionId()) && e.type().equals("HOLD"));
    }

    @Test
    void fetchesAndPaysABill() {
        Payment fetch = client.fetchBill(BillFetch.of("bses-rajdhani", "102277100"));
        assertThat(fetch.kind()).isEqualTo("BILL_FETCH");
        assertThat(fetch.bill().amountMinor()).isPositive();
        Payment paid = client.payBill(new BillPayment("bses-rajdhani", "102277100", null, fetch.bill().amountMinor(), "INR",
                fetch.id(), null));
        assertThat(paid.status()).isEqualTo("SUCCESS");
        assertThat(paid.kind()).isEqualTo("BILL_PAY");
        assertThat(paid.billFetchId()).isEqualTo(fetch.id());
        assertThat(UUID.fromString(paid.reference())).isNotNull(); // the key the client made for it
    }

    @Test
    void errorsAreTyped() {
        assertThatThrownBy(() -> client.recharge(Recharge.of("no-such-operator", "9876543210", 19900, "INR")))
                .isInstanceOfSatisfying(BillSwitchApiException.class, e -> {
                    assertThat(e.errorCode()).isEqualTo(ErrorCode.UNKNOWN_OPERATOR);
                    assertThat(e.httpStatus()).isEqualTo(404);
                });
        assertThatThrownBy(() -> client.recharge(Recharge.of("airtel-prepaid", "9876543210", 0, "INR")))
                .isInstanceOfSatisfying(BillSwitchApiException.class, e -> {
                    assertThat(e.errorCode()).isEqualTo(ErrorCode.INVALID_REQUEST);
                    assertThat(e.httpStatus()).isEqualTo(400);
                    assertThat(e.fields()).containsKey("amountMinor");
                });
        assertThatThrownBy(() -> client.transaction("999999999"))
                .isInstanceOfSatisfying(BillSwitchApiException.class,
                        e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.TRANSACTION_NOT_FOUND));
        BillSwitchClient wrongSecret = BillSwitchClient.builder().baseUrl(server.baseUrl()).apiKey("demo-key")
                .secret("not-the-secret").build();
        assertThatThrownBy(wrongSecret::categories).isInstanceOfSatisfying(BillSwitchApiException.class,
                e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.INVALID_SIGNATURE));
    }

    @Test
    void aPaymentWhoseAnswerWasLostIsRetriedWithTheSameKeyAndPaidOnce() throws Exception {
        try (DroppingProxy proxy = new DroppingProxy(server.port())) {
            BillSwitchClient viaProxy = demoClient("http://127.0.0.1:" + proxy.port());
            String key = "client-it-lost-" + UUID.randomUUID();
            Payment paid = viaProxy.recharge(Recharge.of("airtel-prepaid", "9876543211", 1000, "INR"), key);

            assertThat(proxy.droppedAnAnswer()).as("the server answered the first attempt, and it was lost").isTrue();
            assertThat(proxy.connections()).isEqualTo(2);
            assertThat(paid.status()).isEqualTo("SUCCESS");
            assertThat(paid.reference()).isEqualTo(key);
            long holds = client.statement("INR", 200, null).entries().stream()
                    .filter(e -> paid.id().equals(e.transactionId()) && e.type().equals("HOLD")).count();
            assertThat(holds).as("one payment, one hold").isEqualTo(1);
        }
    }

    @Test
    void webhookSignaturesVerify() throws Exception {
        LinkedBlockingQueue<String[]> deliveries = new LinkedBlockingQueue<>();
        HttpServer receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        receiver.createContext("/hooks", exchange -> {
            byte[] body = exchange.getRequestBody().readAllBytes();
            deliveries.add(new String[] {exchange.getRequestHeaders().getFirst(WebhookVerifier.HEADER),
                    new String(body, StandardCharsets.UTF_8)});
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
        });
        receiver.start();
        try {
            String secret = admin("POST", "/admin/partners/AOP-554/webhook",
                    "{\"callbackUrl\":\"http://127.0.0.1:" + receiver.getAddress().getPort() + "/hooks\"}")
                    .get("webhookSecret").asString();
            client.recharge(Recharge.of("airtel-prepaid", "9876543210", 1100, "INR"));
            String[] delivery = deliveries.poll(60, TimeUnit.SECONDS);
            assertThat(delivery).as("a webhook delivery").isNotNull();
            String header = delivery[0];
            String body = delivery[1];

            assertThat(new WebhookVerifier(secret).verify(header, body)).isTrue();
            assertThat(new WebhookVerifier(secret).verify(header, body.replace("SUCCESS", "FAILED").replace("1100", "9100")))
                    .as("a tampered body").isFalse();
            assertThat(new WebhookVerifier(secret).verify(header, body + " ")).isFalse();
            assertThat(new WebhookVerifier("another-secret").verify(header, body)).isFalse();
            Clock tenMinutesLater = Clock.offset(Clock.system(ZoneOffset.UTC), Duration.ofMinutes(10));
            assertThat(new WebhookVerifier(secret, Duration.ofMinutes(5), tenMinutesLater).verify(header, body))
                    .as("an old timestamp").isFalse();
            assertThat(new WebhookVerifier(secret).verify(header.replaceAll("t=\\d+", "t=1000000000"), body)).isFalse();
        } finally {
            receiver.stop(0);
        }
    }

    @Test
    void knowsEveryErrorCodeOfTheServer() throws Exception {
        HttpResponse<String> doc = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create(server.baseUrl() + "/v1/openapi.json")).build(),
                HttpResponse.BodyHandlers.ofString());
        Map<String, Integer> serverCodes = new HashMap<>();
        for (JsonNode entry : JSON.readTree(doc.body()).get("components").get("schemas").get("ErrorCode").get("x-error-catalog")) {
            serverCodes.put(entry.get("code").asString(), entry.get("httpStatus").intValue());
        }
        Map<String, Integer> clientCodes = new HashMap<>();
        Arrays.stream(ErrorCode.values()).filter(c -> c != ErrorCode.UNRECOGNISED)
                .forEach(c -> clientCodes.put(c.name(), c.httpStatus()));
        assertThat(clientCodes).isEqualTo(serverCodes);
    }

    /** The README's "Java client" example, compiled against this client and run against the server. */
    @Test
    void theReadmeExampleCompilesAndRuns() throws Exception {
        String readme = Files.readString(Path.of(System.getProperty("billswitch.repo", "."), "README.md"));
        Matcher m = Pattern.compile("## Java client.*?```java\\n(.*?)```", Pattern.DOTALL).matcher(readme);
        assertThat(m.find()).as("a java block in README's Java client section").isTrue();
        String snippet = m.group(1).replace("http://localhost:8080", server.baseUrl());
        Path dir = Files.createTempDirectory("readme-example");
        Files.writeString(dir.resolve("ReadmeExample.java"), "import io.billswitch.client.*;\n"
                + "public class ReadmeExample { public static void main(String[] args) throws Exception {\n"
                + snippet + "\n} }\n");
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        int result = javac.run(null, null, null, "-classpath", System.getProperty("java.class.path"), "-d",
                dir.toString(), dir.resolve("ReadmeExample.java").toString());
        assertThat(result).as("javac").isZero();
        PrintStream out = System.out;
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        try (URLClassLoader loader = new URLClassLoader(new URL[] {dir.toUri().toURL()}, getClass().getClassLoader())) {
            System.setOut(new PrintStream(printed, true, StandardCharsets.UTF_8));
            loader.loadClass("ReadmeExample").getMethod("main", String[].class).invoke(null, (Object) new String[0]);
        } finally {
            System.setOut(out);
        }
        assertThat(printed.toString(StandardCharsets.UTF_8)).contains("SUCCESS");
    }

    private static JsonNode admin(String method, String path, String body) throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(server.baseUrl() + path))
                .header("Authorization", "Bearer demo-admin").header("Content-Type", "application/json")
                .method(method, HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return JSON.readTree(response.body());
    }
}
