package billswitch.payment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import billswitch.catalog.Catalog;
import billswitch.catalog.Operator;
import billswitch.connector.spi.Outcome;
import billswitch.pricing.PaymentMode;
import billswitch.pricing.Price;
import billswitch.pricing.Pricing;
import billswitch.support.FaultInjectingConnector.Fault;
import billswitch.support.Http;
import billswitch.support.IntegrationTest;
import billswitch.support.NativeClient;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.context.annotation.Primary;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;

/**
 * Where every paisa of a payment goes, through the real server: the transfers of one payment, the same split
 * whichever way a payment settles (its first answer, the janitor, a reviewer), and a seeded random workload (many
 * partners, operators with various commission and fees, two upstream connectors with different costs, successes,
 * failures and unknowns settled later) whose books match a model computed here to the paisa, as does the margin
 * report. Operators whose id has "-fee" are priced with a partner fee (and its GST) by {@link FeePricing}, as a
 * pricing plan would: today's catalog rule charges none.
 */
@Import(MoneySplitTest.FeePricing.class)
class MoneySplitTest extends IntegrationTest {

    @Autowired
    JdbcClient jdbc;
    @Autowired
    Catalog catalog;
    @Autowired
    Janitor janitor;

    /** The plan fee for "-fee" operators: Rs 0.75 + 0.5% of the amount (half up); everything else as configured. */
    @TestConfiguration(proxyBeanMethods = false)
    static class FeePricing {
        @Bean
        @Primary
        Pricing feePricing() {
            return new Pricing(200, 1800) {
                @Override
                public Price price(String partnerId, Operator operator, long amountMinor, PaymentMode mode) {
                    Price base = super.price(partnerId, operator, amountMinor, mode);
                    if (!operator.id().contains("-fee")) {
                        return base;
                    }
                    long fee = planFee(amountMinor);
                    return new Price(base.ccfMinor(), fee, halfUp(fee, 1800), base.commissionMinor(), base.tdsMinor(), 7);
                }
            };
        }
    }

    static long halfUp(long minor, long bps) {
        return (minor * bps + 5_000) / 10_000;
    }

    static long planFee(long amountMinor) {
        return 75 + halfUp(amountMinor, 50);
    }

    /** An operator made for the test: its catalog terms and its one route's. */
    record Op(String id, String connector, long feeFlat, int feeBps, int commissionBps, long routeCost, int routeCommissionBps) {
        boolean fee() {
            return id.contains("-fee");
        }
    }

    /** What the model expects of one payment that succeeded. */
    record Expected(long amount, long ccf, long fee, long gst, long commission, long tds, long upstreamCommission,
                    long upstreamFee) {
        static Expected of(Op op, long amount) {
            long ccf = op.feeFlat() + amount * op.feeBps() / 10_000;
            long fee = op.fee() ? planFee(amount) : 0;
            long commission = amount * op.commissionBps() / 10_000;
            return new Expected(amount, ccf, fee, halfUp(fee, 1800), commission, halfUp(commission, 200),
                    halfUp(amount, op.routeCommissionBps()), op.routeCost());
        }

        long debit() {
            return amount + ccf + fee + gst;
        }

        /** What the upstream is owed: the amount it was sent (the CCF is ours). */
        long upstream() {
            return amount;
        }

        long revenue() {
            return fee + ccf + upstreamCommission - upstreamFee;
        }

        /** The margin report's figures of this payment, in its JSON order (reversals 0). */
        long[] report() {
            return new long[] {1, 0, upstream(), fee, ccf, upstreamCommission, upstreamFee, revenue(), commission, tds,
                    gst, revenue() - commission};
        }

        /** The transfers its settlement writes after posting the hold: code, from, to, amount (zero ones not written). */
        List<String> split(String connector) {
            List<String> out = new ArrayList<>();
            add(out, "COMMISSION COMMISSION WALLET", commission);
            add(out, "TDS WALLET TDS_PAYABLE", tds);
            add(out, "FEE SETTLEMENT REVENUE", fee);
            add(out, "GST SETTLEMENT GST_PAYABLE", gst);
            add(out, "CCF SETTLEMENT REVENUE", ccf);
            add(out, "UPSTREAM SETTLEMENT UPSTREAM:" + connector, upstream());
            add(out, "UPSTREAM_COMMISSION UPSTREAM:" + connector + " REVENUE", upstreamCommission);
            add(out, "UPSTREAM_FEE REVENUE UPSTREAM:" + connector, upstreamFee);
            return out;
        }

        private static void add(List<String> out, String what, long amount) {
            if (amount > 0) {
                out.add(what + " " + amount);
            }
        }
    }

