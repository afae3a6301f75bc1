package billswitch.connector.aopay;

import billswitch.catalog.Operator;
import billswitch.catalog.Param;
import billswitch.connector.spi.Bill;
import billswitch.connector.spi.PaymentInstruction;
import billswitch.shared.Currency;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;

/** Operators, instructions and documented bodies the AOPay tests share (seeds 000 and 001, our dialect's shapes). */
final class AopayFixtures {
    static final String REGISTRATION_ID = "AOP-554";
    static final String SIGNING_KEY = "demo-aopay-secret";
    static final Instant NOW = Instant.parse("2024-01-15T10:00:00Z");

    /** Seed 000's bill_fetch, compact: what a fetch keeps as the bill's upstream context. */
    static final String SEED_000_BILL_FETCH = "{\"billAmount\":\"820.0\",\"billnetamount\":\"820.0\",\"billdate\":\"01Jan1990\","
            + "\"dueDate\":\"2021-01-06\",\"acceptPayment\":true,\"acceptPartPay\":false,\"cellNumber\":\"102277100\","
            + "\"userName\":\"SALMAN\"}";

    /** Seed 000's curl body, as printed. */
    static final String SEED_000_REQUEST = """
            {
              "operator": "11",
              "canumber": "102277100",
              "amount": "100",
              "referenceid": "20018575947",
              "latitude": "27.2232",
              "longitude": "78.26535",
              "RegistrationID": "AOP-554",
              "mode": "online",
              "bill_fetch": {
                "billAmount": "820.0",
                "billnetamount": "820.0",
                "billdate": "01Jan1990",
                "dueDate": "2021-01-06",
                "acceptPayment": true,
                "acceptPartPay": false,
                "cellNumber": "102277100",
                "userName": "SALMAN"
              }
            }""";

    /** Seed 000's body, compact, and its signature with {@link #SIGNING_KEY} (openssl dgst -sha256 -hmac ... | base64). */
    static final String SEED_000_COMPACT = "{\"operator\":\"11\",\"canumber\":\"102277100\",\"amount\":\"100\","
            + "\"referenceid\":\"20018575947\",\"latitude\":\"27.2232\",\"longitude\":\"78.26535\",\"RegistrationID\":\"AOP-554\","
            + "\"mode\":\"online\",\"bill_fetch\":" + SEED_000_BILL_FETCH + "}";
    static final String SEED_000_SIGNATURE = "5ptKLiGKxA+CucfNQKxTH5tkBfLG/RwyVFFKT5aKJE4=";

    /** Seed 001's body with a real number and our ReferenceID, and its signature with {@link #SIGNING_KEY}. */
    static final String SEED_001_REQUEST = "{\"RegistrationID\":\"AOP-554\",\"ProductID\":518,\"Amount\":10,"
            + "\"Geocode\":\"23.6784,76.8764\",\"CustomerNumber\":9876543276,\"ReferenceID\":\"BS42\"}";
    static final String SEED_001_SIGNATURE = "7z50nCpwFkVYRm0WKRge/BF35WMQtJOXe8uORrG+Ck8=";

    /** Seed 000's 200 example. */
    static final String SEED_000_SUCCESS = """
            {
              "status": true,
              "response_code": 1,
              "operatorid": "MockLazYafrYZ7",
              "ackno": 27113,
              "opening": "3935.00",
              "closing": "3835.00",
              "message": "You Bill Payment for Airtel of Amount 100 is successful."
            }""";

    /** Seed 000's 401 example. */
    static final String SEED_000_SIGNATURE_FAILED = """
            {
              "status": false,
              "response_code": 20,
              "message": "Signature verification failed"
            }""";

    /** Seed 001's 200 example. */
    static final String SEED_001_FAILED = """
            {
                "status": false,
                "msg": "error",
                "error": "Transaction failed",
                "statusCode": 401,
                "ReferanceID": null,
                "data": {
                               "message": "Your payment for Reliance Jio Bill Payment Prepaid failed | Transaction failed",
                               "txnId": "DGFIN4c31cf793a",
                               "status": "FAILED",
                               "ackno": "0"
                },
               "Status": "FALSE",
               "message": "",
               "Value": ""
            }""";

