package billswitch.infra.http;

import static billswitch.support.SocketClient.exchange;
import static billswitch.support.SocketClient.head;
import static billswitch.support.SocketClient.open;
import static billswitch.support.SocketClient.readToEnd;
import static billswitch.support.SocketClient.status;
import static org.assertj.core.api.Assertions.assertThat;

import billswitch.support.FaultInjectingConnector.Fault;
import billswitch.support.Http;
import billswitch.support.NativeClient;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/**
 * Issue 30, item 7: slow bodies. Connections announcing a 64 KB body and sending it slowly cannot hold the server: one
 * address may hold only so many connections, a body must arrive at a minimum rate and within deadlines, and a caller
 * without credential headers is refused before its body is read. Through the real server, over raw sockets; this
 * context has 40 request threads, 16 connections per address and 2 s read deadlines.
 */
class SlowClientTest extends EdgeServer {
    private static final String RECHARGE = "/v1/recharges";

    /** The head of a signed recharge announcing a 64 KB body (the signature cannot match a body never sent: it never gets that far). */
    private static String slowRechargeHead(NativeClient client) {
        Map<String, String> headers = new LinkedHashMap<>(signed(client, "POST", RECHARGE, "{}"));
        headers.put("Content-Type", "application/json");
        headers.put("Idempotency-Key", "slow-" + System.nanoTime());
        headers.put("Content-Length", "65536");
        return head("POST", RECHARGE, headers);
    }

    @Test
    void manySlowBodiesFromOneAddressDoNotStopAnHonestRequest() throws Exception {
        NativeClient attacker = newPartner(0);
        NativeClient honest = newPartner(100_000);
        List<Socket> slow = new ArrayList<>();
        try {
            // More slow bodies than the server has request threads, from one address, each having sent one byte of 65536.
            for (int i = 0; i < 60; i++) {
                try {
                    Socket socket = open("127.0.0.5", port);
                    OutputStream out = socket.getOutputStream();
                    out.write((slowRechargeHead(attacker) + "{").getBytes(StandardCharsets.UTF_8));
                    out.flush();
                    slow.add(socket);
                } catch (IOException refused) {
                    // a connection the server closed at once: that is the point
                }
            }

            assertThat(honest.get("/v1/wallet?currency=INR").status()).isEqualTo(200);
            assertThat(honest.post(RECHARGE, """
                    {"operatorId":"airtel-prepaid","accountNumber":"9876543210","amountMinor":1000,"currency":"INR"}""",
                    "honest-" + System.nanoTime()).status()).isEqualTo(200);
        } finally {
            for (Socket socket : slow) {
                socket.close();
            }
        }
    }

    @Test
    void aBodySentBelowTheMinimumRateHasItsConnectionClosed() throws Exception {
        NativeClient client = newPartner(0);
        try (Socket socket = open("127.0.0.6", port)) {
            OutputStream out = socket.getOutputStream();
            out.write(slowRechargeHead(client).getBytes(StandardCharsets.UTF_8));
            out.flush();
            InputStream in = socket.getInputStream();
            String answer = null;
            // A byte at a time, far below 1024 bytes a second, until the server gives up on it: at most 200 of 65536.
            for (int sent = 0; sent < 200 && answer == null; sent++) {
                try {
                    out.write('x');
                    out.flush();
                } catch (IOException closed) {
                    answer = readToEnd(in);
                    break;
                }
                Thread.sleep(300);
                if (in.available() > 0) {
                    answer = readToEnd(in);
                }
            }
            if (answer == null) {
                answer = readToEnd(in);
            }
            // Closed, with a 4xx or without an answer: never taken as a request.
            assertThat(status(answer)).as(answer).isIn(-1, 400, 408);
        }
    }

    @Test
    void aBodyThatStopsHasItsConnectionClosed() throws Exception {
        NativeClient client = newPartner(0);
        try (Socket socket = open("127.0.0.6", port)) {
            socket.getOutputStream().write((slowRechargeHead(client) + "{\"operatorId\"").getBytes(StandardCharsets.UTF_8));
            String answer = readToEnd(socket.getInputStream());
            assertThat(status(answer)).as(answer).isIn(-1, 400, 408);
        }
    }

