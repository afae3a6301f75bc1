package billswitch.pricing;

import static org.assertj.core.api.Assertions.assertThat;

import billswitch.catalog.Catalog;
import billswitch.support.AdminClient;
import billswitch.support.Http;
import billswitch.support.IntegrationTest;
import billswitch.support.NativeClient;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;

/**
 * Pricing plans through the real server: plans, versions, assignments, the default plan and CCF slabs through the
 * admin API (audited; refused to a viewer), priced by the quote and shown in bill fetch answers. The default plan is
 * global: a test that sets it clears it before it ends.
 */
class PricingPlansTest extends IntegrationTest {
    @Autowired
    JdbcClient jdbc;
    @Autowired
    Catalog catalog;
    @Autowired
    Pricing pricing;

    private final String tag = UUID.randomUUID().toString().substring(0, 8);

    private Http put(String path, String body) {
        return admin().send("PUT", path, body);
    }

    private Http createPlan(String id) {
        return admin().post("/admin/pricing/plans", "{\"id\":\"" + id + "\",\"name\":\"Plan " + id + "\"}");
    }

    private JsonNode quote(String partner, String operator, long amount, String mode) {
        Http q = admin().get("/admin/pricing/quote?partnerId=" + partner + "&operatorId=" + operator + "&amountMinor=" + amount
                + (mode == null ? "" : "&paymentMode=" + mode));
        assertThat(q.status()).as(q.body()).isEqualTo(200);
        return q.json();
    }

    /** A biller of our own copied from a sandbox one, routed to the sandbox connector, with an Eko code of its own. */
    private String biller(String source) {
        String id = "ccf-" + tag;
        jdbc.sql("""
                insert into operators (id, name, category_id, location_id, kind, country, currency, fetch_option, exactness,
                    min_amount_minor, max_amount_minor, partial_payment, channels, connector, params, fee_flat_minor,
                    commission_bps)
                select :id, 'CCF ' || :id, category_id, null, kind, country, currency, fetch_option, exactness,
                    min_amount_minor, max_amount_minor, partial_payment, channels, 'sandbox', params, 300, 40
                from operators where id = :source""").param("id", id).param("source", source).update();
        catalog.reload();
        return id;
    }

