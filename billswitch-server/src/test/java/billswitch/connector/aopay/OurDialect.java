package billswitch.connector.aopay;

/**
 * Answer bodies exactly as our own AOPay dialect renders them (AopayController's fetchAnswer, paymentBody,
 * v2Body and billStatus; AopayCodes' error envelope), field order and typos included: what a BillSwitch
 * upstream answers this connector with.
 */
final class OurDialect {

    /** FetchBilPaymentDetails for seed 000's account (the sandbox's documented bill). */
    static final String FETCHED = "{\"status\":true,\"response_code\":1,\"amount\":\"820.00\",\"name\":\"SALMAN\","
            + "\"duedate\":\"2021-01-06\",\"bill_fetch\":{\"billAmount\":\"820.0\",\"billnetamount\":\"820.0\","
            + "\"billdate\":\"01Jan1990\",\"dueDate\":\"2021-01-06\",\"acceptPayment\":true,\"acceptPartPay\":false,"
            + "\"cellNumber\":\"102277100\",\"userName\":\"SALMAN\"},\"message\":\"Bill fetched successfully for Airtel Postpaid.\"}";

    private OurDialect() {
    }

    /** BillPaymentPaybill's answer for Rs 100 to Airtel Postpaid; {@code outcome} ends the message. */
    static String payment(boolean status, int responseCode, String operatorId, String outcome) {
        return "{\"status\":" + status + ",\"response_code\":" + responseCode + ",\"operatorid\":\"" + operatorId + "\","
                + "\"ackno\":1000006,\"opening\":\"100000.00\",\"closing\":\"" + (status ? "99900.00" : "100000.00") + "\","
                + "\"message\":\"You Bill Payment for Airtel Postpaid of Amount 100 " + outcome + "\"}";
    }

    /** V2/MobileRecharge's and V2/RechargeStatus's answer for Rs 10 to Airtel Prepaid in this state. */
    static String recharge(String word, String reference, String txnId) {
        boolean failed = word.equals("FAILED") || word.equals("REFUNDED");
        String outcome = switch (word) {
            case "SUCCESS" -> "is successful";
            case "FAILED" -> "failed | Transaction failed";
            case "REFUNDED" -> "failed and was refunded";
            default -> "is pending";
        };
        return "{\"status\":" + !failed + ",\"msg\":\"" + (failed ? "error" : word.equals("SUCCESS") ? "success" : "pending")
                + "\",\"error\":" + (failed ? "\"Transaction failed\"" : "null") + ",\"statusCode\":" + (failed ? 401 : 200)
                + ",\"ReferanceID\":\"" + reference + "\",\"data\":{\"message\":\"Your payment for Airtel Prepaid of Rs 10 "
                + outcome + "\",\"txnId\":\"" + txnId + "\",\"status\":\"" + word + "\",\"ackno\":\"1000007\"},\"Status\":\""
                + (failed ? "FALSE" : word.equals("SUCCESS") ? "TRUE" : "PENDING") + "\",\"message\":\"\",\"Value\":\"\"}";
    }

    /** BillPaymentStatus's answer in this state. */
    static String billStatus(String word, int responseCode, String reference, String operatorId) {
        boolean refunded = word.equals("REFUNDED");
        return "{\"response_code\":" + responseCode + ",\"status\":true,\"data\":{\"txnid\":\"1000006\","
                + "\"operatorname\":\"Airtel Postpaid\",\"canumber\":\"102277100\",\"amount\":\"100.00\","
                + "\"comm\":\"" + (word.equals("SUCCESS") ? "0.50" : "0.00") + "\",\"tds\":\"0.00\",\"status\":\"" + word + "\","
                + "\"refid\":\"" + reference + "\",\"operatorid\":\"" + operatorId + "\",\"dateadded\":\"2024-01-15 15:30:00\","
                + "\"refunded\":\"" + (refunded ? "1" : "0") + "\",\"refundtxnid\":\"" + (refunded ? "R1000006" : "") + "\","
                + "\"daterefunded\":\"" + (refunded ? "2024-01-15 15:45:00" : "") + "\"},"
                + "\"message\":\"Transaction " + word.toLowerCase(java.util.Locale.ROOT) + "\"}";
    }
}
