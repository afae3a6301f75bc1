package billswitch.pricing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import billswitch.catalog.Operator;
import billswitch.shared.BillSwitchException;
import billswitch.shared.Currency;
import billswitch.shared.ErrorCode;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

/** Table tests of every pricing rule: flat, percent, slabs at their edges, minimums, caps, rounding, TDS and GST. */
class PricingRulesTest {
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final Instant NOW = Instant.parse("2026-12-07T10:00:00Z");

    record Case(String name, Charge charge, long amountMinor, long expected) {
    }

    private static Slab slab(long from, Long to, long flat, int bps) {
        return new Slab(from, to, flat, bps);
    }

    private static final Charge SLABS = new Charge(Charge.Type.SLABS, 0, 0, List.of(
            slab(0, 100_000L, 500, 0), slab(100_000, 500_000L, 0, 100), slab(500_000, null, 1_000, 50)), null, null);

    @Test
    void everyChargeAtItsEdges() {
        for (Case c : List.of(
                new Case("flat", new Charge(Charge.Type.FLAT, 1_000, 0, null, null, null), 123_456, 1_000),
                new Case("percent exact", new Charge(Charge.Type.PERCENT, 0, 150, null, null, null), 10_000, 150),
                // 0.5 paisa rounds up; 0.49 paisa down (half up to the minor unit)
                new Case("percent half rounds up", new Charge(Charge.Type.PERCENT, 0, 50, null, null, null), 100, 1),
                new Case("percent below half rounds down", new Charge(Charge.Type.PERCENT, 0, 49, null, null, null), 100, 0),
                new Case("0.25% of 49.38 = 0.12345 -> 0.12", new Charge(Charge.Type.PERCENT, 0, 25, null, null, null), 4_938, 12),
                new Case("percent 2.5 -> 3", new Charge(Charge.Type.PERCENT, 0, 250, null, null, null), 100, 3),
                new Case("minimum raises", new Charge(Charge.Type.PERCENT, 0, 100, null, 500L, null), 10_000, 500),
                new Case("minimum not needed", new Charge(Charge.Type.PERCENT, 0, 100, null, 500L, null), 100_000, 1_000),
                new Case("cap lowers", new Charge(Charge.Type.PERCENT, 0, 100, null, null, 2_000L), 1_000_000, 2_000),
                new Case("cap at exactly", new Charge(Charge.Type.PERCENT, 0, 100, null, null, 2_000L), 200_000, 2_000),
                new Case("cap equals minimum", new Charge(Charge.Type.PERCENT, 0, 100, null, 700L, 700L), 1, 700),
                new Case("first slab's lower edge", SLABS, 0, 500),
                new Case("first slab just below its upper edge", SLABS, 99_999, 500),
                new Case("upper edge belongs to the next slab", SLABS, 100_000, 1_000),
                new Case("second slab's last paisa", SLABS, 499_999, 5_000),
                new Case("open last slab from its edge", SLABS, 500_000, 3_500),
                new Case("open last slab, rounding", SLABS, 1_234_567, 1_000 + 6_173),
                new Case("an amount no slab covers is 0", new Charge(Charge.Type.SLABS, 0, 0,
                        List.of(slab(1_000, 2_000L, 10, 0)), null, null), 2_000, 0),
                new Case("no slab, minimum still applies", new Charge(Charge.Type.SLABS, 0, 0,
                        List.of(slab(1_000, 2_000L, 10, 0)), 5L, null), 5_000, 5),
                new Case("slab with cap", new Charge(Charge.Type.SLABS, 0, 0, SLABS.slabs(), null, 3_000L), 1_234_567, 3_000),
                new Case("slab under its minimum", new Charge(Charge.Type.SLABS, 0, 0, SLABS.slabs(), 800L, null), 99_999, 800),
                new Case("slab above the same minimum", new Charge(Charge.Type.SLABS, 0, 0, SLABS.slabs(), 800L, null), 100_000, 1_000),
                new Case("slab's percent rounds half up: 1% of 1000.50 = 10.005 -> 10.01", SLABS, 100_050, 1_001),
                new Case("slab's percent below half: 1% of 1000.49 = 10.0049 -> 10.00", SLABS, 100_049, 1_000),
                new Case("flat above its cap", new Charge(Charge.Type.FLAT, 1_000, 0, null, null, 600L), 50_000, 600),
                new Case("flat below its minimum", new Charge(Charge.Type.FLAT, 100, 0, null, 250L, null), 50_000, 250),
                new Case("percent of nothing", new Charge(Charge.Type.PERCENT, 0, 100, null, null, null), 0, 0),
                new Case("percent of nothing, minimum", new Charge(Charge.Type.PERCENT, 0, 100, null, 300L, null), 0, 300),
                new Case("minimum just met", new Charge(Charge.Type.PERCENT, 0, 100, null, 500L, null), 50_000, 500),
                new Case("cap one paisa above", new Charge(Charge.Type.PERCENT, 0, 100, null, null, 2_000L), 200_100, 2_000),
                new Case("cap one paisa below", new Charge(Charge.Type.PERCENT, 0, 100, null, null, 2_000L), 199_900, 1_999),
                new Case("100% of the amount", new Charge(Charge.Type.PERCENT, 0, 10_000, null, null, null), 12_345, 12_345),
                new Case("1 bps of 49.99 = 0.004999 -> 0.00", new Charge(Charge.Type.PERCENT, 0, 1, null, null, null), 4_999, 0),
                new Case("1 bps of 50.00 = 0.005 -> 0.01", new Charge(Charge.Type.PERCENT, 0, 1, null, null, null), 5_000, 1))) {
            assertThat(c.charge().on(c.amountMinor())).as(c.name()).isEqualTo(c.expected());
        }
    }

