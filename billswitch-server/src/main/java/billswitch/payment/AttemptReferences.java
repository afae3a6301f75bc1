package billswitch.payment;

import java.util.HexFormat;
import java.security.SecureRandom;
import java.util.OptionalLong;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * The reference an attempt is sent upstream with: this installation's prefix (table installation, drawn once
 * when the database was made) followed by the attempt's id, e.g. {@code BS3FA9C21000123}. Unique per attempt and
 * derivable from it, so the upstream's duplicate check and a status enquiry after a crash both find the attempt;
 * and a callback's reference leads back to the attempt. Letters and digits only, at most 27 characters: every
 * provider's client-reference field takes it.
 */
@Component
class AttemptReferences {
    private static final SecureRandom RANDOM = new SecureRandom();

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

    /** A fresh reference for a bill fetch (fetches move no money and have no attempt id before they are answered). */
    String forFetch() {
        byte[] random = new byte[6];
        RANDOM.nextBytes(random);
        return prefix + "F" + HexFormat.of().withUpperCase().formatHex(random);
    }
}
