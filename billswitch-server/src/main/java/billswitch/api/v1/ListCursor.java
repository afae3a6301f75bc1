package billswitch.api.v1;

import billswitch.payment.Order;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;

/**
 * Where a page of GET /v1/transactions ended: the last payment's creation time (microseconds, as PostgreSQL keeps
 * it) and id, opaque to the partner (base64url). Stable under inserts: the next page starts strictly after it.
 */
record ListCursor(Instant createdAt, long id) {

    static String of(Order last) {
        long micros = ChronoUnit.MICROS.between(Instant.EPOCH, last.createdAt());
        return Base64.getUrlEncoder().withoutPadding()
                .encodeToString(("t1:" + micros + ":" + last.id()).getBytes(StandardCharsets.US_ASCII));
    }

    /** The cursor, or null when the text is not one this listing gave. */
    static ListCursor parse(String text) {
        try {
            String[] parts = new String(Base64.getUrlDecoder().decode(text), StandardCharsets.US_ASCII).split(":");
            if (parts.length != 3 || !parts[0].equals("t1")) {
                return null;
            }
            return new ListCursor(Instant.EPOCH.plus(Long.parseLong(parts[1]), ChronoUnit.MICROS), Long.parseLong(parts[2]));
        } catch (IllegalArgumentException | ArithmeticException | java.time.DateTimeException e) {
            return null;
        }
    }
}