    private Op operator(String suffix, String connector, long feeFlat, int feeBps, int commissionBps, long routeCost,
                        int routeCommissionBps) {
        String id = "ms-" + UUID.randomUUID().toString().substring(0, 6) + suffix;
        jdbc.sql("""
                insert into operators (id, name, category_id, location_id, kind, country, currency, fetch_option, exactness,
                    min_amount_minor, max_amount_minor, partial_payment, channels, connector, params, fee_flat_minor,
                    fee_bps, commission_bps)
                select :id, 'Money split ' || :id, category_id, location_id, kind, country, currency,
                    fetch_option, exactness, min_amount_minor, max_amount_minor, partial_payment, channels, :connector,
                    params, :feeFlat, :feeBps, :commissionBps
                from operators where id = 'airtel-prepaid'""")
                .param("id", id).param("connector", connector).param("feeFlat", feeFlat).param("feeBps", feeBps)
                .param("commissionBps", commissionBps).update();
        catalog.reload();
        faults.operator(); // the faulty connector's own operator, so its connector is known
        Http routes = admin().send("PUT", "/admin/operators/" + id + "/routes", """
                [{"connector":"%s","upstreamCode":"%s","priority":0,"cost":%d,"commissionBps":%d}]"""
                .formatted(connector, id, routeCost, routeCommissionBps));
        assertThat(routes.status()).as(routes.body()).isEqualTo(200);
        assertThat(routes.json().get(0).get("commissionBps").intValue()).isEqualTo(routeCommissionBps);
        return new Op(id, connector, feeFlat, feeBps, commissionBps, routeCost, routeCommissionBps);
    }

    private static String recharge(NativeClient client, Op op, String account, long amount, String reference) {
        Http answer = client.post("/v1/recharges", """
                {"operatorId":"%s","accountNumber":"%s","amountMinor":%d,"currency":"INR"}"""
                .formatted(op.id(), account, amount), reference);
        assertThat(answer.status()).as(answer.body()).isIn(200, 201, 202);
        return answer.text("id");
    }

    private List<String> splitOf(String orderId) {
        JsonNode order = admin().get("/admin/orders/" + orderId).json();
        List<String> out = new ArrayList<>();
        for (JsonNode t : order.get("transfers")) {
            if (t.get("kind").stringValue().equals("POSTED") && !t.get("code").stringValue().equals("PAYMENT")) {
                out.add(t.get("code").stringValue() + " " + side(t, "from") + " " + side(t, "to") + " "
                        + t.get("amountMinor").longValue());
            }
        }
        return out;
    }

    private static String side(JsonNode t, String side) {
        String kind = t.get(side).stringValue();
        return kind.equals("UPSTREAM") ? kind + ":" + t.get("connector").stringValue() : kind;
    }

    private String status(NativeClient client, String id) {
        return client.get("/v1/transactions/" + id).text("status");
    }

    private void makeDue(String orderId) {
        jdbc.sql("update orders set next_check_at = now() - interval '1 second' where id = :id")
                .param("id", Long.parseLong(orderId)).update();
    }

    private void runJanitor() {
        while (janitor.resolveDue() > 0) {
            // next batch
        }
    }

