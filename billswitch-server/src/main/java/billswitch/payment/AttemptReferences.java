package billswitch.payment;

import java.security.SecureRandom;
import java.util.Locale;
import java.util.OptionalLong;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * The reference an attempt is sent upstream with: this installation's prefix (table installation, drawn once
 * when the database was made) followed by the attempt's id, e.g. {@code BS3FA9C21000123}. Unique per attempt and
 * derivable from it, so the upstream's duplicate check and a status enquiry after a crash both find the attempt;
 * and a callback's reference leads back to the attempt. Capital letters and digits only, and at most 19 characters
 * (a fetch's always, an attempt's while its id is below 10^11): Eko's client_ref_id, the shortest client-reference
 * field of the providers', takes 6 to 19.
 */
@Component
class AttemptReferences {
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final int FETCH_RANDOM_DIGITS = 10;
    /** 36^10: ten base-36 digits. */
    private static final long FETCH_RANDOM_BOUND = 3_656_158_440_062_976L;

    private final String prefix;

    AttemptReferences(JdbcClient jdbc) {
        this.prefix = jdbc.sql("select reference_prefix from installation").query(String.class).single();
    }

    String of(long attemptId) {
        return prefix + attemptId;
    }

    /** The attempt a reference of ours names; empty when it is not one. */
    OptionalLong attemptOf(String reference) {
        if (reference == null || !reference.startsWith(prefix) || reference.length() == prefix.length()
                || reference.length() > prefix.length() + 18) {
            return OptionalLong.empty();
        }
        String digits = reference.substring(prefix.length());
        for (int i = 0; i < digits.length(); i++) {
            if (!Character.isDigit(digits.charAt(i)) || digits.charAt(i) > '9') {
                return OptionalLong.empty();
            }
        }
        return OptionalLong.of(Long.parseLong(digits));
    }

    /**
     * A fresh reference for a bill fetch (fetches move no money and have no attempt id before they are answered): the
     * prefix, "F" and 10 random base-36 digits (51 bits), 19 characters in all.
     */
    String forFetch() {
        String random = Long.toString(RANDOM.nextLong(FETCH_RANDOM_BOUND), Character.MAX_RADIX).toUpperCase(Locale.ROOT);
        return prefix + "F" + "0".repeat(FETCH_RANDOM_DIGITS - random.length()) + random;
    }
}
