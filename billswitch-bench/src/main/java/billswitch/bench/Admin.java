package billswitch.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A BillSwitch's admin API as the benchmark uses it: partners with funded wallets, connectors and routes, the
 * ledger check, heap samples, GC pauses. A call the server refuses (HTTP 4xx or 5xx) fails with its answer.
 */
record Admin(HttpClient http, String baseUrl) {
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final long FUNDING_MINOR = 100_000_000_000L;

    private JsonNode call(String method, String path, String body) {
        HttpResponse<String> r;
        try {
            HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(baseUrl + path)).timeout(Duration.ofMinutes(10))
                    .header("Authorization", "Bearer demo-admin");
            b = body == null ? b.method(method, HttpRequest.BodyPublishers.noBody())
                    : b.header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofString(body));
            r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
        } catch (Exception e) {
            throw new IllegalStateException("admin call " + method + " " + path + " failed", e);
        }
        if (r.statusCode() >= 400) {
            throw new IllegalStateException("admin call " + method + " " + path + " answered HTTP " + r.statusCode()
                    + ": " + r.body());
        }
        return JSON.readTree(r.body());
    }

    Workload.Partner partner(String id) {
        JsonNode created = call("POST", "/admin/partners", "{\"id\":\"" + id + "\",\"name\":\"" + id + "\"}");
        topUp(id, "bench-funding");
        return new Workload.Partner(id, created.get("credentials").get("apiKey").stringValue(),
                created.get("credentials").get("apiSecret").stringValue());
    }

    void topUp(String id, String reference) {
        call("POST", "/admin/partners/" + id + "/wallets/INR/top-ups",
                "{\"amountMinor\":" + FUNDING_MINOR + ",\"reference\":\"" + reference + "\"}");
    }

    /**
     * A connector of type billswitch to another BillSwitch at {@code baseUrl}, as {@code partner} there; at most
     * {@code maxInFlight} requests at once, each given {@code readMs} to be answered.
     */
    void billswitchConnector(String name, String baseUrl, Workload.Partner partner, int connectMs, int readMs,
                             int maxInFlight) {
        call("POST", "/admin/connectors", "{\"name\":\"" + name + "\",\"type\":\"billswitch\",\"baseUrl\":\"" + baseUrl
                + "\",\"credentials\":{\"apiKey\":\"" + partner.apiKey() + "\",\"secret\":\"" + partner.secret()
                + "\"},\"timeouts\":{\"connectMs\":" + connectMs + ",\"readMs\":" + readMs + "},\"maxInFlight\":"
                + maxInFlight + "}");
    }

    /** Routes {@code operatorId} to {@code connector} alone, as {@code upstreamCode} there. */
    void route(String operatorId, String connector, String upstreamCode) {
        call("PUT", "/admin/operators/" + operatorId + "/routes",
                "[{\"connector\":\"" + connector + "\",\"upstreamCode\":\"" + upstreamCode + "\",\"priority\":1}]");
    }

    boolean verify() {
        return call("GET", "/admin/ledger/verify", null).get("ok").booleanValue();
    }

    long heapUsed() {
        try {
            return call("GET", "/admin/runtime", null).get("heapUsedBytes").longValue();
        } catch (RuntimeException e) {
            return 0;
        }
    }

    Bench.GcPauses gcPauses() {
        JsonNode runtime = call("GET", "/admin/runtime", null);
        return new Bench.GcPauses(runtime.get("gcPauses").longValue(), runtime.get("gcPauseMillis").longValue());
    }
}