    @Test
    void aPaymentsTransfersShowWhereEveryPaisaWentAndEveryDialectCarriesTheFigures() {
        Op op = operator("-fee", "sandbox", 500, 0, 250, 300, 40);
        NativeClient client = newPartner(1_000_000);
        String id = recharge(client, op, "9876543210", 19_900, "ms-one");
        Expected e = Expected.of(op, 19_900);
        // Rs 199 with commission 2.5% (4.97), TDS 2% of it (0.10), ccf 5.00, fee 0.75 + 0.5% (1.75 rounded: 1.75), GST 18%
        assertThat(List.of(e.ccf(), e.fee(), e.gst(), e.commission(), e.tds())).containsExactly(500L, 175L, 32L, 497L, 10L);
        JsonNode order = admin().get("/admin/orders/" + id).json();
        assertThat(order.get("debitMinor").longValue()).isEqualTo(19_900 + 500 + 175 + 32);
        assertThat(order.get("planVersionId").longValue()).isEqualTo(7);
        assertThat(splitOf(id)).containsExactly("COMMISSION COMMISSION WALLET 497", "TDS WALLET TDS_PAYABLE 10",
                "FEE SETTLEMENT REVENUE 175", "GST SETTLEMENT GST_PAYABLE 32", "CCF SETTLEMENT REVENUE 500",
                "UPSTREAM SETTLEMENT UPSTREAM:sandbox 19900",
                "UPSTREAM_COMMISSION UPSTREAM:sandbox REVENUE 80", "UPSTREAM_FEE REVENUE UPSTREAM:sandbox 300");
        // per account kind: the settlement shard got the hold and gave all of it away; the wallet paid D - C + T
        Map<String, Long> net = new TreeMap<>();
        for (JsonNode t : order.get("transfers")) {
            long amount = t.get("amountMinor").longValue();
            String kind = t.get("kind").stringValue();
            if (kind.equals("PENDING") || kind.equals("VOID_PENDING")) {
                continue;
            }
            net.merge(t.get("from").stringValue(), -amount, Long::sum);
            net.merge(t.get("to").stringValue(), amount, Long::sum);
        }
        assertThat(net).containsEntry("SETTLEMENT", 0L).containsEntry("WALLET", -(e.debit() - 497 + 10))
                .containsEntry("REVENUE", 175L + 500 + 80 - 300).containsEntry("TDS_PAYABLE", 10L)
                .containsEntry("GST_PAYABLE", 32L).containsEntry("COMMISSION", -497L)
                .containsEntry("UPSTREAM", 19_900L - 80 + 300);
        assertThat(client.availableInr()).isEqualTo(1_000_000 - e.debit() + 497 - 10);
        JsonNode view = client.get("/v1/transactions/" + id).json();
        assertThat(List.of(view.get("feeMinor").longValue(), view.get("ccfMinor").longValue(), view.get("gstMinor").longValue(),
                view.get("commissionMinor").longValue(), view.get("tdsMinor").longValue()))
                .containsExactly(175L, 500L, 32L, 497L, 10L);
        assertThat(admin().get("/admin/ledger/verify").json().get("ok").booleanValue()).isTrue();
    }

    /**
     * The README's worked example ("How a payment's money is split"), figure for figure: a Rs 1,000.00 bill with the
     * biller's convenience fee of Rs 5.00 (ours: the upstream is sent the amount), the partner's plan fee (Rs 0.75 +
     * 0.5%: Rs 5.75) and its GST (18%: 1.035, half up 1.04), commission 0.45% (Rs 4.50) and its TDS (2%: 0.09); the upstream pays us 0.20% (Rs 2.00) and
     * charges us Rs 1.00 a payment.
     */
    @Test
    void theReadmesWorkedExample() {
        Op op = operator("-fee", "sandbox", 500, 0, 45, 100, 20);
        NativeClient client = newPartner(2_000_000);
        String id = recharge(client, op, "9876543210", 100_000, "ms-readme-" + UUID.randomUUID().toString().substring(0, 8));
        JsonNode order = admin().get("/admin/orders/" + id).json();
        assertThat(List.of(order.get("amountMinor").longValue(), order.get("ccfMinor").longValue(),
                order.get("feeMinor").longValue(), order.get("gstMinor").longValue(), order.get("debitMinor").longValue(),
                order.get("commissionMinor").longValue(), order.get("tdsMinor").longValue()))
                .containsExactly(100_000L, 500L, 575L, 104L, 101_179L, 450L, 9L);
        assertThat(splitOf(id)).containsExactly("COMMISSION COMMISSION WALLET 450", "TDS WALLET TDS_PAYABLE 9",
                "FEE SETTLEMENT REVENUE 575", "GST SETTLEMENT GST_PAYABLE 104", "CCF SETTLEMENT REVENUE 500",
                "UPSTREAM SETTLEMENT UPSTREAM:sandbox 100000", "UPSTREAM_COMMISSION UPSTREAM:sandbox REVENUE 200",
                "UPSTREAM_FEE REVENUE UPSTREAM:sandbox 100");
        // the partner's wallet paid Rs 1,011.79 and got Rs 4.41 back: Rs 1,007.38 in all
        assertThat(client.availableInr()).isEqualTo(2_000_000 - 100_738);
        JsonNode line = reportLine("partner", client.partnerId);
        // owed upstream 1,000.00 (net 1,000.00 - 2.00 + 1.00 = 999.00); revenue 5.75 + 5.00 + 2.00 - 1.00 = 11.75;
        // margin 11.75 - 4.50 = 7.25
        assertThat(figures(line)).containsExactly(1L, 0L, 100_000L, 575L, 500L, 200L, 100L, 1_175L, 450L, 9L, 104L, 725L);
        assertThat(net(id)).containsEntry("UPSTREAM:sandbox", 99_900L).containsEntry("REVENUE", 1_175L)
                .containsEntry("SETTLEMENT", 0L);
        assertThat(admin().get("/admin/ledger/verify").json().get("ok").booleanValue()).isTrue();
    }