    @Test
    void aPartnersPlanPricesItsPaymentsPerOperatorThenCategoryElseTheCatalog() {
        String plan = "gold-" + tag;
        Http created = createPlan(plan);
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        assertThat(createPlan(plan).errorCode()).isEqualTo("CATALOG_CONFLICT");
        Http version = admin().post("/admin/pricing/plans/" + plan + "/versions", """
                {"rules":[
                  {"categoryId":"electricity","commission":{"type":"PERCENT","bps":100,"capMinor":5000},
                   "fee":{"type":"SLABS","slabs":[{"fromMinor":0,"toMinor":100000,"flatMinor":500},
                                                   {"fromMinor":100000,"flatMinor":0,"bps":50}],"minMinor":100}},
                  {"operatorId":"tpddl","commission":{"type":"FLAT","flatMinor":1234}}]}""");
        assertThat(version.status()).as(version.body()).isEqualTo(201);
        long versionId = version.number("id");
        NativeClient partner = newPartner(0);
        NativeClient other = newPartner(0);
        Http assigned = put("/admin/pricing/assignments/" + partner.partnerId, "{\"planId\":\"" + plan + "\"}");
        assertThat(assigned.status()).as(assigned.body()).isEqualTo(200);
        assertThat(assigned.text("planId")).isEqualTo(plan);

        JsonNode bses = quote(partner.partnerId, "bses-rajdhani", 99_999, null);
        assertThat(bses.get("commissionMinor").asLong()).as("1% of 999.99 = 9.9999 -> 10.00").isEqualTo(1_000);
        assertThat(bses.get("tdsMinor").asLong()).as("2% TDS").isEqualTo(20);
        assertThat(bses.get("feeMinor").asLong()).as("first slab, up to but not including 1000.00").isEqualTo(500);
        assertThat(bses.get("gstMinor").asLong()).as("18% GST").isEqualTo(90);
        assertThat(bses.get("planVersionId").asLong()).isEqualTo(versionId);
        JsonNode edge = quote(partner.partnerId, "bses-rajdhani", 100_000, null);
        assertThat(edge.get("feeMinor").asLong()).as("0.5% of 1000.00, the next slab's lower edge").isEqualTo(500);
        JsonNode capped = quote(partner.partnerId, "bses-rajdhani", 10_000_000, null);
        assertThat(capped.get("commissionMinor").asLong()).as("capped at 50.00").isEqualTo(5_000);
        JsonNode tpddl = quote(partner.partnerId, "tpddl", 100_000, null);
        assertThat(tpddl.get("commissionMinor").asLong()).as("the operator's own rule").isEqualTo(1_234);
        assertThat(tpddl.get("feeMinor").asLong()).as("its category's fee").isEqualTo(500);
        JsonNode gas = quote(partner.partnerId, "mahanagar-gas", 100_000, null);
        assertThat(gas.get("commissionMinor").asLong()).as("no rule: the catalog's 30 bps").isEqualTo(300);
        assertThat(gas.get("tdsMinor").asLong()).isEqualTo(6);
        assertThat(gas.get("feeMinor").asLong()).isZero();
        JsonNode unassigned = quote(other.partnerId, "bses-rajdhani", 100_000, null);
        assertThat(unassigned.get("commissionMinor").asLong()).as("no plan: the sandbox catalog's commission").isEqualTo(400);
        assertThat(unassigned.get("tdsMinor").asLong()).isEqualTo(8);
        assertThat(unassigned.get("planVersionId").asLong()).isZero();

        JsonNode read = admin().get("/admin/pricing/plans/" + plan).json();
        assertThat(read.get("partners").get(0).asString()).isEqualTo(partner.partnerId);
        assertThat(read.get("versions").get(0).get("rules").size()).isEqualTo(2);
        assertThat(admin().get("/admin/pricing/plans").body()).contains("\"id\":\"" + plan + "\"");
        assertThat(jdbc.sql("select count(*) from admin_audit where action like 'pricing.%' and (target = :plan or target = :partner)")
                .param("plan", "pricing-plan:" + plan).param("partner", "partner:" + partner.partnerId)
                .query(Long.class).single()).as("plan, version and assignment audited").isEqualTo(3);
        assertThat(jdbc.sql("select after::text from admin_audit where action = 'pricing.assignment.set' and target = :p")
                .param("p", "partner:" + partner.partnerId).query(String.class).single()).contains(plan);

        assertThat(admin().send("DELETE", "/admin/pricing/assignments/" + partner.partnerId, null).status()).isEqualTo(204);
        assertThat(quote(partner.partnerId, "bses-rajdhani", 100_000, null).get("commissionMinor").asLong()).isEqualTo(400);
        assertThat(admin().send("DELETE", "/admin/pricing/assignments/" + partner.partnerId, null).status()).isEqualTo(404);
    }

    @Test
    void aVersionStartingLaterLeavesTheTermsInForceUntilItStarts() {
        String plan = "later-" + tag;
        createPlan(plan);
        NativeClient partner = newPartner(0);
        put("/admin/pricing/assignments/" + partner.partnerId, "{\"planId\":\"" + plan + "\"}");
        Http first = admin().post("/admin/pricing/plans/" + plan + "/versions",
                "{\"rules\":[{\"categoryId\":\"electricity\",\"commission\":{\"type\":\"FLAT\",\"flatMinor\":700}}]}");
        assertThat(first.status()).as(first.body()).isEqualTo(201);
        Instant tomorrow = Instant.now().plus(Duration.ofDays(1));
        Http later = admin().post("/admin/pricing/plans/" + plan + "/versions", "{\"effectiveFrom\":\"" + tomorrow
                + "\",\"rules\":[{\"categoryId\":\"electricity\",\"commission\":{\"type\":\"FLAT\",\"flatMinor\":900}}]}");
        assertThat(later.status()).as(later.body()).isEqualTo(201);
        JsonNode now = quote(partner.partnerId, "bses-rajdhani", 100_000, null);
        assertThat(now.get("commissionMinor").asLong()).as("the later version has not started").isEqualTo(700);
        assertThat(now.get("planVersionId").asLong()).isEqualTo(first.number("id"));

        Http past = admin().post("/admin/pricing/plans/" + plan + "/versions", "{\"effectiveFrom\":\"2020-01-01T00:00:00Z\","
                + "\"rules\":[{\"categoryId\":\"electricity\",\"commission\":{\"type\":\"FLAT\",\"flatMinor\":1}}]}");
        assertThat(past.status()).isEqualTo(400);
        assertThat(past.json().get("error").get("fields").get("effectiveFrom").asString()).contains("must not be in the past");
        Http beforeNewest = admin().post("/admin/pricing/plans/" + plan + "/versions", "{\"effectiveFrom\":\""
                + tomorrow.minus(Duration.ofHours(1)) + "\",\"rules\":[{\"categoryId\":\"electricity\",\"commission\":"
                + "{\"type\":\"FLAT\",\"flatMinor\":1}}]}");
        assertThat(beforeNewest.json().get("error").get("fields").get("effectiveFrom").asString()).contains("after the plan's newest");
    }

