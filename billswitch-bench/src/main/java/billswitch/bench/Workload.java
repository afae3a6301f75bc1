package billswitch.bench;

import java.nio.charset.StandardCharsets;
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
    record Call(Http1Client.Request request, boolean payment, String success) {
    }

    Call next(int client);

    /** A native-API partner: key id and secret. */
    record Partner(String id, String apiKey, String secret) {
    }

    /**
     * Native recharges of the instant sandbox operator; payment n belongs to partner n mod partners, so a
     * status enquiry asks the partner that owns the reference. Every request is distinct (its own number,
     * its own enquiry), so no two carry the same signature: the server would refuse the second as a replay.
     */
    static Workload nativeRecharges(List<Partner> partners, String runId, double statusShare) {
        return nativeRecharges("airtel-prepaid", partners, runId, statusShare);
    }

    /**
     * The same, of the mobile prepaid operator {@code operatorId}: its account numbers are distinct too, so that a
     * switch that passes them on to an upstream BillSwitch signs no two of its requests alike either.
     */
    static Workload nativeRecharges(String operatorId, List<Partner> partners, String runId, double statusShare) {
        AtomicLong seq = new AtomicLong();
        AtomicLong asked = new AtomicLong();
        return client -> {
            ThreadLocalRandom random = ThreadLocalRandom.current();
            long paid = seq.get();
            if (statusShare > 0 && random.nextDouble() < statusShare && paid > 1_000 && asked.get() < paid - 500) {
                long earlier = asked.incrementAndGet();
                Partner owner = partners.get((int) (earlier % partners.size()));
                String path = "/v1/transactions?reference=" + runId + "-" + earlier;
                return new Call(nativeRequest(owner, "GET", path, "", null), false, "\"status\"");
            }
            long n = seq.incrementAndGet();
            Partner p = partners.get((int) (n % partners.size()));
            // 9, eight digits of n, and a last digit the sandbox pays (8 declines, 9 leaves unanswered).
            String account = "9" + String.format("%08d", n % 100_000_000) + random.nextInt(8);
            String body = "{\"operatorId\":\"" + operatorId + "\",\"accountNumber\":\"" + account
                    + "\",\"amountMinor\":" + (1_000 + random.nextInt(4_000)) + ",\"currency\":\"INR\"}";
            return new Call(nativeRequest(p, "POST", "/v1/recharges", body, runId + "-" + n), true,
                    "\"status\":\"SUCCESS\"");
        };
    }

    /**
     * A native request signed with version 2 (X-Signature-Version: 2; the signature covers the Content-Type and
     * Idempotency-Key headers); a body makes it a JSON POST, with the Idempotency-Key if one is given.
     */
    private static Http1Client.Request nativeRequest(Partner p, String method, String path, String body,
                                                     String idempotencyKey) {
        String ts = Long.toString(System.currentTimeMillis());
        String contentType = body.isEmpty() ? "" : "application/json";
        String key = body.isEmpty() || idempotencyKey == null ? "" : idempotencyKey;
        String sig = Signing.hmacBase64(p.secret(), "v2\n" + ts + "\n" + method + "\n" + path + "\n" + contentType + "\n"
                + key + "\n" + body);
        String[] auth = {"X-Api-Key", p.apiKey(), "X-Timestamp", ts, "X-Signature-Version", "2", "X-Signature", sig};
        if (body.isEmpty()) {
            return new Http1Client.Request(method, path, auth, new byte[0]);
        }
        String[] headers = idempotencyKey == null
                ? new String[] {auth[0], auth[1], auth[2], auth[3], auth[4], auth[5], auth[6], auth[7],
                        "Content-Type", contentType}
                : new String[] {auth[0], auth[1], auth[2], auth[3], auth[4], auth[5], auth[6], auth[7],
                        "Content-Type", contentType, "Idempotency-Key", idempotencyKey};
        return new Http1Client.Request(method, path, headers, body.getBytes(StandardCharsets.UTF_8));
    }

    /** The calls of several workloads in turn (the warm-up: every path the scenarios take gets compiled). */
    static Workload rotating(List<Workload> workloads) {
        AtomicLong turn = new AtomicLong();
        return client -> workloads.get((int) (turn.getAndIncrement() % workloads.size())).next(client);
    }

    /** Eko v2 paybill (urlencoded, with request_hash) for an Airtel prepaid number, as the demo partner. */
    static Workload ekoPayments(String runId) {
        String accessKey = "d2fe1d99-6298-4af2-8cc5-d97dcf46df30";
        byte[] key = Base64.getEncoder().encodeToString(accessKey.getBytes(StandardCharsets.UTF_8)).getBytes(StandardCharsets.US_ASCII);
        AtomicLong seq = new AtomicLong();
        // A timestamp of its own per payment: BillSwitch pays a (secret-key-timestamp, request_hash) pair once, and
        // two payments of one account and amount in one millisecond share it.
        AtomicLong lastTs = new AtomicLong();
        return client -> {
            ThreadLocalRandom random = ThreadLocalRandom.current();
            long now = System.currentTimeMillis();
            String ts = Long.toString(lastTs.updateAndGet(last -> Math.max(last + 1, now)));
            String account = "987654321" + random.nextInt(8);
            String amount = Integer.toString(10 + random.nextInt(40));
            String ref = runId + String.format("%08d", seq.incrementAndGet());
            String form = "user_code=20810200&client_ref_id=" + ref + "&utility_acc_no=" + account
                    + "&confirmation_mobile_no=9876543210&sender_name=Bench&operator_id=400&source_ip=127.0.0.1"
                    + "&latlong=28.6,77.2&amount=" + amount;
            Http1Client.Request r = new Http1Client.Request("POST", "/ekoapi/v2/billpayments/paybill?initiator_id=9962981729",
                    new String[] {"developer_key", "becbbce45f79c6f5109f848acd540567",
                        "secret-key", b64(Signing.hmac(key, ts.getBytes(StandardCharsets.UTF_8))),
                        "secret-key-timestamp", ts,
                        "request_hash", b64(Signing.hmac(key, (ts + account + amount + "20810200").getBytes(StandardCharsets.UTF_8))),
                        "Content-Type", "application/x-www-form-urlencoded"},
                    form.getBytes(StandardCharsets.UTF_8));
            return new Call(r, true, "\"tx_status\":0");
        };
    }

    /** AOPay V2 recharges signed with X-AOPay-Signature, as the demo partner. */
    static Workload aopayRecharges(String runId) {
        AtomicLong seq = new AtomicLong();
        return client -> {
            ThreadLocalRandom random = ThreadLocalRandom.current();
            String body = "{\"RegistrationID\":\"AOP-554\",\"ProductID\":518,\"Amount\":" + (10 + random.nextInt(40))
                    + ",\"Geocode\":\"23.6784,76.8764\",\"CustomerNumber\":987654321" + random.nextInt(8)
                    + ",\"ReferenceID\":\"" + runId + "-" + seq.incrementAndGet() + "\"}";
            Http1Client.Request r = new Http1Client.Request("POST", "/api/AOP/V2/MobileRecharge",
                    new String[] {"Content-Type", "application/json",
                        "X-AOPay-Signature", Signing.hmacBase64("demo-aopay-secret", body)},
                    body.getBytes(StandardCharsets.UTF_8));
            return new Call(r, true, "\"status\":\"SUCCESS\"");
        };
    }

    private static String b64(byte[] bytes) {
        return Base64.getEncoder().encodeToString(bytes);
    }
}
