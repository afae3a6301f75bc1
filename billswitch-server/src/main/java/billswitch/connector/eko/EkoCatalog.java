package billswitch.connector.eko;

import billswitch.connector.spi.UpstreamOperator;
import java.util.ArrayList;
import java.util.List;
import tools.jackson.databind.JsonNode;

/**
 * Reads Eko's catalog answers (protocols.md): GET /ekoapi/v2/billpayments/operators →
 * {@code data[{operator_id, name, billFetchResponse, high_commission_channel, kyc_required, operator_category,
 * location_id}]}, and GET /ekoapi/v2/billpayments/operators/{id} → {@code {operator_id, fetchBill,
 * data[{param_name, param_label, param_type, regex, error_message, list_elements}]}} (v3: lists under
 * param_attributes.list_elements). Throws IllegalArgumentException, saying where, when an answer is not one.
 */
public final class EkoCatalog {
    private EkoCatalog() {
    }

    public static List<UpstreamOperator> operators(JsonNode answer) {
        JsonNode data = refusedOrData(answer, "the operators answer");
        List<UpstreamOperator> operators = new ArrayList<>();
        for (JsonNode o : data) {
            String code = text(o, "operator_id");
            if (code == null) {
                throw new IllegalArgumentException("an operator of the operators answer has no operator_id");
            }
            operators.add(new UpstreamOperator(code, text(o, "name"), flag(o, "billFetchResponse"),
                    flag(o, "high_commission_channel"), flag(o, "kyc_required"), number(o, "operator_category"),
                    number(o, "location_id"), null, null));
        }
        return operators;
    }

    /** The operator_id an operator-parameters answer is about, and its parameters. */
    public record OperatorParams(String code, List<UpstreamOperator.Param> params) {
    }

    public static OperatorParams params(JsonNode answer) {
        JsonNode data = refusedOrData(answer, "the operator parameters answer");
        List<UpstreamOperator.Param> params = new ArrayList<>();
        for (JsonNode p : data) {
            JsonNode list = p.has("list_elements") ? p.get("list_elements") : p.path("param_attributes").get("list_elements");
            List<String> values = new ArrayList<>();
            if (list != null && list.isArray()) {
                list.forEach(v -> values.add(v.isObject() ? firstText(v) : v.asString()));
            }
            params.add(new UpstreamOperator.Param(text(p, "param_name"), text(p, "param_label"), text(p, "param_type"),
                    text(p, "regex"), text(p, "error_message"), values));
        }
        return new OperatorParams(text(answer, "operator_id"), params);
    }

    private static JsonNode refusedOrData(JsonNode answer, String what) {
        if (answer == null || !answer.isObject()) {
            throw new IllegalArgumentException(what + " is not a JSON object");
        }
        JsonNode status = answer.get("status");
        if (status != null && status.isNumber() && status.intValue() != 0) {
            throw new IllegalArgumentException(what + " is a refusal: status " + status.intValue() + " "
                    + answer.path("message").asString(""));
        }
        JsonNode data = answer.get("data");
        if (data == null || !data.isArray()) {
            throw new IllegalArgumentException(what + " has no data array");
        }
        return data;
    }

    private static String firstText(JsonNode object) {
        for (JsonNode v : object) {
            if (v.isString()) {
                return v.stringValue();
            }
        }
        return object.toString();
    }

    private static String text(JsonNode node, String field) {
        JsonNode v = node.get(field);
        if (v == null || v.isNull() || v.isContainer()) {
            return null;
        }
        String s = v.asString();
        return s.isBlank() ? null : s;
    }

    private static Boolean flag(JsonNode node, String field) {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        return v.isBoolean() ? v.booleanValue() : !"0".equals(v.asString()) && !v.asString().isBlank();
    }

    private static Integer number(JsonNode node, String field) {
        String s = text(node, field);
        return s != null && s.matches("^-?[0-9]{1,9}$") ? Integer.valueOf(s) : null;
    }
}
