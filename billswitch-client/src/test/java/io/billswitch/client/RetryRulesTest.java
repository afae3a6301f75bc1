package io.billswitch.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The retry rules against a local HTTP server that answers what each test scripts. */
class RetryRulesTest {
    private static final String PAID = """
            {"id":"1000001","reference":"k","kind":"RECHARGE","status":"SUCCESS","amountMinor":100,"currency":"INR"}""";

    private HttpServer server;
    private final List<Map<String, String>> seen = new CopyOnWriteArrayList<>();

    private record Answer(int status, String body, String retryAfter) {
    }

    private BillSwitchClient serve(Function<Integer, Answer> script) throws IOException {
        AtomicInteger calls = new AtomicInteger();
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> answer(exchange, script.apply(calls.incrementAndGet())));
        server.start();
        return client("http://127.0.0.1:" + server.getAddress().getPort(), 4);
    }

    private static BillSwitchClient client(String url, int attempts) {
        return BillSwitchClient.builder().baseUrl(url).apiKey("k1").secret("s1").maxAttempts(attempts)
                .backoff(Duration.ofMillis(10), Duration.ofMillis(50)).build();
    }

    private void answer(HttpExchange exchange, Answer answer) throws IOException {
        seen.add(Map.of("key", String.valueOf(exchange.getRequestHeaders().getFirst("Idempotency-Key")),
                "timestamp", exchange.getRequestHeaders().getFirst("X-Timestamp"),
                "signature", exchange.getRequestHeaders().getFirst("X-Signature")));
        exchange.getRequestBody().readAllBytes();
        byte[] body = answer.body().getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        if (answer.retryAfter() != null) {
            exchange.getResponseHeaders().add("Retry-After", answer.retryAfter());
        }
        exchange.sendResponseHeaders(answer.status(), body.length);
        exchange.getResponseBody().write(body);
        exchange.close();
    }

    private static String error(String code) {
        return "{\"error\":{\"code\":\"" + code + "\",\"message\":\"m\",\"fields\":{}}}";
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.stop(0);
        }
    }

    @Test
    void busyInProgressAndRateLimitedAreRetriedWithTheSameKeyAndAFreshSignature() throws IOException {
        BillSwitchClient client = serve(n -> switch (n) {
            case 1 -> new Answer(503, error("BUSY"), "0");
            case 2 -> new Answer(409, error("REQUEST_IN_PROGRESS"), null);
            case 3 -> new Answer(429, error("RATE_LIMITED"), "0");
            default -> new Answer(200, PAID, null);
        });
        Payment paid = client.recharge(Recharge.of("airtel-prepaid", "9876543210", 100, "INR"));
        assertThat(paid.status()).isEqualTo("SUCCESS");
        assertThat(seen).hasSize(4);
        assertThat(seen.stream().map(s -> s.get("key")).distinct().toList()).hasSize(1).allMatch(k -> k.length() == 36);
        assertThat(seen.stream().map(s -> s.get("timestamp")).distinct().toList()).hasSize(4);
        assertThat(seen.stream().map(s -> s.get("signature")).distinct().toList()).hasSize(4);
    }

    @Test
    void attemptsAreBoundedThenTheErrorIsTyped() throws IOException {
        BillSwitchClient client = serve(n -> new Answer(503, error("BUSY"), "1"));
        assertThatThrownBy(() -> client.recharge(Recharge.of("a", "1", 100, "INR"), "my-key"))
                .isInstanceOfSatisfying(BillSwitchApiException.class, e -> {
                    assertThat(e.errorCode()).isEqualTo(ErrorCode.BUSY);
                    assertThat(e.httpStatus()).isEqualTo(503);
                    assertThat(e.retryAfter()).isEqualTo("1");
                });
        assertThat(seen).hasSize(4).allMatch(s -> s.get("key").equals("my-key"));
    }

    @Test
    void otherErrorsAreNotRetried() throws IOException {
        BillSwitchClient client = serve(n -> new Answer(400, """
                {"error":{"code":"INVALID_REQUEST","message":"bad","fields":{"amountMinor":"must be positive"}}}""", null));
        assertThatThrownBy(() -> client.recharge(Recharge.of("a", "1", 100, "INR")))
                .isInstanceOfSatisfying(BillSwitchApiException.class, e -> {
                    assertThat(e.errorCode()).isEqualTo(ErrorCode.INVALID_REQUEST);
                    assertThat(e.fields()).containsEntry("amountMinor", "must be positive");
                    assertThat(e.serverMessage()).isEqualTo("bad");
                });
        assertThat(seen).hasSize(1);
    }

    @Test
    void aRefusedConnectionIsRetriedThenReportedWithTheKey() throws IOException {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        BillSwitchClient client = client("http://127.0.0.1:" + port, 3);
        assertThatThrownBy(() -> client.recharge(Recharge.of("a", "1", 100, "INR"), "key-7"))
                .isInstanceOfSatisfying(BillSwitchTransportException.class, e -> {
                    assertThat(e.idempotencyKey()).isEqualTo("key-7");
                    assertThat(e.getMessage()).contains("3 attempt(s)");
                });
    }

    @Test
    void anUnknownCodeKeepsItsText() throws IOException {
        BillSwitchClient client = serve(n -> new Answer(418, error("SOMETHING_NEW"), null));
        assertThatThrownBy(client::categories).isInstanceOfSatisfying(BillSwitchApiException.class, e -> {
            assertThat(e.errorCode()).isEqualTo(ErrorCode.UNRECOGNISED);
            assertThat(e.code()).isEqualTo("SOMETHING_NEW");
        });
    }

    @Test
    void signsVersion2OverTheCanonicalString() {
        // Computed independently: printf 'v2\n1700000000000\nPOST\n/v1/recharges\napplication/json\nk-1\n{}' |
        //   openssl dgst -sha256 -hmac demo-secret -binary | base64
        String sig = new Signer("demo-secret").sign("1700000000000", "POST", "/v1/recharges", "application/json", "k-1",
                "{}".getBytes(StandardCharsets.UTF_8));
        assertThat(sig).isEqualTo(EXPECTED_SIGNATURE);
    }

    private static final String EXPECTED_SIGNATURE = "OyJSkUTazxUDDoiUvkXvWaZOStkLY/qwyEzUsrIq6uE=";
}