    /** Seed 001's 401 example. */
    static final String SEED_001_SIGNATURE_ENCODING = """
            {
              "status": false,
              "response_code": 5,
              "message": "Invalid signature encoding"
            }""";

    private AopayFixtures() {
    }

    static Operator airtelPostpaid() {
        return operator("airtel-postpaid", "Airtel Postpaid", Operator.Kind.POSTPAID, Currency.INR, "11", null, List.of());
    }

    static Operator mseb() {
        return operator("mseb", "MSEDCL (MSEB) Maharashtra", Operator.Kind.UTILITY, Currency.INR, "24", null,
                List.of(new Param("postalcode", "Postal Code (PIN)", Param.Type.Numeric, "^[1-9][0-9]{5}$", "PIN", true, false, null)));
    }

    /** A biller the catalog knows no AOPay code for. */
    static Operator uncodedBiller() {
        return operator("new-biller", "New Biller", Operator.Kind.UTILITY, Currency.INR, null, null, List.of());
    }

    static Operator airtelPrepaid() {
        return operator("airtel-prepaid", "Airtel Prepaid", Operator.Kind.PREPAID, Currency.INR, null, 518, List.of());
    }

    static Operator dishTv() {
        return operator("dish-tv", "Dish TV", Operator.Kind.DTH, Currency.INR, null, 522, List.of());
    }

    static Operator evnhn() {
        return operator("evnhn", "EVN Ha Noi", Operator.Kind.UTILITY, Currency.VND, null, null, List.of());
    }

    private static Operator operator(String id, String name, Operator.Kind kind, Currency currency, String aopayOperator,
                                     Integer aopayProductId, List<Param> extra) {
        List<Param> params = new java.util.ArrayList<>();
        params.add(new Param("account", "Account", Param.Type.AlphaNumeric, null, "account", true, true, null));
        params.addAll(extra);
        return new Operator(id, name, "category", null, kind, currency == Currency.INR ? "IN" : "VN", currency,
                Operator.FetchOption.OPTIONAL, Operator.Exactness.ADHOC, 100, 10_000_000, false,
                List.of(Operator.Channel.INSTANT, Operator.Channel.HIGH_COMMISSION), 0, 0, 0, false, "aopay", true,
                new Operator.ProviderCodes(aopayOperator, aopayProductId, null, null, null), params);
    }

    /** Seed 000 as an attempt: its reference, its location as the geocode parameter, its fetched bill. */
    static PaymentInstruction seed000() {
        Bill bill = new Bill(82_000, "SALMAN", null, null, LocalDate.of(1990, 1, 1), LocalDate.of(2021, 1, 6), false,
                SEED_000_BILL_FETCH);
        return new PaymentInstruction(7, 11, "20018575947", airtelPostpaid(), "11", "102277100",
                Map.of("geocode", "27.2232,78.26535"), 10_000, Operator.Channel.INSTANT, null, bill, NOW);
    }

    /** Seed 001 as an attempt of ours: Rs 10 to Airtel prepaid 9876543276, reference BS42. */
    static PaymentInstruction seed001() {
        return recharge(airtelPrepaid(), "518", "9876543276", 1_000, "BS42");
    }

    static PaymentInstruction recharge(Operator operator, String upstreamCode, String number, long amountMinor, String reference) {
        return new PaymentInstruction(8, 42, reference, operator, upstreamCode, number, Map.of(), amountMinor,
                Operator.Channel.INSTANT, null, null, NOW);
    }

    static PaymentInstruction bill(Operator operator, String upstreamCode, String account, long amountMinor,
                                   Map<String, String> params, Operator.Channel channel) {
        return new PaymentInstruction(9, 43, "BS43", operator, upstreamCode, account, params, amountMinor, channel, null,
                null, NOW);
    }
}
