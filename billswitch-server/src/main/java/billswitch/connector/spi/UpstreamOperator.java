package billswitch.connector.spi;

import java.util.List;

/**
 * One operator as an upstream lists it (Eko's "operators" and "operator parameters", AppotaPay's topup product
 * codes), in the upstream's own terms: {@code code} is what a route to that upstream names it by. Null where the
 * upstream does not say.
 */
public record UpstreamOperator(String code, String name, Boolean billFetch, Boolean highCommission, Boolean kycRequired,
                               Integer categoryProviderId, Integer locationProviderId, List<Param> params,
                               List<Product> products) {

    public UpstreamOperator {
        params = params == null ? null : List.copyOf(params);
        products = products == null ? null : List.copyOf(products);
    }

    /** A customer parameter: type is the upstream's word (Numeric, Decimal, AlphaNumeric, List). */
    public record Param(String name, String label, String type, String regex, String errorMessage, List<String> values) {
        public Param {
            values = values == null ? List.of() : List.copyOf(values);
        }
    }

    /** A fixed-amount product (a top-up denomination), its amount in the upstream's minor units. */
    public record Product(String code, long amount) {
    }

    public UpstreamOperator withParams(List<Param> newParams) {
        return new UpstreamOperator(code, name, billFetch, highCommission, kycRequired, categoryProviderId,
                locationProviderId, newParams, products);
    }
}