    /**
     * A payment refunded through a complaint (each of its transfers mirrored by a REVERSAL) is taken off the margin
     * report in the period of its refund, figure by figure under the code of the transfer each REVERSAL mirrors: its
     * operator's line nets to zero with one payment and one reversal counted, and its partner's line is the partner's
     * other payment's figures alone.
     */
    @Test
    void aPaymentRefundedThroughAComplaintNetsToZeroInTheMarginReport() {
        Op refundedOp = operator("-fee", "sandbox", 500, 0, 250, 300, 40);
        Op keptOp = operator("-fee", "sandbox", 200, 0, 100, 50, 25);
        NativeClient client = newPartner(1_000_000);
        String refunded = recharge(client, refundedOp, "9876543210", 19_900, "ms-rev-1");
        recharge(client, keptOp, "9876543210", 10_000, "ms-rev-2");
        Http complaint = client.send("POST", "/v1/complaints", """
                {"transactionId":"%s","type":"NOT_CREDITED","description":"Paid, the operator shows nothing."}"""
                .formatted(refunded), Map.of("Content-Type", "application/json"));
        assertThat(complaint.status()).as(complaint.body()).isEqualTo(201);
        Http resolved = admin().post("/admin/complaints/" + complaint.text("id") + "/resolve",
                "{\"resolution\":\"Not credited by the operator: refunded.\",\"refund\":true}");
        assertThat(resolved.status()).as(resolved.body()).isEqualTo(200);
        assertThat(status(client, refunded)).isEqualTo("REFUNDED");
        Expected kept = Expected.of(keptOp, 10_000);
        assertThat(client.availableInr()).isEqualTo(1_000_000 - kept.debit() + kept.commission() - kept.tds());
        assertThat(net(refunded)).isNotEmpty().allSatisfy((account, minor) -> assertThat(minor).as(account).isZero());

        assertThat(figures(reportLine("operator", refundedOp.id())))
                .containsExactly(1L, 1L, 0L, 0L, 0L, 0L, 0L, 0L, 0L, 0L, 0L, 0L);
        long[] want = kept.report();
        want[0] = 2;
        want[1] = 1;
        assertThat(figures(reportLine("partner", client.partnerId)))
                .containsExactly(java.util.Arrays.stream(want).boxed().toArray(Long[]::new));
        assertThat(admin().get("/admin/ledger/verify").json().get("ok").booleanValue()).isTrue();
    }

