package billswitch.bench;

import billswitch.shared.Hmac;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;

/** A stream of signed requests a benchmark client sends, each a payment or a status enquiry. */
interface Workload {

    /**
     * The next request; {@code payment} says whether it moves money (counted in payments/s), and
     * {@code success} the text a successful answer's body contains (dialects answer refusals with 200 too).
     */
    record Call(HttpRequest request, boolean payment, String success) {
    }

    Call next(int client);

    Duration TIMEOUT = Duration.ofSeconds(120);

    /** A native-API partner: key id and secret. */
    record Partner(String id, String apiKey, String secret) {
    }

    /**
     * Native recharges of the instant sandbox operator; payment n belongs to partner n mod partners, so a
     * status enquiry asks the partner that owns the reference. Every request is distinct (its own number,
     * its own enquiry), so no two carry the same signature: the server would refuse the second as a replay.
     */
    static Workload nativeRecharges(String baseUrl, List<Partner> partners, String runId, double statusShare) {
        AtomicLong seq = new AtomicLong();
        AtomicLong asked = new AtomicLong();
        return client -> {
            ThreadLocalRandom random = ThreadLocalRandom.current();
            long paid = seq.get();
            if (statusShare > 0 && random.nextDouble() < statusShare && paid > 1_000 && asked.get() < paid - 500) {
                long earlier = asked.incrementAndGet();
                Partner owner = partners.get((int) (earlier % partners.size()));
                String path = "/v1/transactions?reference=" + runId + "-" + earlier;
                return new Call(nativeRequest(baseUrl, owner, "GET", path, ""), false, "\"status\"");
            }
            long n = seq.incrementAndGet();
            Partner p = partners.get((int) (n % partners.size()));
            // 9, eight digits of n, and a last digit the sandbox pays (8 declines, 9 leaves unanswered).
            String account = "9" + String.format("%08d", n % 100_000_000) + random.nextInt(8);
            String body = "{\"operatorId\":\"airtel-prepaid\",\"accountNumber\":\"" + account
                    + "\",\"amountMinor\":" + (1_000 + random.nextInt(4_000)) + ",\"currency\":\"INR\"}";
            HttpRequest r = nativeRequestBuilder(baseUrl, p, "POST", "/v1/recharges", body)
                    .header("Idempotency-Key", runId + "-" + n).build();
            return new Call(r, true, "\"status\":\"SUCCESS\"");
        };
    }

    private static HttpRequest nativeRequest(String baseUrl, Partner p, String method, String path, String body) {
        return nativeRequestBuilder(baseUrl, p, method, path, body).build();
    }

    private static HttpRequest.Builder nativeRequestBuilder(String baseUrl, Partner p, String method, String path, String body) {
        String ts = Long.toString(System.currentTimeMillis());
        String sig = Hmac.sha256Base64(p.secret(), ts + "\n" + method + "\n" + path + "\n" + body);
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(baseUrl + path)).timeout(TIMEOUT)
                .header("X-Api-Key", p.apiKey()).header("X-Timestamp", ts).header("X-Signature", sig);
        if (body.isEmpty()) {
            return b.GET();
        }
        return b.header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body));
    }

    /** Eko v2 paybill (urlencoded, with request_hash) for an Airtel prepaid number, as the demo partner. */
    /** The calls of several workloads in turn (the warm-up: every path the scenarios take gets compiled). */
    static Workload rotating(List<Workload> workloads) {
        AtomicLong turn = new AtomicLong();
        return client -> workloads.get((int) (turn.getAndIncrement() % workloads.size())).next(client);
    }

    static Workload ekoPayments(String baseUrl, String runId) {
        String accessKey = "d2fe1d99-6298-4af2-8cc5-d97dcf46df30";
        byte[] key = Base64.getEncoder().encodeToString(accessKey.getBytes(StandardCharsets.UTF_8)).getBytes(StandardCharsets.US_ASCII);
        AtomicLong seq = new AtomicLong();
        return client -> {
            ThreadLocalRandom random = ThreadLocalRandom.current();
            String ts = Long.toString(System.currentTimeMillis());
            String account = "987654321" + random.nextInt(8);
            String amount = Integer.toString(10 + random.nextInt(40));
            String ref = runId + String.format("%08d", seq.incrementAndGet());
            String form = "user_code=20810200&client_ref_id=" + ref + "&utility_acc_no=" + account
                    + "&confirmation_mobile_no=9876543210&sender_name=Bench&operator_id=400&source_ip=127.0.0.1"
                    + "&latlong=28.6,77.2&amount=" + amount;
            HttpRequest r = HttpRequest.newBuilder(URI.create(baseUrl + "/ekoapi/v2/billpayments/paybill?initiator_id=9962981729"))
                    .timeout(TIMEOUT)
                    .header("developer_key", "becbbce45f79c6f5109f848acd540567")
                    .header("secret-key", b64(Hmac.sha256(key, ts.getBytes(StandardCharsets.UTF_8))))
                    .header("secret-key-timestamp", ts)
                    .header("request_hash", b64(Hmac.sha256(key, (ts + account + amount + "20810200").getBytes(StandardCharsets.UTF_8))))
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(HttpRequest.BodyPublishers.ofString(form)).build();
            return new Call(r, true, "\"tx_status\":0");
        };
    }

    /** AOPay V2 recharges signed with X-AOPay-Signature, as the demo partner. */
    static Workload aopayRecharges(String baseUrl, String runId) {
        AtomicLong seq = new AtomicLong();
        return client -> {
            ThreadLocalRandom random = ThreadLocalRandom.current();
            String body = "{\"RegistrationID\":\"AOP-554\",\"ProductID\":518,\"Amount\":" + (10 + random.nextInt(40))
                    + ",\"Geocode\":\"23.6784,76.8764\",\"CustomerNumber\":987654321" + random.nextInt(8)
                    + ",\"ReferenceID\":\"" + runId + "-" + seq.incrementAndGet() + "\"}";
            HttpRequest r = HttpRequest.newBuilder(URI.create(baseUrl + "/api/AOP/V2/MobileRecharge")).timeout(TIMEOUT)
                    .header("Content-Type", "application/json")
                    .header("X-AOPay-Signature", Hmac.sha256Base64("demo-aopay-secret", body))
                    .POST(HttpRequest.BodyPublishers.ofString(body)).build();
            return new Call(r, true, "\"status\":\"SUCCESS\"");
        };
    }

    private static String b64(byte[] bytes) {
        return Base64.getEncoder().encodeToString(bytes);
    }
}
