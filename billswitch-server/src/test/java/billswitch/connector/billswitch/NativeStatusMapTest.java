package billswitch.connector.billswitch;

import static java.util.Map.entry;
import static org.assertj.core.api.Assertions.assertThat;

import billswitch.connector.spi.BillResult;
import billswitch.connector.spi.ConnectorResult;
import billswitch.connector.spi.Outcome;
import billswitch.payment.OrderStatus;
import billswitch.shared.ErrorCode;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The status map as a table: every value of the upstream's error catalog and every transaction status, iterated
 * from the enums themselves, so a code or a status added to BillSwitch fails here until this table says what
 * it means.
 */
class NativeStatusMapTest {
    /** What a payment (or a fetch) refused with each code is: F = FAILED, E = FAILED and try elsewhere, U = UNKNOWN. */
    private static final Map<ErrorCode, Character> REFUSAL = Map.ofEntries(
            entry(ErrorCode.MALFORMED_JSON, 'F'),
            entry(ErrorCode.INVALID_REQUEST, 'F'),
            entry(ErrorCode.INVALID_PARAMETER, 'F'),
            entry(ErrorCode.UNSUPPORTED_CURRENCY, 'F'),
            entry(ErrorCode.MISSING_IDEMPOTENCY_KEY, 'F'),
            entry(ErrorCode.BODY_TOO_LARGE, 'F'),
            entry(ErrorCode.UNSUPPORTED_MEDIA_TYPE, 'F'),
            entry(ErrorCode.NOT_FOUND, 'F'),
            entry(ErrorCode.METHOD_NOT_ALLOWED, 'F'),
            // refused our credentials or address, in the auth filter before anything
            entry(ErrorCode.MISSING_CREDENTIALS, 'E'),
            entry(ErrorCode.UNKNOWN_API_KEY, 'E'),
            entry(ErrorCode.INVALID_SIGNATURE, 'E'),
            entry(ErrorCode.MALFORMED_SIGNATURE, 'E'),
            entry(ErrorCode.STALE_TIMESTAMP, 'E'),
            // these very bytes were received before: the first copy may have paid
            entry(ErrorCode.REPLAYED_REQUEST, 'U'),
            entry(ErrorCode.ADMIN_UNAUTHORIZED, 'E'),
            entry(ErrorCode.ADMIN_FORBIDDEN, 'E'),
            entry(ErrorCode.PARTNER_SUSPENDED, 'E'),
            entry(ErrorCode.IP_NOT_ALLOWED, 'E'),
            entry(ErrorCode.INITIATOR_MISMATCH, 'E'),
            entry(ErrorCode.UNKNOWN_USER_CODE, 'E'),
            // an order with our reference exists there
            entry(ErrorCode.IDEMPOTENCY_KEY_REUSED, 'U'),
            entry(ErrorCode.REQUEST_IN_PROGRESS, 'U'),
            entry(ErrorCode.UNKNOWN_OPERATOR, 'F'),
            entry(ErrorCode.OPERATOR_DISABLED, 'E'),
            entry(ErrorCode.OPERATION_NOT_SUPPORTED, 'F'),
            entry(ErrorCode.CHANNEL_NOT_SUPPORTED, 'F'),
            entry(ErrorCode.UNKNOWN_PRODUCT, 'F'),
            entry(ErrorCode.CURRENCY_MISMATCH, 'F'),
            entry(ErrorCode.AMOUNT_OUT_OF_RANGE, 'F'),
            entry(ErrorCode.AMOUNT_NOT_ALLOWED, 'F'),
            entry(ErrorCode.BILL_NOT_FETCHED, 'F'),
            entry(ErrorCode.BILL_FETCH_FAILED, 'F'),
            // our float there is short: the hold was refused, nothing kept
            entry(ErrorCode.INSUFFICIENT_FUNDS, 'E'),
            // never answered to a payment: nothing to act on
            entry(ErrorCode.TRANSACTION_NOT_FOUND, 'U'),
            entry(ErrorCode.PARTNER_NOT_FOUND, 'U'),
            entry(ErrorCode.PARTNER_EXISTS, 'U'),
            entry(ErrorCode.NOT_IN_REVIEW, 'U'),
            entry(ErrorCode.EVENT_NOT_FOUND, 'U'),
            entry(ErrorCode.CONNECTOR_NOT_FOUND, 'U'),
            entry(ErrorCode.CONNECTOR_EXISTS, 'U'),
            entry(ErrorCode.CONNECTOR_IN_USE, 'U'),
            entry(ErrorCode.CATALOG_CONFLICT, 'U'),
            entry(ErrorCode.IDENTITY_NOT_FOUND, 'U'),
            entry(ErrorCode.IDENTITY_EXISTS, 'U'),
            entry(ErrorCode.APPROVAL_NOT_FOUND, 'U'),
            entry(ErrorCode.APPROVAL_DECIDED, 'U'),
            entry(ErrorCode.COMPLAINT_NOT_FOUND, 'U'),
            entry(ErrorCode.COMPLAINT_EXISTS, 'U'),
            entry(ErrorCode.COMPLAINT_CLOSED, 'U'),
            entry(ErrorCode.NOT_REFUNDABLE, 'U'),
            entry(ErrorCode.NO_ROUTE, 'E'),
            entry(ErrorCode.UPSTREAM_UNAVAILABLE, 'E'),
            // its batch queue was full: nothing of the payment was done
            entry(ErrorCode.BUSY, 'E'),
            // over the upstream's per-partner limits: refused before anything was read or written
            entry(ErrorCode.RATE_LIMITED, 'E'),
            // its database failing over: also answered to a repeat of a reference already paid there
            entry(ErrorCode.DATABASE_UNAVAILABLE, 'U'),
            entry(ErrorCode.INTERNAL_ERROR, 'U'));