    @Test
    void theDefaultPlanPricesPartnersWithoutOneOfTheirOwn() {
        String base = "base-" + tag;
        String own = "own-" + tag;
        createPlan(base);
        createPlan(own);
        admin().post("/admin/pricing/plans/" + base + "/versions",
                "{\"rules\":[{\"categoryId\":\"gas\",\"commission\":{\"type\":\"FLAT\",\"flatMinor\":111}}]}");
        admin().post("/admin/pricing/plans/" + own + "/versions",
                "{\"rules\":[{\"categoryId\":\"gas\",\"commission\":{\"type\":\"FLAT\",\"flatMinor\":222}}]}");
        NativeClient assigned = newPartner(0);
        NativeClient anyone = newPartner(0);
        put("/admin/pricing/assignments/" + assigned.partnerId, "{\"planId\":\"" + own + "\"}");
        try {
            Http set = put("/admin/pricing/default", "{\"planId\":\"" + base + "\"}");
            assertThat(set.status()).as(set.body()).isEqualTo(200);
            assertThat(quote(anyone.partnerId, "mahanagar-gas", 100_000, null).get("commissionMinor").asLong()).isEqualTo(111);
            assertThat(quote(assigned.partnerId, "mahanagar-gas", 100_000, null).get("commissionMinor").asLong()).isEqualTo(222);
            assertThat(admin().get("/admin/pricing/plans/" + base).json().get("isDefault").asBoolean()).isTrue();
            assertThat(put("/admin/pricing/default", "{\"planId\":\"no-such-plan\"}").json().get("error").get("fields")
                    .get("planId").asString()).contains("no pricing plan");
        } finally {
            assertThat(put("/admin/pricing/default", "{\"planId\":null}").status()).isEqualTo(200);
        }
        assertThat(quote(anyone.partnerId, "mahanagar-gas", 100_000, null).get("commissionMinor").asLong())
                .as("no default: the catalog's 30 bps").isEqualTo(300);
    }

    /** What a real payment under a plan was priced at, as its order and its transfers keep it. */
    private java.util.List<Long> figures(String orderId) {
        JsonNode o = admin().get("/admin/orders/" + orderId).json();
        return java.util.List.of(o.get("feeMinor").asLong(), o.get("gstMinor").asLong(), o.get("commissionMinor").asLong(),
                o.get("tdsMinor").asLong(), o.get("debitMinor").asLong(), o.get("planVersionId").asLong());
    }

    private java.util.List<String> split(String orderId) {
        return jdbc.sql("""
                select code || ' ' || amount_minor from transfers
                where order_id = :id and code in ('FEE', 'GST', 'COMMISSION', 'TDS') order by id""")
                .param("id", Long.parseLong(orderId)).query(String.class).list();
    }