    private static Operator operator(String id, String category, Currency currency, long feeFlat, int feeBps, int commissionBps) {
        return new Operator(id, id, category, null, Operator.Kind.UTILITY, "IN", currency, Operator.FetchOption.OPTIONAL,
                Operator.Exactness.ADHOC, 100, 10_000_000, false, List.of(Operator.Channel.INSTANT), feeFlat, feeBps,
                commissionBps, false, null, true, new Operator.ProviderCodes(null, null, null, null, null), List.of(
                new billswitch.catalog.Param("account", "Account", billswitch.catalog.Param.Type.AlphaNumeric, null, null,
                        true, true, List.of())));
    }

    private static PlanVersion version(long id, String plan, Instant from, PricingRule... rules) {
        return new PlanVersion(id, plan, from, List.of(rules), from, "test");
    }

    private static Pricing pricing(List<PlanVersion> versions, Map<String, String> assignments, String defaultPlan,
                                   List<PricingTables.OperatorSlab> ccf) {
        return new Pricing(200, 1800, PricingSnapshot.of(1, versions, assignments, defaultPlan, ccf),
                Clock.fixed(NOW, ZoneOffset.UTC));
    }

    private static final Charge PCT_1 = new Charge(Charge.Type.PERCENT, 0, 100, null, null, null);
    private static final Charge FLAT_10 = new Charge(Charge.Type.FLAT, 1_000, 0, null, null, null);

