package billswitch.infra.http;

import billswitch.support.IntegrationTest;
import billswitch.support.NativeClient;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.TestPropertySource;

/**
 * The real server as seen from outside: on a cloud platform (Spring Boot then trusts forwarded headers by itself),
 * with one trusted proxy (127.0.0.3) and a trusted block, the admin API on a port of its own, short read deadlines and
 * few connections per address, and fewer request threads so that held threads show. The tests of this package share
 * this one context.
 */
@TestPropertySource(properties = {
        "spring.main.cloud-platform=kubernetes",
        "billswitch.proxy.trusted-proxies=127.0.0.3,10.0.0.0/8",
        "billswitch.admin.port=0",
        "billswitch.http.header-timeout=2s",
        "billswitch.http.body-idle-timeout=2s",
        "billswitch.http.body-timeout=5s",
        "billswitch.http.max-connections-per-address=16",
        "server.jetty.threads.max=40"})
abstract class EdgeServer extends IntegrationTest {
    static final String SPOOFER = "127.0.0.2";
    static final String PROXY = "127.0.0.3";

    @Autowired
    AdminConnector adminConnector;

    private static final AtomicLong LAST_MILLIS = new AtomicLong();

    /** Signed native headers for a request with this body (null: none), a fresh timestamp each time. */
    static Map<String, String> signed(NativeClient client, String method, String target, String body) {
        String timestamp = Long.toString(LAST_MILLIS.updateAndGet(last -> Math.max(last + 1, System.currentTimeMillis())));
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("X-Api-Key", client.keyId);
        headers.put("X-Timestamp", timestamp);
        headers.put("X-Signature", client.sign(timestamp, method, target, body == null ? "" : body));
        return headers;
    }
}