    /**
     * A report's days are of the years 1 to 9999: a day beyond (which LocalDate reads, to +999999999, and PostgreSQL
     * does not) is 400 INVALID_REQUEST naming its field, never a 500; the first and last years answer.
     */
    @Test
    void aReportsDaysAreOfTheYears1To9999() {
        for (String query : List.of("from=%2B999999999-12-31", "to=%2B999999999-12-31", "from=-999999999-01-01",
                "from=0000-12-31&to=0001-01-01", "from=9999-12-31&to=%2B10000-01-01")) {
            Http bad = admin().get("/admin/reports/margins?" + query);
            assertThat(bad.status()).as(query + ": " + bad.body()).isEqualTo(400);
            assertThat(bad.errorCode()).isEqualTo("INVALID_REQUEST");
            String field = query.contains("to=") && !query.startsWith("from=0000") ? "to" : "from";
            assertThat(bad.json().get("error").get("fields").get(field).stringValue()).as(query)
                    .isEqualTo("must be a day of the years 1 to 9999");
        }
        for (String query : List.of("from=0001-01-01&to=0001-12-31", "from=9999-01-01&to=9999-12-31")) {
            Http good = admin().get("/admin/reports/margins?" + query);
            assertThat(good.status()).as(query + ": " + good.body()).isEqualTo(200);
            assertThat(good.json().get("lines").isEmpty()).isTrue();
        }
        assertThat(admin().get("/admin/reports/margins?format=csv&from=%2B999999999-12-31").status()).isEqualTo(400);
    }

    /** Today's margin report line of one operator, connector or partner. */
    private JsonNode reportLine(String by, String key) {
        JsonNode report = admin().get("/admin/reports/margins?by=" + by).json();
        JsonNode line = null;
        for (JsonNode l : report.get("lines")) {
            if (l.get("key").stringValue().equals(key)) {
                line = l;
            }
        }
        assertThat(line).as(report.toString()).isNotNull();
        return line;
    }