    @Test
    void theOperatorsRuleWinsOverItsCategorysPartByPartAndTheCatalogIsTheFallback() {
        Operator water = operator("water-1", "water", Currency.INR, 0, 0, 40);
        Operator gas = operator("gas-1", "gas", Currency.INR, 0, 0, 30);
        Pricing p = pricing(List.of(version(7, "GOLD", NOW.minusSeconds(60),
                        new PricingRule(null, "water", PCT_1, FLAT_10),
                        new PricingRule("water-1", null, new Charge(Charge.Type.FLAT, 777, 0, null, null, null), null))),
                Map.of("P1", "GOLD"), null, List.of());
        Price own = p.price("P1", water, 100_000, PaymentMode.CASH);
        assertThat(own.commissionMinor()).as("operator rule's commission").isEqualTo(777);
        assertThat(own.feeMinor()).as("category rule's fee (the operator rule sets none)").isEqualTo(1_000);
        assertThat(own.gstMinor()).as("18% of 10.00").isEqualTo(180);
        assertThat(own.tdsMinor()).as("2% of 7.77 = 0.1554 -> 0.16").isEqualTo(16);
        assertThat(own.planVersionId()).isEqualTo(7);
        Price noRule = p.price("P1", gas, 100_000, PaymentMode.CASH);
        assertThat(noRule.commissionMinor()).as("catalog commission_bps 30 of 1000.00").isEqualTo(300);
        assertThat(noRule.feeMinor()).isZero();
        assertThat(noRule.tdsMinor()).isEqualTo(6);
        Price unassigned = p.price("P2", water, 100_000, PaymentMode.CASH);
        assertThat(unassigned.commissionMinor()).as("no plan, no default: the catalog").isEqualTo(400);
        assertThat(unassigned.planVersionId()).isZero();
    }

    @Test
    void theVersionInForceIsTheNewestStartedAndTheDefaultPlanAppliesToPartnersWithoutOne() {
        Operator water = operator("water-1", "water", Currency.INR, 0, 0, 40);
        Pricing p = pricing(List.of(
                        version(1, "BASE", NOW.minusSeconds(3_600), new PricingRule(null, "water", PCT_1, null)),
                        version(2, "BASE", NOW.minusSeconds(1), new PricingRule(null, "water", FLAT_10, null)),
                        version(3, "BASE", NOW.plusSeconds(1), new PricingRule(null, "water", PCT_1, FLAT_10)),
                        version(4, "OWN", NOW.plusSeconds(60), new PricingRule(null, "water", PCT_1, null))),
                Map.of("P-OWN", "OWN"), "BASE", List.of());
        Price d = p.price("ANY", water, 500_000, PaymentMode.CASH);
        assertThat(d.planVersionId()).as("started a second ago; the next starts in a second").isEqualTo(2);
        assertThat(d.commissionMinor()).isEqualTo(1_000);
        assertThat(d.feeMinor()).isZero();
        Price own = p.price("P-OWN", water, 500_000, PaymentMode.CASH);
        assertThat(own.planVersionId()).as("its own plan has no version in force yet").isZero();
        assertThat(own.commissionMinor()).as("so the catalog's").isEqualTo(2_000);
    }

    @Test
    void taxesAreOnInrOnlyAndRoundHalfUp() {
        Operator vnd = operator("vn-1", "water", Currency.VND, 0, 0, 100);
        Pricing p = pricing(List.of(version(1, "B", NOW.minusSeconds(1), new PricingRule(null, "water", PCT_1, FLAT_10))),
                Map.of(), "B", List.of());
        Price v = p.price("X", vnd, 50_000, PaymentMode.CASH);
        assertThat(v.commissionMinor()).isEqualTo(500);
        assertThat(v.tdsMinor()).isZero();
        assertThat(v.gstMinor()).isZero();
        Operator inr = operator("in-1", "water", Currency.INR, 0, 0, 0);
        // commission 1% of 1234.50 = 12.345 -> 12.35 (half up); TDS 2% = 0.247 -> 0.25; GST 18% of 10.00 = 1.80
        Price i = p.price("X", inr, 123_450, PaymentMode.CASH);
        assertThat(i.commissionMinor()).isEqualTo(1_235);
        assertThat(i.tdsMinor()).isEqualTo(25);
        assertThat(i.gstMinor()).isEqualTo(180);
        assertThat(i.debitMinor(123_450)).isEqualTo(123_450 + 1_000 + 180);
        assertThat(i.netCommissionMinor()).isEqualTo(1_210);
        assertThat(Pricing.percentOf(25, 200)).as("0.5 paisa -> 1").isEqualTo(1);
        assertThat(Pricing.percentOf(24, 200)).as("0.48 paisa -> 0").isZero();
    }