    @Test
    void aPaymentIsPricedByThePlanInForceAndKeepsItsTermsWhenANewVersionStarts() {
        String plan = "paid-" + tag;
        createPlan(plan);
        Http v1 = admin().post("/admin/pricing/plans/" + plan + "/versions", """
                {"rules":[{"operatorId":"airtel-prepaid","commission":{"type":"FLAT","flatMinor":300},
                           "fee":{"type":"FLAT","flatMinor":200}}]}""");
        assertThat(v1.status()).as(v1.body()).isEqualTo(201);
        NativeClient partner = newPartner(100_000);
        assertThat(put("/admin/pricing/assignments/" + partner.partnerId, "{\"planId\":\"" + plan + "\"}").status()).isEqualTo(200);

        Http first = partner.post("/v1/recharges", """
                {"operatorId":"airtel-prepaid","accountNumber":"9876543210","amountMinor":19900,"currency":"INR"}""", "plan-pay-1-" + tag);
        assertThat(first.text("status")).as(first.body()).isEqualTo("SUCCESS");
        // fee 2.00 + 18% GST 0.36 on top of the 199.00; commission 3.00 less 2% TDS 0.06 back
        assertThat(figures(first.text("id"))).containsExactly(200L, 36L, 300L, 6L, 19_900L + 200 + 36, v1.number("id"));
        assertThat(split(first.text("id"))).containsExactly("COMMISSION 300", "TDS 6", "FEE 200", "GST 36");
        assertThat(partner.availableInr()).isEqualTo(100_000 - 20_136 + 300 - 6);

        Http v2 = admin().post("/admin/pricing/plans/" + plan + "/versions", """
                {"rules":[{"operatorId":"airtel-prepaid","commission":{"type":"PERCENT","bps":250}}]}""");
        assertThat(v2.status()).as(v2.body()).isEqualTo(201);
        Http second = partner.post("/v1/recharges", """
                {"operatorId":"airtel-prepaid","accountNumber":"9876543210","amountMinor":19900,"currency":"INR"}""", "plan-pay-2-" + tag);
        assertThat(second.text("status")).as(second.body()).isEqualTo("SUCCESS");
        // 2.5% of 199.00 = 4.975 -> 4.98 (a plan's percentage rounds half up); TDS 2% of 4.98 = 0.0996 -> 0.10; no fee now
        assertThat(figures(second.text("id"))).containsExactly(0L, 0L, 498L, 10L, 19_900L, v2.number("id"));
        assertThat(figures(first.text("id"))).as("the first payment keeps the terms it was made under")
                .containsExactly(200L, 36L, 300L, 6L, 20_136L, v1.number("id"));
        assertThat(admin().get("/admin/ledger/verify").json().get("ok").booleanValue()).isTrue();
    }

    @Test
    void aQuoteOfAnAmountNoPaymentCouldHaveIsRefusedNotOverflowed() {
        NativeClient partner = newPartner(0);
        for (String amount : new String[] {"999999999999999", "-1", "1.5", ""}) {
            Http q = admin().get("/admin/pricing/quote?partnerId=" + partner.partnerId + "&operatorId=bses-rajdhani&amountMinor="
                    + amount);
            assertThat(q.status()).as(amount + ": " + q.body()).isEqualTo(400);
            assertThat(q.errorCode()).isEqualTo("INVALID_REQUEST");
            assertThat(q.body()).contains("amountMinor");
        }
    }