    /** Every transaction status the upstream reports, by its own OrderStatus. */
    private static final Map<OrderStatus, Outcome> TRANSACTION = Map.of(
            OrderStatus.INITIATED, Outcome.UNKNOWN,
            OrderStatus.PENDING, Outcome.PENDING,
            OrderStatus.UNKNOWN, Outcome.UNKNOWN,
            OrderStatus.NEEDS_REVIEW, Outcome.UNKNOWN,
            OrderStatus.SUCCESS, Outcome.SUCCESS,
            OrderStatus.FAILED, Outcome.FAILED,
            OrderStatus.REFUNDED, Outcome.FAILED);

    @Test
    void everyErrorCodeOfThePaymentCallsIsMapped() {
        for (ErrorCode code : ErrorCode.values()) {
            assertThat(REFUSAL).as("the meaning of %s", code).containsKey(code);
            ConnectorResult result = NativeStatusMap.paymentRefused(code.name(), code.defaultMessage());
            ConnectorResult expected = switch (REFUSAL.get(code)) {
                case 'F' -> ConnectorResult.of(Outcome.FAILED, null, code.name(), code.defaultMessage());
                case 'E' -> ConnectorResult.failedTryElsewhere(code.name(), code.defaultMessage());
                default -> ConnectorResult.of(Outcome.UNKNOWN, null, code.name(), code.defaultMessage());
            };
            assertThat(result).as(code.name()).isEqualTo(expected);
        }
    }

    @Test
    void everyErrorCodeOfAFetchIsMappedAlike() {
        for (ErrorCode code : ErrorCode.values()) {
            BillResult result = NativeStatusMap.fetchRefused(code.name(), code.defaultMessage());
            BillResult expected = switch (REFUSAL.get(code)) {
                case 'F' -> BillResult.of(Outcome.FAILED, code.name(), code.defaultMessage());
                case 'E' -> new BillResult(Outcome.FAILED, null, code.name(), code.defaultMessage(), true);
                default -> BillResult.of(Outcome.UNKNOWN, code.name(), code.defaultMessage());
            };
            assertThat(result).as(code.name()).isEqualTo(expected);
        }
    }

    @Test
    void aStatusEnquiryRefusedIsUnknownSaveTheUpstreamHavingNoSuchTransaction() {
        for (ErrorCode code : ErrorCode.values()) {
            Outcome expected = code == ErrorCode.TRANSACTION_NOT_FOUND ? Outcome.FAILED : Outcome.UNKNOWN;
            assertThat(NativeStatusMap.enquiryRefused(code.name(), code.defaultMessage()))
                    .as(code.name()).isEqualTo(ConnectorResult.of(expected, null, code.name(), code.defaultMessage()));
        }
    }

    @Test
    void aCodeTheCatalogDoesNotHaveIsUnknownNeverFailed() {
        assertThat(NativeStatusMap.paymentRefused("DAILY_LIMIT_REACHED", "?").outcome()).isEqualTo(Outcome.UNKNOWN);
        assertThat(NativeStatusMap.fetchRefused("DAILY_LIMIT_REACHED", "?").outcome()).isEqualTo(Outcome.UNKNOWN);
        assertThat(NativeStatusMap.enquiryRefused("DAILY_LIMIT_REACHED", "?").outcome()).isEqualTo(Outcome.UNKNOWN);
        assertThat(NativeStatusMap.paymentRefused("insufficient_funds", "?").outcome()).isEqualTo(Outcome.UNKNOWN);
    }

    @Test
    void everyTransactionStatusIsMappedAndAFailureIsNeverSentElsewhere() {
        for (OrderStatus status : OrderStatus.values()) {
            assertThat(TRANSACTION).as("the outcome of %s", status).containsKey(status);
            ConnectorResult result = NativeStatusMap.transaction(status.name(), "OPREF", "m");
            assertThat(result).as(status.name())
                    .isEqualTo(ConnectorResult.of(TRANSACTION.get(status), "OPREF", status.name(), "m"));
            assertThat(result.tryElsewhere()).isFalse();
        }
        assertThat(NativeStatusMap.transaction("SETTLING", null, "m").outcome()).isEqualTo(Outcome.UNKNOWN);
    }
}
