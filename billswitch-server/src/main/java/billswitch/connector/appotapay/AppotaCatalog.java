package billswitch.connector.appotapay;

import billswitch.connector.spi.UpstreamOperator;
import java.util.ArrayList;
import java.util.List;
import tools.jackson.databind.JsonNode;

/**
 * Reads AppotaPay's topup product codes (protocols.md): GET /api/v2/service/topup/productCodes →
 * {@code {errorCode, data[{telco, description, products[{id, productCode, amount}]}]}}: one upstream operator per
 * telco (its code the telco, in lowercase as the catalog keeps it), its products the plans. Throws
 * IllegalArgumentException, saying where, when the answer is not one.
 */
public final class AppotaCatalog {
    private AppotaCatalog() {
    }

    public static List<UpstreamOperator> topupProducts(JsonNode answer) {
        if (answer == null || !answer.isObject()) {
            throw new IllegalArgumentException("the productCodes answer is not a JSON object");
        }
        JsonNode errorCode = answer.get("errorCode");
        if (errorCode != null && errorCode.asInt(-1) != 0) {
            throw new IllegalArgumentException("the productCodes answer is a refusal: errorCode " + errorCode.asString()
                    + " " + answer.path("message").asString(""));
        }
        JsonNode data = answer.get("data");
        if (data == null || !data.isArray()) {
            throw new IllegalArgumentException("the productCodes answer has no data array");
        }
        List<UpstreamOperator> telcos = new ArrayList<>();
        int i = 0;
        for (JsonNode t : data) {
            String at = "data[" + i++ + "]";
            JsonNode telco = t.get("telco");
            if (telco == null || !telco.isString() || telco.stringValue().isBlank()) {
                throw new IllegalArgumentException(at + " has no telco");
            }
            List<UpstreamOperator.Product> products = new ArrayList<>();
            int j = 0;
            for (JsonNode p : t.path("products")) {
                JsonNode code = p.get("productCode");
                JsonNode amount = p.get("amount");
                if (code == null || code.asString().isBlank() || amount == null || !amount.canConvertToLong()
                        || amount.isFloatingPointNumber() && amount.doubleValue() != Math.rint(amount.doubleValue())) {
                    throw new IllegalArgumentException(at + ".products[" + j + "] needs a productCode and a whole amount");
                }
                products.add(new UpstreamOperator.Product(code.asString(), amount.asLong()));
                j++;
            }
            String description = t.path("description").asString("");
            telcos.add(new UpstreamOperator(telco.stringValue().toLowerCase(java.util.Locale.ROOT),
                    description.isBlank() ? telco.stringValue() : description, false, null, null, null, null, null, products));
        }
        return telcos;
    }
}