    @Test
    void aBadPlanIsRefusedNamingTheFieldAndNothingIsWritten() {
        String plan = "bad-" + tag;
        createPlan(plan);
        record Bad(String body, String field, String says) {
        }
        for (Bad b : new Bad[] {
                new Bad("{\"rules\":[{\"operatorId\":\"no-such-op\",\"fee\":{\"type\":\"FLAT\",\"flatMinor\":1}}]}",
                        "rules[0].operatorId", "no operator 'no-such-op'"),
                new Bad("{\"rules\":[{\"categoryId\":\"no-such-cat\",\"fee\":{\"type\":\"FLAT\",\"flatMinor\":1}}]}",
                        "rules[0].categoryId", "no category 'no-such-cat'"),
                new Bad("{\"rules\":[{\"operatorId\":\"lic\",\"fee\":{\"type\":\"FLAT\",\"flatMinor\":-5}}]}",
                        "rules[0].fee.flatMinor", "must not be negative"),
                new Bad("{\"rules\":[{\"operatorId\":\"lic\",\"commission\":{\"type\":\"PERCENT\",\"bps\":10,\"minMinor\":90,"
                        + "\"capMinor\":80}}]}", "rules[0].commission.capMinor", "must not be below minMinor"),
                new Bad("{\"rules\":[{\"operatorId\":\"lic\",\"fee\":{\"type\":\"SLABS\",\"slabs\":[{\"fromMinor\":0,"
                        + "\"toMinor\":500,\"flatMinor\":1},{\"fromMinor\":400,\"flatMinor\":2}]}}]}",
                        "rules[0].fee.slabs[1].fromMinor", "overlaps")}) {
            Http refused = admin().post("/admin/pricing/plans/" + plan + "/versions", b.body());
            assertThat(refused.status()).as(refused.body()).isEqualTo(400);
            assertThat(refused.errorCode()).isEqualTo("INVALID_REQUEST");
            assertThat(refused.json().get("error").get("fields").get(b.field()).asString()).as(b.body()).contains(b.says());
        }
        assertThat(admin().get("/admin/pricing/plans/" + plan).json().get("versions").size()).isZero();
        assertThat(admin().post("/admin/pricing/plans/no-plan-" + tag + "/versions",
                "{\"rules\":[{\"operatorId\":\"lic\",\"fee\":{\"type\":\"FLAT\",\"flatMinor\":1}}]}").status()).isEqualTo(404);
        assertThat(put("/admin/pricing/assignments/NO-SUCH-PARTNER", "{\"planId\":\"" + plan + "\"}").errorCode())
                .isEqualTo("PARTNER_NOT_FOUND");
        assertThat(createPlan("bad id!").json().get("error").get("fields").get("id").asString()).contains("letters");
    }

    @Test
    void aViewerReadsPricingButChangesNothing() {
        AdminClient viewer = new AdminClient("http://localhost:" + port, "demo-viewer");
        assertThat(viewer.get("/admin/pricing/plans").status()).isEqualTo(200);
        assertThat(viewer.get("/admin/operators/lic/ccf-slabs").status()).isEqualTo(200);
        assertThat(viewer.post("/admin/pricing/plans", "{\"id\":\"viewer-" + tag + "\",\"name\":\"x\"}").errorCode())
                .isEqualTo("ADMIN_FORBIDDEN");
        assertThat(viewer.send("PUT", "/admin/operators/lic/ccf-slabs", "{\"slabs\":[]}").errorCode()).isEqualTo("ADMIN_FORBIDDEN");
        assertThat(viewer.send("PUT", "/admin/pricing/default", "{\"planId\":null}").errorCode()).isEqualTo("ADMIN_FORBIDDEN");
        assertThat(viewer.send("DELETE", "/admin/pricing/assignments/X", null).errorCode()).isEqualTo("ADMIN_FORBIDDEN");
        assertThat(admin().get("/admin/pricing/plans/viewer-" + tag).status()).isEqualTo(404);
    }

