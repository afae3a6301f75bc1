package io.billswitch.client;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Checks a webhook delivery's {@code BillSwitch-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256(webhook secret,
 * t + "." + raw body)>} (README "Webhooks"): recomputed over the raw body bytes as received, compared in constant
 * time, and refused when {@code t} is further than the tolerance (default 5 minutes) from this clock.
 */
public final class WebhookVerifier {
    /** The header that carries the signature. */
    public static final String HEADER = "BillSwitch-Signature";

    private final byte[] secret;
    private final Duration tolerance;
    private final Clock clock;

    public WebhookVerifier(String webhookSecret) {
        this(webhookSecret, Duration.ofMinutes(5), Clock.systemUTC());
    }

    public WebhookVerifier(String webhookSecret, Duration tolerance, Clock clock) {
        this.secret = webhookSecret.getBytes(StandardCharsets.UTF_8);
        this.tolerance = tolerance;
        this.clock = clock;
    }

    /** True when {@code signatureHeader} signs exactly {@code rawBody} with this secret, recently enough. */
    public boolean verify(String signatureHeader, byte[] rawBody) {
        if (signatureHeader == null || rawBody == null) {
            return false;
        }
        String t = null;
        String v1 = null;
        for (String part : signatureHeader.split(",")) {
            int eq = part.indexOf('=');
            if (eq < 0) {
                continue;
            }
            String name = part.substring(0, eq).trim();
            String value = part.substring(eq + 1).trim();
            if (name.equals("t")) {
                t = value;
            } else if (name.equals("v1") && v1 == null) {
                v1 = value;
            }
        }
        if (t == null || v1 == null || !t.matches("[0-9]{1,12}")) {
            return false;
        }
        long sentAt = Long.parseLong(t);
        if (Math.abs(clock.instant().getEpochSecond() - sentAt) > tolerance.toSeconds()) {
            return false;
        }
        byte[] expected = HexFormat.of().formatHex(hmac(t, rawBody)).getBytes(StandardCharsets.US_ASCII);
        return MessageDigest.isEqual(expected, v1.getBytes(StandardCharsets.US_ASCII));
    }

    /** The same, for a body received as text (UTF-8). */
    public boolean verify(String signatureHeader, String rawBody) {
        return verify(signatureHeader, rawBody == null ? null : rawBody.getBytes(StandardCharsets.UTF_8));
    }

    private byte[] hmac(String t, byte[] body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret, "HmacSHA256"));
            mac.update((t + ".").getBytes(StandardCharsets.US_ASCII));
            return mac.doFinal(body);
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException(e);
        }
    }
}
