package billswitch.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The load generator's client against a scripted server: what it sends, and every body framing it reads. */
class Http1ClientTest {

    /** Answers each request on a connection with the next scripted response; records what it read. */
    private static final class ScriptedServer implements AutoCloseable {
        final ServerSocket socket = new ServerSocket(0);
        final List<String> requests = new CopyOnWriteArrayList<>();
        final AtomicInteger connections = new AtomicInteger();

        ScriptedServer(List<String> responses) throws IOException {
            Thread.ofVirtual().start(() -> {
                AtomicInteger next = new AtomicInteger();
                while (!socket.isClosed()) {
                    try {
                        Socket s = socket.accept();
                        connections.incrementAndGet();
                        Thread.ofVirtual().start(() -> serve(s, responses, next));
                    } catch (IOException e) {
                        return;
                    }
                }
            });
        }

        private void serve(Socket s, List<String> responses, AtomicInteger next) {
            try (s; BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8));
                 OutputStream out = s.getOutputStream()) {
                while (true) {
                    StringBuilder request = new StringBuilder();
                    int length = 0;
                    for (String line = in.readLine(); line != null && !line.isEmpty(); line = in.readLine()) {
                        request.append(line).append('\n');
                        if (line.toLowerCase().startsWith("content-length:")) {
                            length = Integer.parseInt(line.substring(15).trim());
                        }
                    }
                    if (request.isEmpty()) {
                        return;
                    }
                    char[] body = new char[length];
                    for (int got = 0; got < length; ) {
                        got += in.read(body, got, length - got);
                    }
                    requests.add(request + "\n" + new String(body));
                    String response = responses.get(next.getAndIncrement());
                    out.write(response.getBytes(StandardCharsets.UTF_8));
                    out.flush();
                    if (response.contains("Connection: close")) {
                        return;
                    }
                }
            } catch (IOException e) {
                // the client went away
            }
        }

        String baseUrl() {
            return "http://127.0.0.1:" + socket.getLocalPort();
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }

    private static Http1Client.Request post(String body) {
        return new Http1Client.Request("POST", "/v1/recharges?x=1", new String[] {"X-Api-Key", "k1", "Content-Type",
            "application/json"}, body.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void sendsMethodPathHeadersAndBodyAndReadsLengthChunkedAndClosedBodiesReusingTheConnection() throws Exception {
        try (ScriptedServer server = new ScriptedServer(List.of(
                "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 13\r\n\r\n{\"status\":1}\n",
                "HTTP/1.1 202 Accepted\r\nTransfer-Encoding: chunked\r\n\r\n5\r\n{\"a\":\r\n3;ext=1\r\n\"b\"\r\n1\r\n}\r\n0\r\n\r\n",
                "HTTP/1.1 401 Unauthorized\r\nConnection: close\r\n\r\nno body length"));
             Http1Client client = new Http1Client(server.baseUrl())) {
            Http1Client.Response first = client.send(post("{\"n\":1}"));
            Http1Client.Response second = client.send(post("{\"n\":2}"));
            Http1Client.Response third = client.send(new Http1Client.Request("GET", "/v1/transactions?reference=r",
                    new String[] {"X-Api-Key", "k1"}, new byte[0]));

            assertThat(first.status()).isEqualTo(200);
            assertThat(first.body()).isEqualTo("{\"status\":1}\n");
            assertThat(second.status()).isEqualTo(202);
            assertThat(second.body()).isEqualTo("{\"a\":\"b\"}");
            assertThat(third.status()).isEqualTo(401);
            assertThat(third.body()).isEqualTo("no body length");
            // One keep-alive connection carried all three.
            assertThat(server.connections.get()).isEqualTo(1);
            assertThat(server.requests.get(0)).startsWith("POST /v1/recharges?x=1 HTTP/1.1\n")
                    .contains("X-Api-Key: k1\n", "Content-Type: application/json\n", "Content-Length: 7\n")
                    .endsWith("\n\n{\"n\":1}");
            assertThat(server.requests.get(2)).startsWith("GET /v1/transactions?reference=r HTTP/1.1\n")
                    .doesNotContain("Content-Length");
        }
    }

    @Test
    void aConnectionTheServerClosedIsNotReused() throws Exception {
        try (ScriptedServer server = new ScriptedServer(List.of(
                "HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok",
                "HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nagain"));
             Http1Client client = new Http1Client(server.baseUrl())) {
            assertThat(client.send(post("1")).body()).isEqualTo("ok");
            assertThat(client.send(post("2")).body()).isEqualTo("again");
            assertThat(server.connections.get()).isEqualTo(2);
        }
    }
}
