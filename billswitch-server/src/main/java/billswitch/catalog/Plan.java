package billswitch.catalog;

/** A recharge plan (India) or top-up product code (Vietnam) with its fixed amount. */
public record Plan(String operatorId, String code, String locationId, long amountMinor, String description, String validity) {
}