    @Test
    void ccfSlabsPerPaymentModeShowInTheFetchAnswer() {
        String biller = biller("bses-rajdhani");
        NativeClient partner = newPartner(0);
        Http fetchedBefore = partner.post("/v1/bills/fetch", "{\"operatorId\":\"" + biller + "\",\"accountNumber\":\"151627591\"}", null);
        assertThat(fetchedBefore.status()).as(fetchedBefore.body()).isEqualTo(200);
        assertThat(fetchedBefore.json().get("ccf").get("ccfMinor").asLong()).as("no slabs: the catalog fee, 3.00").isEqualTo(300);

        Http set = put("/admin/operators/" + biller + "/ccf-slabs", """
                {"slabs":[{"fromMinor":0,"toMinor":100000,"flatMinor":500},{"fromMinor":100000,"bps":100},
                          {"paymentMode":"UPI","fromMinor":0,"flatMinor":0},
                          {"paymentMode":"CREDIT_CARD","fromMinor":0,"flatMinor":1000,"bps":120}]}""");
        assertThat(set.status()).as(set.body()).isEqualTo(200);
        assertThat(set.json().get("slabs").size()).isEqualTo(4);
        assertThat(admin().get("/admin/operators/" + biller + "/ccf-slabs").json().get("slabs").get(0).get("paymentMode").isNull()).isTrue();

        Http fetched = partner.post("/v1/bills/fetch", "{\"operatorId\":\"" + biller + "\",\"accountNumber\":\"151627592\"}", null);
        assertThat(fetched.status()).as(fetched.body()).isEqualTo(200);
        long bill = fetched.json().get("bill").get("amountMinor").asLong();
        JsonNode ccf = fetched.json().get("ccf");
        long cash = bill < 100_000 ? 500 : (bill + 50) / 100;
        assertThat(ccf.get("paymentMode").asString()).isEqualTo("CASH");
        assertThat(ccf.get("ccfMinor").asLong()).isEqualTo(cash);
        assertThat(ccf.get("byPaymentMode").get("CASH").asLong()).isEqualTo(cash);
        assertThat(ccf.get("byPaymentMode").get("WALLET").asLong()).as("any mode's slabs").isEqualTo(cash);
        assertThat(ccf.get("byPaymentMode").get("UPI").asLong()).isZero();
        assertThat(ccf.get("byPaymentMode").get("CREDIT_CARD").asLong()).isEqualTo(1_000 + (bill * 120 + 5_000) / 10_000);
        assertThat(pricing.price(partner.partnerId, catalog.require(biller), bill, PaymentMode.UPI).ccfMinor()).isZero();

        Http bad = put("/admin/operators/" + biller + "/ccf-slabs",
                "{\"slabs\":[{\"paymentMode\":\"UPI\",\"fromMinor\":0,\"flatMinor\":1},{\"paymentMode\":\"UPI\",\"fromMinor\":5,\"flatMinor\":1}]}");
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.json().get("error").get("fields").get("slabs[1].fromMinor").asString()).contains("overlaps slabs[0]");
        assertThat(put("/admin/operators/no-such-op/ccf-slabs", "{\"slabs\":[]}").errorCode()).isEqualTo("UNKNOWN_OPERATOR");
        assertThat(put("/admin/operators/" + biller + "/ccf-slabs", "{\"slabs\":[]}").status()).isEqualTo(200);
        assertThat(pricing.ccfMinor(catalog.require(biller), 100_000, PaymentMode.UPI)).as("back to the catalog fee").isEqualTo(300);
    }

    @Test
    void aChangeMadeOutsideThisNodeIsPickedUpWhenTheMarkerMoves() throws InterruptedException {
        String plan = "marker-" + tag;
        createPlan(plan);
        admin().post("/admin/pricing/plans/" + plan + "/versions",
                "{\"rules\":[{\"operatorId\":\"lic\",\"commission\":{\"type\":\"FLAT\",\"flatMinor\":4242}}]}");
        NativeClient partner = newPartner(0);
        // as another node would: straight to the table; the trigger moves the marker, the refresh re-reads
        jdbc.sql("insert into pricing_assignments (partner_id, plan_id) values (:p, :plan)")
                .param("p", partner.partnerId).param("plan", plan).update();
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (quote(partner.partnerId, "lic", 100_000, null).get("commissionMinor").asLong() != 4242
                && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        assertThat(quote(partner.partnerId, "lic", 100_000, null).get("commissionMinor").asLong()).isEqualTo(4242);
        assertThat(pricing.loadedVersion()).isEqualTo(jdbc.sql("select version from pricing_version").query(Long.class).single());
    }

    @Test
    void aNativePaymentSaysItsPaymentModeAndTheModeIsPartOfItsIdentity() {
        NativeClient partner = newPartner(100_000);
        String body = "{\"operatorId\":\"airtel-prepaid\",\"accountNumber\":\"9876543210\",\"amountMinor\":1000,"
                + "\"currency\":\"INR\"";
        Http bad = partner.post("/v1/recharges", body + ",\"paymentMode\":\"BARTER\"}", "pm-bad-" + tag);
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.json().get("error").get("fields").get("paymentMode").asString()).contains("UPI");
        Http upi = partner.post("/v1/recharges", body + ",\"paymentMode\":\"UPI\"}", "pm-" + tag);
        assertThat(upi.status()).as(upi.body()).isEqualTo(200);
        assertThat(partner.post("/v1/recharges", body + ",\"paymentMode\":\"UPI\"}", "pm-" + tag).text("id"))
                .as("the same request: its replay").isEqualTo(upi.text("id"));
        assertThat(partner.post("/v1/recharges", body + "}", "pm-" + tag).errorCode())
                .as("the same reference paid in cash is another request").isEqualTo("IDEMPOTENCY_KEY_REUSED");
    }
}
