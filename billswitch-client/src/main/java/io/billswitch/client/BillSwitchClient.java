package io.billswitch.client;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A partner's client for BillSwitch's native API v1. Every call is signed (version 2); a payment carries an
 * Idempotency-Key, a new UUID per call unless given, and every attempt of that call carries the same key, so a
 * retry never pays twice. Retried, up to {@code maxAttempts} in all: connection failures and timeouts (for a
 * payment or a read; a bill fetch only when it could not connect), and the answers BUSY, DATABASE_UNAVAILABLE
 * (503), RATE_LIMITED (429) and REQUEST_IN_PROGRESS (409), after their Retry-After or a growing pause. Other errors
 * are thrown at once as {@link BillSwitchApiException}; no answer at all as {@link BillSwitchTransportException}.
 * Thread-safe; build one per partner key and reuse it.
 *
 * <pre>{@code
 * BillSwitchClient client = BillSwitchClient.builder().baseUrl("http://localhost:8080")
 *         .apiKey("demo-key").secret("demo-secret").build();
 * Payment p = client.recharge(Recharge.of("airtel-prepaid", "9876543210", 19900, "INR"));
 * }</pre>
 */
public final class BillSwitchClient {
    private static final String JSON = "application/json";
    private static final AtomicLong LAST_MILLIS = new AtomicLong();

    private final String baseUrl;
    private final String apiKey;
    private final Signer signer;
    private final HttpClient http;
    private final Duration requestTimeout;
    private final int maxAttempts;
    private final Duration initialBackoff;
    private final Duration maxBackoff;
    private final Supplier<String> idempotencyKeys;
    private final JsonMapper json = JsonMapper.builder()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .changeDefaultPropertyInclusion(i -> i.withValueInclusion(JsonInclude.Include.NON_NULL))
            .build();

    private BillSwitchClient(Builder b) {
        this.baseUrl = b.baseUrl.endsWith("/") ? b.baseUrl.substring(0, b.baseUrl.length() - 1) : b.baseUrl;
        this.apiKey = b.apiKey;
        this.signer = new Signer(b.secret);
        this.http = b.httpClient != null ? b.httpClient
                : HttpClient.newBuilder().connectTimeout(b.connectTimeout).version(HttpClient.Version.HTTP_1_1).build();
        this.requestTimeout = b.requestTimeout;
        this.maxAttempts = b.maxAttempts;
        this.initialBackoff = b.initialBackoff;
        this.maxBackoff = b.maxBackoff;
        this.idempotencyKeys = b.idempotencyKeys;
    }

    public static Builder builder() {
        return new Builder();
    }

    // ---------------------------------------------------------------- catalog

    public List<Category> categories() {
        return get("/v1/categories", CategoryList.class).categories();
    }

    public List<Operator> operators() {
        return operators(null, null, null);
    }

    /** The operators, filtered by any of category, location and country (null: no filter). */
    public List<Operator> operators(String category, String location, String country) {
        return get("/v1/operators" + query("category", category, "location", location, "country", country),
                OperatorList.class).operators();
    }

    public OperatorDetail operator(String operatorId) {
        return get("/v1/operators/" + segment(operatorId), OperatorDetail.class);
    }

    // ---------------------------------------------------------------- payments

    /** Fetches the bill due on an account; the answer's {@code bill} says how much, its {@code id} is the billFetchId. */
    public Payment fetchBill(BillFetch fetch) {
        return send("POST", "/v1/bills/fetch", fetch, null, Payment.class);
    }

    /** Pays a bill under a new Idempotency-Key. */
    public Payment payBill(BillPayment payment) {
        return payBill(payment, idempotencyKeys.get());
    }

    /** Pays a bill under the given Idempotency-Key (1-64 of A-Z a-z 0-9 . _ : -): the same key answers the same payment. */
    public Payment payBill(BillPayment payment, String idempotencyKey) {
        return send("POST", "/v1/bills/pay", payment, Objects.requireNonNull(idempotencyKey), Payment.class);
    }

    /** Recharges under a new Idempotency-Key. */
    public Payment recharge(Recharge recharge) {
        return recharge(recharge, idempotencyKeys.get());
    }

    /** Recharges under the given Idempotency-Key: the same key answers the same payment. */
    public Payment recharge(Recharge recharge, String idempotencyKey) {
        return send("POST", "/v1/recharges", recharge, Objects.requireNonNull(idempotencyKey), Payment.class);
    }

    /** A transaction by BillSwitch's id. */
    public Payment transaction(String id) {
        return get("/v1/transactions/" + segment(id), Payment.class);
    }