    @Test
    void everySettlementPathWritesTheSameSplit() {
        Op sandbox = operator("-fee", "sandbox", 100, 0, 300, 50, 25);
        Op faulty = operator("-fee", "faulty", 100, 0, 300, 50, 25);
        NativeClient client = newPartner(1_000_000);
        Expected e = Expected.of(sandbox, 5_000);

        // the first answer
        String first = recharge(client, sandbox, "9876543210", 5_000, "ms-path-1");
        assertThat(status(client, first)).isEqualTo("SUCCESS");

        // the janitor: no answer at first (account ending 9), paid when re-asked
        String janitored = recharge(client, sandbox, "9876543219", 5_000, "ms-path-2");
        assertThat(splitOf(janitored)).isEmpty();
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            makeDue(janitored);
            runJanitor();
            assertThat(status(client, janitored)).isEqualTo("SUCCESS");
        });

        // a reviewer: no answer until the maximum age passed, then found paid
        faults.next(Fault.TIME_OUT);
        String reviewed = recharge(client, faulty, "9876543210", 5_000, "ms-path-3");
        jdbc.sql("update orders set created_at = now() - interval '49 hours' where id = :id")
                .param("id", Long.parseLong(reviewed)).update();
        makeDue(reviewed);
        runJanitor();
        assertThat(admin().get("/admin/orders/" + reviewed).text("status")).isEqualTo("NEEDS_REVIEW");
        Http settled = admin().post("/admin/orders/" + reviewed + "/settle",
                "{\"outcome\":\"SUCCESS\",\"reason\":\"operator statement shows it credited\"}");
        assertThat(settled.status()).as(settled.body()).isEqualTo(200);

        assertThat(splitOf(first)).isEqualTo(e.split("sandbox")).hasSize(8);
        assertThat(splitOf(janitored)).isEqualTo(e.split("sandbox"));
        assertThat(splitOf(reviewed)).isEqualTo(e.split("faulty"));
        assertThat(client.availableInr()).isEqualTo(1_000_000 - 3 * (e.debit() - e.commission() + e.tds()));
        assertThat(admin().get("/admin/ledger/verify").json().get("ok").booleanValue()).isTrue();
    }

    /** A payment of the workload and what became of it. */
    record Payment(String orderId, NativeClient partner, Op op, long amount, boolean paid) {
    }

    @Test
    void aSeededRandomWorkloadsBooksMatchAnIndependentModelToThePaisa() {
        Random random = new Random(32);
        List<Op> ops = List.of(
                operator("-a", "sandbox", 0, 0, 250, 150, 50),
                operator("-b-fee", "sandbox", 500, 0, 100, 0, 0),
                operator("-c-fee", "faulty", 0, 100, 300, 200, 75),
                operator("-d", "faulty", 1_000, 0, 0, 0, 20),
                operator("-e-fee", "sandbox", 250, 25, 175, 99, 10));
        List<NativeClient> partners = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            partners.add(newPartner(5_000_000));
        }
        List<Payment> payments = new ArrayList<>();
        List<Payment> laterPaid = new ArrayList<>();
        List<Payment> laterFailed = new ArrayList<>();
        List<Payment> sandboxLater = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
            NativeClient partner = partners.get(random.nextInt(partners.size()));
            Op op = ops.get(random.nextInt(ops.size()));
            long amount = 1_000 + random.nextInt(500_000);
            int fate = random.nextInt(10); // 0-5 paid at once, 6-7 declined, 8 unknown then paid, 9 unknown then failed
            String account;
            if (op.connector().equals("faulty")) {
                faults.next(fate <= 5 ? Fault.SUCCEED : fate <= 7 ? Fault.DECLINE : Fault.TIME_OUT);
                account = "9876543210";
            } else {
                account = fate <= 5 ? "9876543210" : fate <= 7 ? "9876543218" : fate == 8 ? "9876543209" : "9876543299";
            }
            String id = recharge(partner, op, account, amount, "ms-w-" + i);
            Payment p = new Payment(id, partner, op, amount, fate <= 5 || fate == 8);
            payments.add(p);
            if (fate >= 8) {
                (op.connector().equals("faulty") ? (fate == 8 ? laterPaid : laterFailed) : sandboxLater).add(p);
            }
        }
        // the unknowns, settled by the janitor: the faulty upstream's by what its status enquiry says now
        faults.statusSays(Outcome.SUCCESS);
        laterPaid.forEach(p -> makeDue(p.orderId()));
        runJanitor();
        faults.statusSays(Outcome.FAILED);
        laterFailed.forEach(p -> makeDue(p.orderId()));
        runJanitor();
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            sandboxLater.forEach(p -> makeDue(p.orderId()));
            runJanitor();
            for (Payment p : payments) {
                assertThat(status(p.partner(), p.orderId())).isIn("SUCCESS", "FAILED", "REFUNDED");
            }
        });

        // the model
        Map<String, Long> wallets = new HashMap<>();
        partners.forEach(p -> wallets.put(p.partnerId, 5_000_000L));
        Map<String, Long> books = new TreeMap<>();
        Map<String, long[]> byPartner = new TreeMap<>();
        Map<String, long[]> byOperator = new TreeMap<>();
        for (Payment p : payments) {
            if (p.paid()) {
                assertThat(status(p.partner(), p.orderId())).isEqualTo("SUCCESS");
            } else {
                assertThat(status(p.partner(), p.orderId())).isIn("FAILED", "REFUNDED");
            }
            if (!p.paid()) {
                continue;
            }
            Expected e = Expected.of(p.op(), p.amount());
            wallets.merge(p.partner().partnerId, -e.debit() + e.commission() - e.tds(), Long::sum);
            books.merge("REVENUE", e.revenue(), Long::sum);
            books.merge("TDS_PAYABLE", e.tds(), Long::sum);
            books.merge("GST_PAYABLE", e.gst(), Long::sum);
            books.merge("COMMISSION", -e.commission(), Long::sum);
            books.merge("UPSTREAM:" + p.op().connector(), e.upstream() - e.upstreamCommission() + e.upstreamFee(), Long::sum);
            books.merge("SETTLEMENT", 0L, Long::sum);
            books.merge("WALLET", -e.debit() + e.commission() - e.tds(), Long::sum);
            long[] figures = e.report();
            for (Map<String, long[]> m : List.of(byPartner, byOperator)) {
                String key = m == byPartner ? p.partner().partnerId : p.op().id();
                long[] sum = m.computeIfAbsent(key, k -> new long[figures.length]);
                for (int k = 0; k < figures.length; k++) {
                    sum[k] += figures[k];
                }
            }
        }

        // the books, from the ledger: every account's net over the workload's transfers (holds resolved, so posted only)
        Map<String, Long> ledger = new TreeMap<>();
        jdbc.sql("""
                select a.kind || case when a.kind = 'UPSTREAM' then ':' || a.connector else '' end,
                       sum(case when a.id = t.credit_account_id then t.amount_minor else -t.amount_minor end)
                from transfers t join accounts a on a.id in (t.debit_account_id, t.credit_account_id)
                where t.order_id = any(:orders) and t.kind in ('POSTED', 'POST_PENDING')
                group by 1""")
                .param("orders", payments.stream().map(p -> Long.parseLong(p.orderId())).toArray(Long[]::new))
                .query((rs, n) -> ledger.put(rs.getString(1), rs.getLong(2))).list();
        assertThat(ledger).isEqualTo(books);
        for (NativeClient partner : partners) {
            assertThat(partner.availableInr()).as(partner.partnerId).isEqualTo(wallets.get(partner.partnerId));
        }
        assertThat(admin().get("/admin/ledger/verify").json().get("ok").booleanValue()).isTrue();

        // the margin report, by partner and by operator (the workload's own), against the model
        LocalDate today = LocalDate.now(ZoneId.of("Asia/Kolkata"));
        String period = "from=" + today.minusDays(1) + "&to=" + today.plusDays(1);
        assertThat(lines(admin().get("/admin/reports/margins?by=partner&" + period).json(), byPartner.keySet()))
                .isEqualTo(asText(byPartner));
        assertThat(lines(admin().get("/admin/reports/margins?by=operator&" + period).json(), byOperator.keySet()))
                .isEqualTo(asText(byOperator));
        Http csv = admin().get("/admin/reports/margins?format=csv&by=operator&" + period);
        assertThat(csv.header("Content-Type")).startsWith("text/csv");
        assertThat(csv.body()).startsWith("operator,currency,payments,reversals,upstream,fee,ccf,upstream_commission,"
                + "upstream_fee,revenue,commission,tds,gst,margin\r\n");
        String firstOp = byOperator.keySet().iterator().next();
        long[] f = byOperator.get(firstOp);
        StringBuilder expected = new StringBuilder("\r\n" + firstOp + ",INR," + f[0] + "," + f[1]);
        for (int k = 2; k < f.length; k++) {
            expected.append(',').append(rupees(f[k]));
        }
        assertThat(csv.body()).contains(expected + "\r\n");
        Http bad = admin().get("/admin/reports/margins?by=planet&from=yesterday");
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.errorCode()).isEqualTo("INVALID_REQUEST");
    }

    /** A margin report line's figures, in its JSON order. */
    private static List<Long> figures(JsonNode l) {
        List<Long> out = new ArrayList<>();
        for (String f : List.of("payments", "reversals", "upstreamMinor", "feeMinor", "ccfMinor", "upstreamCommissionMinor",
                "upstreamFeeMinor", "revenueMinor", "commissionMinor", "tdsMinor", "gstMinor", "marginMinor")) {
            assertThat(l.has(f)).as(f + " in " + l).isTrue();
            out.add(l.get(f).longValue());
        }
        return out;
    }

    /** An order's net per account kind (UPSTREAM:connector), over its posted transfers. */
    private Map<String, Long> net(String orderId) {
        Map<String, Long> net = new TreeMap<>();
        jdbc.sql("""
                select a.kind || case when a.kind = 'UPSTREAM' then ':' || a.connector else '' end,
                       sum(case when a.id = t.credit_account_id then t.amount_minor else -t.amount_minor end)
                from transfers t join accounts a on a.id in (t.debit_account_id, t.credit_account_id)
                where t.order_id = :order and t.kind in ('POSTED', 'POST_PENDING')
                group by 1""")
                .param("order", Long.parseLong(orderId))
                .query((rs, n) -> net.put(rs.getString(1), rs.getLong(2))).list();
        return net;
    }

    private static String rupees(long paise) {
        return billswitch.shared.Currency.INR.format(paise);
    }

    private static Map<String, String> asText(Map<String, long[]> figures) {
        Map<String, String> out = new TreeMap<>();
        figures.forEach((k, v) -> out.put(k, java.util.Arrays.toString(v)));
        return out;
    }

    private static Map<String, String> lines(JsonNode report, java.util.Set<String> keys) {
        Map<String, String> out = new TreeMap<>();
        for (JsonNode l : report.get("lines")) {
            String key = l.get("key").stringValue();
            if (keys.contains(key)) {
                out.put(key, java.util.Arrays.toString(figures(l).stream().mapToLong(Long::longValue).toArray()));
            }
        }
        return out;
    }
}
