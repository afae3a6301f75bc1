package billswitch.api.dialect;

import org.slf4j.Logger;

/**
 * How a dialect logs a caller it refused at authentication. The caller hears the same answer whether its
 * key id is unknown or its signature is wrong (so the answer does not tell which keys exist); the log
 * tells the two apart, with the key id as presented (printable characters only, at most 64) and the address.
 */
public final class RefusedCallers {
    private static final int MAX_KEY_ID = 64;

    private RefusedCallers() {
    }

    public static void log(Logger log, String dialect, String why, String keyId, String address) {
        log.warn("{} caller refused: {} (key id '{}', from {})", dialect, why, printable(keyId), address);
    }

    /** The key id as it may appear in a log line: no control characters, no line breaks, bounded. */
    static String printable(String keyId) {
        if (keyId == null) {
            return "";
        }
        StringBuilder out = new StringBuilder(Math.min(keyId.length(), MAX_KEY_ID));
        for (int i = 0; i < keyId.length() && out.length() < MAX_KEY_ID; i++) {
            char c = keyId.charAt(i);
            out.append(c >= 0x20 && c < 0x7f ? c : '?');
        }
        return keyId.length() > MAX_KEY_ID ? out + "..." : out.toString();
    }
}
