package billswitch.connector.eko;

import billswitch.catalog.Operator;
import billswitch.catalog.Param;
import billswitch.connector.spi.Bill;
import billswitch.connector.spi.PaymentInstruction;
import billswitch.shared.Currency;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * What the Eko connector's tests share: Eko's published sandbox credentials, the moment of protocols.md's test
 * vectors, catalog operators as the sandbox catalog has them, and an HMAC written from seed 003 apart from the
 * connector's own signer.
 */
final class EkoFixtures {
    static final String DEVELOPER_KEY = "becbbce45f79c6f5109f848acd540567";
    static final String ACCESS_KEY = "d2fe1d99-6298-4af2-8cc5-d97dcf46df30";
    static final String INITIATOR = "9962981729";
    static final String USER_CODE = "20810200";
    /** protocols.md's vectors are made at this moment. */
    static final Instant NOW = Instant.ofEpochMilli(1_700_000_000_000L);
    static final String SECRET_KEY_AT_NOW = "qIir8tILHtqxO1Mu3/fC3pVElIa0oIxXMRDUP0463Bc=";
    /** request_hash at NOW for account 151627591, amount "50", user_code 20810200. */
    static final String SEED_REQUEST_HASH = "TO65c2+vieXFx4+yDLN50NoAHe1fnfyWfIAB2NJkiNc=";
    static final String REFERENCE = "BS1000003";

    static final Operator BSES = operator("bses-rajdhani", Operator.Kind.UTILITY, Currency.INR, 22,
            List.of(param("utility_acc_no", true)));
    static final Operator AIRTEL = operator("airtel-prepaid", Operator.Kind.PREPAID, Currency.INR, 400,
            List.of(param("mobile_number", true)));
    static final Operator MSEB = operator("mseb", Operator.Kind.UTILITY, Currency.INR, 25,
            List.of(param("utility_acc_no", true), param("postalcode", false)));
    static final Operator VIETTEL = operator("viettel", Operator.Kind.PREPAID, Currency.VND, null,
            List.of(param("phone", true)));

    private EkoFixtures() {
    }

    static Clock clock() {
        return Clock.fixed(NOW, ZoneOffset.UTC);
    }

    static EkoProtocol protocol(Clock clock) {
        return new EkoProtocol(DEVELOPER_KEY, ACCESS_KEY, INITIATOR, USER_CODE, clock);
    }

    static PaymentInstruction payment(Operator operator, String account, long amountMinor) {
        return payment(operator, account, amountMinor, Map.of(), Operator.Channel.INSTANT, null);
    }

    static PaymentInstruction payment(Operator operator, String account, long amountMinor, Map<String, String> params,
                                      Operator.Channel channel, Bill bill) {
        return new PaymentInstruction(1_000_003L, 1_000_003L, REFERENCE, operator,
                operator.codes().ekoOperatorId() == null ? "1" : operator.codes().ekoOperatorId().toString(), account,
                params, amountMinor, channel, null, bill, NOW);
    }

    /** base64(HMAC-SHA256(ASCII of base64(access key), message)), as seed 003's samples compute it. */
    static String seedHmac(String accessKey, String message) {
        try {
            String encodedKey = Base64.getEncoder().encodeToString(accessKey.getBytes(StandardCharsets.UTF_8));
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(encodedKey.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return Base64.getEncoder().encodeToString(mac.doFinal(message.getBytes(StandardCharsets.UTF_8)));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static Operator operator(String id, Operator.Kind kind, Currency currency, Integer ekoId, List<Param> params) {
        return new Operator(id, id, "category", "IN-ALL", kind, currency.name().equals("INR") ? "IN" : "VN", currency,
                Operator.FetchOption.OPTIONAL, Operator.Exactness.ADHOC, 100, 100_000_000, false,
                List.of(Operator.Channel.INSTANT, Operator.Channel.HIGH_COMMISSION), 0, 0, 0, false, "eko", true,
                new Operator.ProviderCodes(null, null, ekoId, null, null), params);
    }

    private static Param param(String name, boolean account) {
        return new Param(name, name, Param.Type.AlphaNumeric, null, name + " is wrong", true, account, null);
    }
}
