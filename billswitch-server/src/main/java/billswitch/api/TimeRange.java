package billswitch.api;

import billswitch.shared.BillSwitchException;
import billswitch.shared.ErrorCode;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A range of creation times from query parameters {@code from} and {@code to}, each optional: a date
 * ({@code 2026-12-01}, a UTC day: {@code from} at its start, {@code to} through its end) or an ISO-8601 instant with
 * an explicit offset ({@code 2026-12-01T09:30:00+05:30}, {@code ...Z}: {@code to} exclusive). Bad values are
 * INVALID_REQUEST naming each field; {@code from} after {@code to} too.
 */
public record TimeRange(Instant from, Instant to) {

    public static TimeRange parse(String from, String to) {
        Map<String, String> problems = new LinkedHashMap<>();
        Instant start = instant("from", from, false, problems);
        Instant end = instant("to", to, true, problems);
        if (problems.isEmpty() && start != null && end != null && start.isAfter(end)) {
            problems.put("to", "must not be before from");
        }
        if (!problems.isEmpty()) {
            throw new BillSwitchException(ErrorCode.INVALID_REQUEST, "Invalid query parameters: " + problems + ".",
                    problems);
        }
        return new TimeRange(start, end);
    }

    private static Instant instant(String name, String value, boolean end, Map<String, String> problems) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            if (value.length() == 10) {
                LocalDate day = LocalDate.parse(value);
                return (end ? day.plusDays(1) : day).atStartOfDay(ZoneOffset.UTC).toInstant();
            }
            return OffsetDateTime.parse(value).toInstant();
        } catch (DateTimeParseException e) {
            problems.put(name, "must be a date (2026-12-01, UTC) or an ISO-8601 time with an offset (2026-12-01T09:30:00+05:30)");
            return null;
        }
    }
}