    record TaxCase(String name, int tdsBps, int gstBps, long commissionMinor, long feeMinor, long tds, long gst) {
    }

    @Test
    void tdsOnTheCommissionAndGstOnTheFeeAtTheConfiguredRatesRoundHalfUp() {
        Operator inr = operator("in-1", "water", Currency.INR, 0, 0, 0);
        for (TaxCase c : List.of(
                new TaxCase("2% of 0.25 = 0.005 -> 0.01", 200, 1_800, 25, 0, 1, 0),
                new TaxCase("2% of 0.24 = 0.0048 -> 0.00", 200, 1_800, 24, 0, 0, 0),
                new TaxCase("2% of 100.00", 200, 1_800, 10_000, 0, 200, 0),
                new TaxCase("5% (configured) of 10.10 = 0.505 -> 0.51", 500, 1_800, 1_010, 0, 51, 0),
                new TaxCase("no TDS configured", 0, 1_800, 10_000, 0, 0, 0),
                new TaxCase("18% of 0.03 = 0.0054 -> 0.01", 200, 1_800, 0, 3, 0, 1),
                new TaxCase("18% of 0.02 = 0.0036 -> 0.00", 200, 1_800, 0, 2, 0, 0),
                new TaxCase("18% of 12.50 = 2.25", 200, 1_800, 0, 1_250, 0, 225),
                new TaxCase("18% of 0.25 = 0.045 -> 0.05", 200, 1_800, 0, 25, 0, 5),
                new TaxCase("12% (configured) of 10.00", 200, 1_200, 0, 1_000, 0, 120),
                new TaxCase("both at once", 200, 1_800, 777, 1_000, 16, 180))) {
            Charge commission = new Charge(Charge.Type.FLAT, c.commissionMinor(), 0, null, null, null);
            Charge fee = new Charge(Charge.Type.FLAT, c.feeMinor(), 0, null, null, null);
            Pricing p = new Pricing(c.tdsBps(), c.gstBps(), PricingSnapshot.of(1, List.of(version(1, "B", NOW.minusSeconds(1),
                    new PricingRule(null, "water", commission, fee))), Map.of(), "B", List.of()), Clock.fixed(NOW, ZoneOffset.UTC));
            Price price = p.price("X", inr, 100_000, PaymentMode.CASH);
            assertThat(price.commissionMinor()).as(c.name()).isEqualTo(c.commissionMinor());
            assertThat(price.feeMinor()).as(c.name()).isEqualTo(c.feeMinor());
            assertThat(price.tdsMinor()).as(c.name() + ": TDS").isEqualTo(c.tds());
            assertThat(price.gstMinor()).as(c.name() + ": GST").isEqualTo(c.gst());
            assertThat(price.debitMinor(100_000)).as(c.name()).isEqualTo(100_000 + c.feeMinor() + c.gst());
            assertThat(price.netCommissionMinor()).as(c.name()).isEqualTo(c.commissionMinor() - c.tds());
        }
        // the tax is on the commission after its cap
        Pricing capped = pricing(List.of(version(1, "B", NOW.minusSeconds(1), new PricingRule(null, "water",
                new Charge(Charge.Type.PERCENT, 0, 100, null, null, 1_000L), null))), Map.of(), "B", List.of());
        assertThat(capped.price("X", inr, 10_000_000, PaymentMode.CASH).tdsMinor()).as("2% of the capped 10.00").isEqualTo(20);
        assertThatThrownBy(() -> new Pricing(10_001, 1_800)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Pricing(200, -1)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void theCcfIsTheModesSlabsElseAnyModesElseTheCatalogFee() {
        Operator biller = operator("bill-1", "water", Currency.INR, 200, 10, 0);
        Operator plain = operator("bill-2", "water", Currency.INR, 200, 10, 0);
        Pricing p = pricing(List.of(), Map.of(), null, List.of(
                new PricingTables.OperatorSlab("bill-1", new CcfSlab(null, 0, 100_000L, 500, 0)),
                new PricingTables.OperatorSlab("bill-1", new CcfSlab(null, 100_000, null, 0, 100)),
                new PricingTables.OperatorSlab("bill-1", new CcfSlab(PaymentMode.UPI, 0, null, 0, 0)),
                new PricingTables.OperatorSlab("bill-1", new CcfSlab(PaymentMode.CREDIT_CARD, 50_000, null, 0, 150))));
        assertThat(p.price("X", biller, 99_999, PaymentMode.CASH).ccfMinor()).isEqualTo(500);
        assertThat(p.price("X", biller, 100_000, PaymentMode.CASH).ccfMinor()).isEqualTo(1_000);
        assertThat(p.price("X", biller, 100_000, PaymentMode.UPI).ccfMinor()).isZero();
        assertThat(p.price("X", biller, 49_999, PaymentMode.CREDIT_CARD).ccfMinor()).as("its mode's slabs cover no such amount").isZero();
        assertThat(p.price("X", biller, 100_100, PaymentMode.CREDIT_CARD).ccfMinor()).as("1.5% of 1001.00 = 15.015 -> 15.02")
                .isEqualTo(1_502);
        assertThat(p.ccfByMode(biller, 100_000)).containsEntry(PaymentMode.UPI, 0L).containsEntry(PaymentMode.WALLET, 1_000L);
        Price catalogFee = p.price("X", plain, 12_345, PaymentMode.UPI);
        assertThat(catalogFee.ccfMinor()).as("2.00 + 0.1% of 123.45 = 2.12345 -> 2.12").isEqualTo(212);
        assertThat(catalogFee.debitMinor(12_345)).isEqualTo(12_345 + 212);
        assertThat(p.ccfMinor(biller, 99_999, null)).as("no mode said: cash, the any-mode slabs").isEqualTo(500);
        assertThat(p.price("X", biller, 0, PaymentMode.NEFT).ccfMinor()).as("any-mode slab's lower edge").isEqualTo(500);
        assertThat(p.price("X", biller, 100_050, PaymentMode.IMPS).ccfMinor()).as("1% of 1000.50 = 10.005 -> 10.01")
                .isEqualTo(1_001);
        assertThat(p.price("X", biller, 50_000, PaymentMode.CREDIT_CARD).ccfMinor()).as("its mode's slab's lower edge")
                .isEqualTo(750);
        assertThat(p.price("X", biller, 100_000, PaymentMode.CREDIT_CARD).gstMinor()).as("no GST on the CCF: the biller's")
                .isZero();
        Pricing onlyUpi = pricing(List.of(), Map.of(), null, List.of(
                new PricingTables.OperatorSlab("bill-1", new CcfSlab(PaymentMode.UPI, 0, null, 100, 0))));
        assertThat(onlyUpi.price("X", biller, 10_000, PaymentMode.UPI).ccfMinor()).isEqualTo(100);
        assertThat(onlyUpi.price("X", biller, 10_000, PaymentMode.CASH).ccfMinor())
                .as("slabs for other modes only: no CCF by cash, not the catalog fee").isZero();
    }

    // ---- refusals -------------------------------------------------------------------------------

    private static Map<String, String> refusal(String body) {
        try {
            PricingJson.version(JSON.readTree(body), Set.of("op-1", "op-2")::contains, Set.of("water")::contains);
        } catch (BillSwitchException e) {
            assertThat(e.code()).isEqualTo(ErrorCode.INVALID_REQUEST);
            return e.fields();
        }
        throw new AssertionError("accepted: " + body);
    }

    @Test
    void badPlansAreRefusedNamingTheField() {
        record Bad(String body, String field, String says) {
        }
        for (Bad b : List.of(
                new Bad("{}", "rules", "is required"),
                new Bad("{\"rules\":[{\"commission\":{\"type\":\"FLAT\",\"flatMinor\":1}}]}", "rules[0].operatorId", "is required"),
                new Bad("{\"rules\":[{\"operatorId\":\"nope\",\"fee\":{\"type\":\"FLAT\",\"flatMinor\":1}}]}",
                        "rules[0].operatorId", "no operator 'nope'"),
                new Bad("{\"rules\":[{\"categoryId\":\"gold\",\"fee\":{\"type\":\"FLAT\",\"flatMinor\":1}}]}",
                        "rules[0].categoryId", "no category 'gold'"),
                new Bad("{\"rules\":[{\"operatorId\":\"op-1\",\"categoryId\":\"water\",\"fee\":{\"type\":\"FLAT\",\"flatMinor\":1}}]}",
                        "rules[0].categoryId", "not both"),
                new Bad("{\"rules\":[{\"operatorId\":\"op-1\",\"fee\":{\"type\":\"FLAT\",\"flatMinor\":1}},"
                        + "{\"operatorId\":\"op-1\",\"fee\":{\"type\":\"FLAT\",\"flatMinor\":2}}]}", "rules[1].operatorId", "rules[0]"),
                new Bad("{\"rules\":[{\"operatorId\":\"op-1\"}]}", "rules[0].commission", "needs a commission, a fee"),
                new Bad("{\"rules\":[{\"operatorId\":\"op-1\",\"fee\":{\"type\":\"FLAT\",\"flatMinor\":-1}}]}",
                        "rules[0].fee.flatMinor", "must not be negative"),
                new Bad("{\"rules\":[{\"operatorId\":\"op-1\",\"commission\":{\"type\":\"PERCENT\",\"bps\":-5}}]}",
                        "rules[0].commission.bps", "must not be negative"),
                new Bad("{\"rules\":[{\"operatorId\":\"op-1\",\"commission\":{\"type\":\"PERCENT\",\"bps\":10001}}]}",
                        "rules[0].commission.bps", "at most 10000"),
                new Bad("{\"rules\":[{\"operatorId\":\"op-1\",\"commission\":{\"type\":\"PERCENT\",\"bps\":100,"
                        + "\"minMinor\":500,\"capMinor\":400}}]}", "rules[0].commission.capMinor", "below minMinor (500)"),
                new Bad("{\"rules\":[{\"operatorId\":\"op-1\",\"commission\":{\"type\":\"PERCENTAGE\",\"bps\":100}}]}",
                        "rules[0].commission.type", "FLAT, PERCENT or SLABS"),
                new Bad("{\"rules\":[{\"operatorId\":\"op-1\",\"commission\":{\"type\":\"PERCENT\"}}]}",
                        "rules[0].commission.bps", "is required"),
                new Bad("{\"rules\":[{\"operatorId\":\"op-1\",\"commission\":{\"type\":\"FLAT\",\"flatMinor\":1,\"bps\":3}}]}",
                        "rules[0].commission.bps", "not used by a FLAT"),
                new Bad("{\"rules\":[{\"operatorId\":\"op-1\",\"fee\":{\"type\":\"SLABS\",\"slabs\":[]}}]}",
                        "rules[0].fee.slabs", "at least one slab"),
                new Bad("{\"rules\":[{\"operatorId\":\"op-1\",\"fee\":{\"type\":\"SLABS\",\"slabs\":["
                        + "{\"fromMinor\":0,\"toMinor\":1000,\"flatMinor\":5},{\"fromMinor\":999,\"toMinor\":5000,\"flatMinor\":7}]}}]}",
                        "rules[0].fee.slabs[1].fromMinor", "overlaps rules[0].fee.slabs[0] (0 to 1000)"),
                new Bad("{\"rules\":[{\"operatorId\":\"op-1\",\"fee\":{\"type\":\"SLABS\",\"slabs\":["
                        + "{\"fromMinor\":5000,\"flatMinor\":5},{\"fromMinor\":100000,\"toMinor\":200000,\"flatMinor\":7}]}}]}",
                        "rules[0].fee.slabs[1].fromMinor", "overlaps rules[0].fee.slabs[0] (5000 to any amount)"),
                new Bad("{\"rules\":[{\"operatorId\":\"op-1\",\"fee\":{\"type\":\"SLABS\",\"slabs\":["
                        + "{\"fromMinor\":1000,\"toMinor\":1000,\"flatMinor\":5}]}}]}", "rules[0].fee.slabs[0].toMinor", "above fromMinor"),
                new Bad("{\"rules\":[{\"operatorId\":\"op-1\",\"fee\":{\"type\":\"SLABS\",\"slabs\":["
                        + "{\"fromMinor\":0,\"toMinor\":1000}]}}]}", "rules[0].fee.slabs[0].flatMinor", "flatMinor, bps or both"),
                new Bad("{\"effectiveFrom\":\"tomorrow\",\"rules\":[]}", "effectiveFrom", "2026-12-08T00:00:00Z"),
                new Bad("{\"rules\":[],\"colour\":\"red\"}", "colour", "unknown field"))) {
            assertThat(refusal(b.body())).as(b.body()).containsKey(b.field());
            assertThat(refusal(b.body()).get(b.field())).as(b.body()).contains(b.says());
        }
    }

    @Test
    void adjacentSlabsAreAcceptedAndCcfSlabsOverlapOnlyWithinTheirMode() throws Exception {
        PricingJson.NewVersion ok = PricingJson.version(JSON.readTree("{\"rules\":[{\"categoryId\":\"water\",\"fee\":"
                + "{\"type\":\"SLABS\",\"slabs\":[{\"fromMinor\":0,\"toMinor\":1000,\"flatMinor\":5},"
                + "{\"fromMinor\":1000,\"bps\":10}],\"capMinor\":900}}]}"), Set.<String>of()::contains, Set.of("water")::contains);
        assertThat(ok.rules().getFirst().fee().on(1_000)).isEqualTo(1);
        assertThat(PricingJson.ccfSlabs(JSON.readTree("{\"slabs\":[{\"fromMinor\":0,\"flatMinor\":100},"
                + "{\"paymentMode\":\"UPI\",\"fromMinor\":0,\"flatMinor\":0},{\"paymentMode\":\"credit card\",\"fromMinor\":0,\"bps\":120}]}")))
                .extracting(CcfSlab::paymentMode).containsExactly(null, PaymentMode.UPI, PaymentMode.CREDIT_CARD);
        assertThatThrownBy(() -> PricingJson.ccfSlabs(JSON.readTree("{\"slabs\":[{\"paymentMode\":\"UPI\",\"fromMinor\":0,"
                + "\"flatMinor\":1},{\"paymentMode\":\"UPI\",\"fromMinor\":10,\"toMinor\":20,\"flatMinor\":1}]}")))
                .isInstanceOfSatisfying(BillSwitchException.class, e -> assertThat(e.fields())
                        .containsEntry("slabs[1].fromMinor", "overlaps slabs[0] (0 to any amount); a slab covers fromMinor up to, not including, toMinor"));
        assertThatThrownBy(() -> PricingJson.ccfSlabs(JSON.readTree("{\"slabs\":[{\"paymentMode\":\"BARTER\",\"fromMinor\":0,\"flatMinor\":1}]}")))
                .isInstanceOfSatisfying(BillSwitchException.class, e -> assertThat(e.fields()).containsKey("slabs[0].paymentMode"));
    }
}