    /** A transaction by its reference: the Idempotency-Key of a payment, the reference of a fetch. */
    public Payment transactionByReference(String reference) {
        return get("/v1/transactions" + query("reference", reference), Payment.class);
    }

    // ---------------------------------------------------------------- wallet

    /** Every currency's wallet. */
    public List<Wallet> wallets() {
        return get("/v1/wallet", WalletList.class).wallets();
    }

    public Wallet wallet(String currency) {
        return get("/v1/wallet" + query("currency", currency), WalletList.class).wallets().get(0);
    }

    /** The newest 50 statement entries. */
    public Statement statement(String currency) {
        return statement(currency, 50, null);
    }

    /** A page of at most {@code limit} (1-200) entries older than {@code before} (null: the newest). */
    public Statement statement(String currency, int limit, String before) {
        return get("/v1/wallet/statement" + query("currency", currency, "limit", Integer.toString(limit), "before", before),
                Statement.class);
    }

    record CategoryList(List<Category> categories) {
    }

    record OperatorList(List<Operator> operators) {
    }

    record WalletList(String partnerId, List<Wallet> wallets) {
    }

    // ---------------------------------------------------------------- the wire

    private <T> T get(String pathWithQuery, Class<T> type) {
        return send("GET", pathWithQuery, null, null, type);
    }