    @Test
    void aPaymentWaitingForItsOperatorLongerThanTheBodyDeadlinesIsStillAnswered() throws Exception {
        NativeClient client = newPartner(100_000);
        String operator = faults.operator();
        faults.next(Fault.HANG);
        faults.armGate();
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            Future<Http> paying = pool.submit(() -> client.post(RECHARGE, """
                    {"operatorId":"%s","accountNumber":"9876543210","amountMinor":10000,"currency":"INR"}""".formatted(operator),
                    "waits-" + System.nanoTime()));
            assertThat(faults.awaitEntered()).isTrue();
            // Longer than the body's idle timeout and its deadline (2 s and 5 s here): the body is in, the
            // connection's own idle timeout applies again while the payment waits.
            Thread.sleep(7_000);
            faults.release();
            Http answer = paying.get();
            assertThat(answer.status()).as(answer.body()).isEqualTo(200);
            assertThat(answer.text("status")).isEqualTo("SUCCESS");
        }
    }

    @Test
    void aKeptAliveConnectionOutlivesTheReadDeadlinesOnceItsBodyIsIn() throws Exception {
        NativeClient client = newPartner(0);
        try (Socket socket = open("127.0.0.10", port)) {
            OutputStream out = socket.getOutputStream();
            String body = "{\"operatorId\":\"nope\"}";
            Map<String, String> headers = new LinkedHashMap<>(signed(client, "POST", RECHARGE, body));
            headers.put("Content-Type", "application/json");
            headers.put("Idempotency-Key", "kept-" + System.nanoTime());
            headers.put("Content-Length", Integer.toString(body.length()));
            headers.put("Connection", "keep-alive");
            out.write((head("POST", RECHARGE, headers) + body).getBytes(StandardCharsets.UTF_8));
            out.flush();
            assertThat(status(readOne(socket.getInputStream()))).isEqualTo(400);
            // Idle between requests for longer than the header and body deadlines (2 s here)...
            Thread.sleep(3_500);
            Map<String, String> next = new LinkedHashMap<>(signed(client, "GET", "/v1/wallet?currency=INR", null));
            next.put("Connection", "keep-alive");
            out.write(head("GET", "/v1/wallet?currency=INR", next).getBytes(StandardCharsets.UTF_8));
            out.flush();
            // ...and the connection still takes the next request.
            String second = readOne(socket.getInputStream());
            assertThat(status(second)).as(second).isEqualTo(200);
        }
    }

    /** One answer with a Content-Length from a kept-alive connection: its head and body ("" when closed). */
    private static String readOne(InputStream in) throws IOException {
        StringBuilder head = new StringBuilder();
        while (!head.toString().endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                return head.toString();
            }
            head.append((char) b);
        }
        int length = 0;
        for (String line : head.toString().split("\r\n")) {
            if (line.toLowerCase().startsWith("content-length:")) {
                length = Integer.parseInt(line.substring(15).trim());
            }
        }
        return head + new String(in.readNBytes(length), StandardCharsets.UTF_8);
    }

    @Test
    void aCallerWithoutCredentialHeadersIsRefusedBeforeItsBodyIsRead() throws Exception {
        // The body is announced, never sent: the answer comes from the headers alone.
        String anonymous = exchange("127.0.0.7", port, "POST", RECHARGE,
                Map.of("Content-Type", "application/json", "Content-Length", "65536"), null);
        assertThat(status(anonymous)).as(anonymous).isEqualTo(401);
        assertThat(anonymous).contains("MISSING_CREDENTIALS");

        String eko = exchange("127.0.0.7", port, "POST", "/ekoapi/v2/billpayments/paybill?initiator_id=9962981729",
                Map.of("Content-Type", "application/x-www-form-urlencoded", "Content-Length", "65536"), null);
        assertThat(status(eko)).as(eko).isEqualTo(403);
        assertThat(eko).contains("secret-key");

        String appota = exchange("127.0.0.7", port, "POST", "/api/v1/service/bill/pay",
                Map.of("Content-Type", "application/json", "Content-Length", "65536"), null);
        assertThat(status(appota)).as(appota).isEqualTo(401);
        assertThat(appota).contains("X-APPOTAPAY-AUTH");
        String multipart = exchange("127.0.0.7", port, "POST", "/api/v1/service/bill/pay",
                Map.of("Content-Type", "multipart/form-data; boundary=xyz", "Content-Length", "65536"), null);
        assertThat(status(multipart)).as(multipart).isEqualTo(401);
    }

    @Test
    void oneAddressMayHoldOnlySoManyConnections() throws Exception {
        NativeClient client = newPartner(0);
        List<Socket> held = new ArrayList<>();
        try {
            // 16 kept-alive connections from one address, each having had an answer.
            for (int i = 0; i < 16; i++) {
                Socket socket = open("127.0.0.8", port);
                Map<String, String> headers = new LinkedHashMap<>(signed(client, "GET", "/v1/wallet?currency=INR", null));
                headers.put("Connection", "keep-alive");
                socket.getOutputStream().write(head("GET", "/v1/wallet?currency=INR", headers).getBytes(StandardCharsets.UTF_8));
                assertThat(new String(socket.getInputStream().readNBytes(12), StandardCharsets.US_ASCII)).isEqualTo("HTTP/1.1 200");
                held.add(socket);
            }
            // The 17th from the same address is closed without an answer...
            try (Socket over = open("127.0.0.8", port)) {
                String answer;
                try {
                    over.getOutputStream().write(head("GET", "/v1/wallet?currency=INR",
                            signed(client, "GET", "/v1/wallet?currency=INR", null)).getBytes(StandardCharsets.UTF_8));
                    answer = readToEnd(over.getInputStream());
                } catch (IOException reset) {
                    answer = "";
                }
                assertThat(status(answer)).as(answer).isEqualTo(-1);
            }
            // ...while another address is served.
            String other = exchange("127.0.0.9", port, "GET", "/v1/wallet?currency=INR",
                    signed(client, "GET", "/v1/wallet?currency=INR", null), null);
            assertThat(status(other)).as(other).isEqualTo(200);
        } finally {
            for (Socket socket : held) {
                socket.close();
            }
        }
    }

    @Test
    void aClosedConnectionNoLongerCountsAgainstItsAddress() throws Exception {
        NativeClient client = newPartner(0);
        // Three times the limit, one connection after another, each closed after its answer (some refused by Jetty
        // itself, an ambiguous path's 400): every one is served, none is left counted.
        for (int i = 0; i < 48; i++) {
            if (i % 3 == 0) {
                String refused = exchange("127.0.0.32", port, "GET", "/v1/%2e%2e/wallet", Map.of(), null);
                assertThat(status(refused)).as(refused).isEqualTo(400);
                continue;
            }
            String answer = exchange("127.0.0.32", port, "GET", "/v1/wallet?currency=INR",
                    signed(client, "GET", "/v1/wallet?currency=INR", null), null);
            assertThat(status(answer)).as("connection %d: %s", i, answer).isEqualTo(200);
        }
    }

    @Test
    void anEkoOrAppotaPayCallerWithWrongCredentialsIsRefusedBeforeItsBodyIsRead() throws Exception {
        // Every credential header present but wrong, the body announced and never sent: refused from the headers alone,
        // with the answer the dialect's authentication gives.
        String eko = exchange("127.0.0.7", port, "POST", "/ekoapi/v2/billpayments/paybill?initiator_id=9962981729",
                Map.of("Content-Type", "application/x-www-form-urlencoded", "Content-Length", "65536",
                        "developer_key", "no-such-key", "secret-key", "bm90LWEta2V5",
                        "secret-key-timestamp", Long.toString(System.currentTimeMillis())), null);
        assertThat(status(eko)).as(eko).isEqualTo(403);
        assertThat(eko).contains("Invalid developer_key or secret-key.");

        Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
        String token = b64.encodeToString("{\"alg\":\"HS256\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8)) + "."
                + b64.encodeToString(("{\"api_key\":\"no-such-key\",\"iss\":\"X\",\"exp\":"
                        + (System.currentTimeMillis() / 1000 + 600) + "}").getBytes(StandardCharsets.UTF_8)) + "."
                + b64.encodeToString("not-a-signature".getBytes(StandardCharsets.UTF_8));
        String appota = exchange("127.0.0.7", port, "POST", "/api/v1/service/bill/pay",
                Map.of("Content-Type", "application/json", "Content-Length", "65536", "X-APPOTAPAY-AUTH", token), null);
        assertThat(status(appota)).as(appota).isNotEqualTo(200).isNotEqualTo(400);
        assertThat(appota).contains("The token signature does not match.");
    }

    @Test
    void onlyHalfTheRequestThreadsMayReadABodyAtOnce() throws Exception {
        NativeClient attacker = newPartner(0);
        NativeClient honest = newPartner(100_000);
        // 32 bodies sent just above the minimum rate from two addresses (16 each, the per-address limit here), for 20
        // body readers (half of 40 threads): those past the readers are answered BUSY at once, without their body.
        try (SlowSenders senders = new SlowSenders()) {
            senders.open("127.0.0.11", port, 16, () -> slowRechargeHead(attacker))
                    .open("127.0.0.12", port, 16, () -> slowRechargeHead(attacker));

            assertThat(honest.get("/v1/wallet?currency=INR").status()).isEqualTo(200);
            Http payment = honest.post(RECHARGE, """
                    {"operatorId":"airtel-prepaid","accountNumber":"9876543210","amountMinor":1000,"currency":"INR"}""",
                    "readers-" + System.nanoTime());
            // Answered: paid, or BUSY while every reader is taken.
            assertThat(payment.status()).as(payment.body()).isIn(200, 503);
            if (payment.status() == 503) {
                assertThat(payment.errorCode()).isEqualTo("BUSY");
            }

            int busy = 0;
            for (Socket sender : senders.sockets()) {
                String answer = readToEnd(sender.getInputStream());
                if (status(answer) == 503) {
                    assertThat(answer).contains("BUSY").containsIgnoringCase("Retry-After: 1");
                    busy++;
                }
            }
            assertThat(busy).as("senders answered BUSY").isPositive();
        }
    }
}
