package billswitch.pricing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import billswitch.shared.BillSwitchException;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The console's one-rule-per-line form: read into the API's JSON, checked by PricingJson, written back the same. */
class PricingLinesTest {

    private static List<PricingRule> rules(String text) {
        PricingLines.Version v = PricingLines.version(null, text);
        return PricingJson.version(v.json(), Set.of("bescom", "airtel")::contains, Set.of("electricity")::contains).rules();
    }

    @Test
    void aRuleLineBecomesTheRuleAndIsWrittenBackAsTyped() {
        String text = """
                # comments and blank lines are skipped

                operator:bescom commission=percent:50,min:100,cap:5000 fee=flat:500
                category:electricity fee=slabs:0-100000:500;100000-:25bps;
                operator:airtel commission=slabs:0-5000:10+100bps,cap:90
                """;
        List<PricingRule> rules = rules(text);
        assertThat(rules).hasSize(3);
        assertThat(rules.get(0).commission()).isEqualTo(new Charge(Charge.Type.PERCENT, 0, 50, List.of(), 100L, 5_000L));
        assertThat(rules.get(0).fee()).isEqualTo(new Charge(Charge.Type.FLAT, 500, 0, List.of(), null, null));
        assertThat(rules.get(1).categoryId()).isEqualTo("electricity");
        assertThat(rules.get(1).commission()).isNull();
        assertThat(rules.get(1).fee().slabs()).containsExactly(new Slab(0, 100_000L, 500, 0), new Slab(100_000, null, 0, 25));
        assertThat(rules.get(2).commission().on(4_999)).as("0.10 + 1% of 49.99 = 0.5999 -> 0.60").isEqualTo(60);
        assertThat(rules.stream().map(PricingLines::line).toList()).containsExactly(
                "operator:bescom commission=percent:50,min:100,cap:5000 fee=flat:500",
                "category:electricity fee=slabs:0-100000:500;100000-:25bps",
                "operator:airtel commission=slabs:0-5000:10+100bps,cap:90");
        assertThat(PricingLines.version("2026-12-08T00:00", "").json().get("effectiveFrom").stringValue())
                .as("a time without zone is UTC").isEqualTo("2026-12-08T00:00:00Z");
    }

    @Test
    void aLineThatCannotBeReadOrIsRefusedNamesItsLine() {
        assertThatThrownBy(() -> PricingLines.version(null, "\noperator:bescom commission=lots"))
                .isInstanceOfSatisfying(BillSwitchException.class, e -> assertThat(e.fields().get("rules"))
                        .startsWith("line 2: 'lots'"));
        assertThatThrownBy(() -> PricingLines.version(null, "bescom fee=flat:1"))
                .isInstanceOfSatisfying(BillSwitchException.class, e -> assertThat(e.fields().get("rules"))
                        .startsWith("line 1: start with operator:ID or category:ID"));
        assertThatThrownBy(() -> PricingLines.version(null, "operator:bescom fee=flat:-1"))
                .isInstanceOfSatisfying(BillSwitchException.class, e -> assertThat(e.fields().get("rules"))
                        .contains("line 1: '-1' is not a whole number"));
        PricingLines.Version v = PricingLines.version(null, "# header\noperator:bescom fee=flat:1\n\noperator:nope fee=percent:20000");
        assertThatThrownBy(() -> rules("# header\noperator:bescom fee=flat:1\n\noperator:nope fee=percent:20000"))
                .isInstanceOfSatisfying(BillSwitchException.class, e -> assertThat(PricingLines.onLines(e, v.lines()).fields())
                        .containsOnlyKeys("rules").extractingByKey("rules").asString()
                        .contains("line 4: operatorId no operator 'nope'").contains("line 4: fee.bps must be at most 10000"));
    }

    @Test
    void ccfSlabLinesSayTheirModeOrNone() {
        PricingLines.Version v = PricingLines.ccfSlabs("0-100000:1500\nUPI 0-:0\ncredit_card 0-:120bps");
        List<CcfSlab> slabs = PricingJson.ccfSlabs(v.json());
        assertThat(slabs).containsExactly(new CcfSlab(null, 0, 100_000L, 1_500, 0), new CcfSlab(PaymentMode.UPI, 0, null, 0, 0),
                new CcfSlab(PaymentMode.CREDIT_CARD, 0, null, 0, 120));
        assertThat(slabs.stream().map(PricingLines::line).toList())
                .containsExactly("0-100000:1500", "UPI 0-:0", "CREDIT_CARD 0-:120bps");
        assertThatThrownBy(() -> PricingLines.ccfSlabs("UPI WALLET 0-:1"))
                .isInstanceOfSatisfying(BillSwitchException.class, e -> assertThat(e.fields()).containsKey("slabs"));
    }
}
