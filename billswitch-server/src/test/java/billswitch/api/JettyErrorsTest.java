package billswitch.api;

import static org.assertj.core.api.Assertions.assertThat;

import billswitch.support.IntegrationTest;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Requests Jetty refuses itself, before any servlet, sent over a raw socket (an HTTP client would fix or refuse
 * these URIs): the answer is the native JSON error, not Jetty's HTML page.
 */
class JettyErrorsTest extends IntegrationTest {

    private String exchange(String target) throws IOException {
        try (Socket socket = new Socket("localhost", port)) {
            OutputStream out = socket.getOutputStream();
            out.write(("GET " + target + " HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            return new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void ambiguousAndBadlyEncodedUrisAnswerTheNativeJsonError() throws IOException {
        for (String target : new String[]{"/v1/wallet/..%2F..%2Fadmin", "/v1/wallet/%2e%2e/admin", "/v1/wal%zzlet",
                "/ekoapi/v1/transactions/a%2Fb"}) {
            String answer = exchange(target);
            String head = answer.substring(0, answer.indexOf("\r\n\r\n")).toLowerCase();
            JsonNode body = JsonMapper.builder().build().readTree(answer.substring(answer.indexOf("\r\n\r\n") + 4));

            assertThat(head).as(target).startsWith("http/1.1 400 ").contains("content-type: application/json");
            assertThat(body.get("error").get("code").stringValue()).as(target).isEqualTo("INVALID_REQUEST");
            assertThat(body.get("error").get("message").stringValue()).as(target).isNotBlank();
        }
    }
}