    private <T> T send(String method, String pathWithQuery, Object body, String idempotencyKey, Class<T> type) {
        byte[] bytes = body == null ? new byte[0] : json.writeValueAsBytes(body);
        // A read or a keyed payment may be sent again after a lost connection; a bill fetch only if it never left.
        boolean resendable = body == null || idempotencyKey != null;
        for (int attempt = 1; ; attempt++) {
            HttpResponse<byte[]> response;
            try {
                response = http.send(request(method, pathWithQuery, bytes, idempotencyKey), HttpResponse.BodyHandlers.ofByteArray());
            } catch (IOException e) {
                boolean neverSent = e instanceof ConnectException || e instanceof HttpConnectTimeoutException;
                if ((resendable || neverSent) && attempt < maxAttempts) {
                    pause(backoff(attempt));
                    continue;
                }
                throw new BillSwitchTransportException(method + " " + pathWithQuery + ": no answer after " + attempt
                        + " attempt(s)" + (idempotencyKey == null ? "" : "; call again with Idempotency-Key " + idempotencyKey),
                        idempotencyKey, e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new BillSwitchTransportException("interrupted", idempotencyKey, new IOException(e));
            }
            int status = response.statusCode();
            if (status >= 200 && status < 300) {
                try {
                    return json.readValue(response.body(), type);
                } catch (JacksonException e) {
                    throw new BillSwitchApiException(status, "UNEXPECTED_ANSWER", "The answer is not the JSON expected: "
                            + e.getOriginalMessage(), Map.of(), null);
                }
            }
            BillSwitchApiException error = error(response);
            if (error.retryable() && attempt < maxAttempts) {
                pause(delay(error, attempt));
                continue;
            }
            throw error;
        }
    }

    private HttpRequest request(String method, String pathWithQuery, byte[] body, String idempotencyKey) {
        String timestamp = Long.toString(uniqueMillis());
        String contentType = body.length == 0 ? null : JSON;
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(baseUrl + pathWithQuery))
                .timeout(requestTimeout)
                .header("Accept", JSON)
                .header("X-Api-Key", apiKey)
                .header("X-Timestamp", timestamp)
                .header("X-Signature-Version", "2")
                .header("X-Signature", signer.sign(timestamp, method, pathWithQuery, contentType, idempotencyKey, body))
                .method(method, body.length == 0 ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
        if (contentType != null) {
            request.header("Content-Type", contentType);
        }
        if (idempotencyKey != null) {
            request.header("Idempotency-Key", idempotencyKey);
        }
        return request.build();
    }

    private BillSwitchApiException error(HttpResponse<byte[]> response) {
        String retryAfter = response.headers().firstValue("Retry-After").orElse(null);
        try {
            JsonNode error = json.readTree(response.body()).get("error");
            if (error != null && error.hasNonNull("code")) {
                Map<String, String> fields = new java.util.LinkedHashMap<>();
                JsonNode f = error.get("fields");
                if (f != null && f.isObject()) {
                    for (Map.Entry<String, JsonNode> e : f.properties()) {
                        fields.put(e.getKey(), e.getValue().asString());
                    }
                }
                return new BillSwitchApiException(response.statusCode(), error.get("code").asString(),
                        error.hasNonNull("message") ? error.get("message").asString() : "", fields, retryAfter);
            }
        } catch (JacksonException e) {
            // not our JSON: a proxy's page, say
        }
        String text = new String(response.body(), StandardCharsets.UTF_8);
        return new BillSwitchApiException(response.statusCode(), "UNEXPECTED_ANSWER",
                "HTTP " + response.statusCode() + ": " + (text.length() > 200 ? text.substring(0, 200) + "..." : text),
                Map.of(), retryAfter);
    }

    /** Retry-After when the answer gives it (whole seconds, at most maxBackoff), else the growing pause. */
    private Duration delay(BillSwitchApiException error, int attempt) {
        if (error.retryAfter() != null) {
            try {
                Duration after = Duration.ofSeconds(Long.parseLong(error.retryAfter().trim()));
                return after.compareTo(maxBackoff) > 0 ? maxBackoff : after;
            } catch (NumberFormatException e) {
                // an HTTP date: use our own pause
            }
        }
        return backoff(attempt);
    }

    private Duration backoff(int attempt) {
        Duration d = initialBackoff.multipliedBy(1L << Math.min(attempt - 1, 20));
        return d.compareTo(maxBackoff) > 0 ? maxBackoff : d;
    }

    private static void pause(Duration d) {
        try {
            Thread.sleep(d);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BillSwitchTransportException("interrupted", null, new IOException(e));
        }
    }

    /** Strictly increasing timestamps: two identical calls in one millisecond are not one replayed request. */
    private static long uniqueMillis() {
        long now = System.currentTimeMillis();
        return LAST_MILLIS.updateAndGet(last -> Math.max(last + 1, now));
    }

    private static String query(String... pairs) {
        List<String> parts = new ArrayList<>();
        for (int i = 0; i < pairs.length; i += 2) {
            if (pairs[i + 1] != null) {
                parts.add(pairs[i] + "=" + URLEncoder.encode(pairs[i + 1], StandardCharsets.UTF_8));
            }
        }
        return parts.isEmpty() ? "" : "?" + String.join("&", parts);
    }

    private static String segment(String value) {
        return URLEncoder.encode(Objects.requireNonNull(value), StandardCharsets.UTF_8).replace("+", "%20");
    }

    /** Configuration: base URL, API key and secret are required; the rest has defaults. */
    public static final class Builder {
        private String baseUrl;
        private String apiKey;
        private String secret;
        private HttpClient httpClient;
        private Duration connectTimeout = Duration.ofSeconds(5);
        // longer than the server's own wait for a slow operator (60 s, then REQUEST_IN_PROGRESS)
        private Duration requestTimeout = Duration.ofSeconds(75);
        private int maxAttempts = 4;
        private Duration initialBackoff = Duration.ofMillis(250);
        private Duration maxBackoff = Duration.ofSeconds(5);
        private Supplier<String> idempotencyKeys = () -> UUID.randomUUID().toString();

        private Builder() {
        }

        /** e.g. {@code http://localhost:8080}: the partners' port. */
        public Builder baseUrl(String baseUrl) {
            this.baseUrl = baseUrl;
            return this;
        }

        public Builder apiKey(String apiKey) {
            this.apiKey = apiKey;
            return this;
        }

        public Builder secret(String secret) {
            this.secret = secret;
            return this;
        }

        /** An HttpClient of your own (proxy, TLS); its connect timeout then applies. */
        public Builder httpClient(HttpClient httpClient) {
            this.httpClient = httpClient;
            return this;
        }

        public Builder connectTimeout(Duration connectTimeout) {
            this.connectTimeout = connectTimeout;
            return this;
        }

        /** How long one attempt waits for its answer (default 75 s). */
        public Builder requestTimeout(Duration requestTimeout) {
            this.requestTimeout = requestTimeout;
            return this;
        }

        /** Attempts per call, the first included (default 4; 1 turns retries off). */
        public Builder maxAttempts(int maxAttempts) {
            if (maxAttempts < 1) {
                throw new IllegalArgumentException("maxAttempts must be at least 1");
            }
            this.maxAttempts = maxAttempts;
            return this;
        }

        /** The first pause between attempts, doubled each time up to {@code max} (which also caps Retry-After). */
        public Builder backoff(Duration initial, Duration max) {
            this.initialBackoff = initial;
            this.maxBackoff = max;
            return this;
        }

        /** Where new Idempotency-Keys come from (default: a random UUID per call). */
        public Builder idempotencyKeys(Supplier<String> idempotencyKeys) {
            this.idempotencyKeys = idempotencyKeys;
            return this;
        }

        public BillSwitchClient build() {
            Objects.requireNonNull(baseUrl, "baseUrl");
            Objects.requireNonNull(apiKey, "apiKey");
            Objects.requireNonNull(secret, "secret");
            return new BillSwitchClient(this);
        }
    }
}
