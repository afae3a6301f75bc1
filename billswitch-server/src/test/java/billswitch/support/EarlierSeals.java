package billswitch.support;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/** Sealed values of the forms SecretBox wrote before, made here independently of it, as an upgraded database holds them. */
public final class EarlierSeals {
    private EarlierSeals() {
    }

    /** Before key ids and places: base64 of IV + ciphertext, no associated data. */
    public static String unbound(String base64Key, String text) throws Exception {
        return base64(seal(base64Key, text, null));
    }

    /** v2: the key id, bound to table + column + row key only (not to the row's partner, dialect or base URL). */
    public static String rowKeyOnly(String base64Key, String text, String table, String column, String row) throws Exception {
        ByteBuffer aad = ByteBuffer.allocate(2 + 12 + (table.length() + column.length() + row.length()) * 4);
        aad.put("v2".getBytes(StandardCharsets.US_ASCII));
        for (String part : new String[] {table, column, row}) {
            byte[] bytes = part.getBytes(StandardCharsets.UTF_8);
            aad.putInt(bytes.length).put(bytes);
        }
        byte[] associated = new byte[aad.position()];
        aad.flip().get(associated);
        return "v2:" + keyId(base64Key) + ":" + base64(seal(base64Key, text, associated));
    }

    public static String keyId(String base64Key) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Base64.getDecoder().decode(base64Key)), 0, 4);
    }

    private static byte[] seal(String base64Key, String text, byte[] associated) throws Exception {
        byte[] iv = new byte[12];
        new SecureRandom().nextBytes(iv);
        Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
        cipher.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(Base64.getDecoder().decode(base64Key), "AES"),
                new GCMParameterSpec(128, iv));
        if (associated != null) {
            cipher.updateAAD(associated);
        }
        byte[] sealed = cipher.doFinal(text.getBytes(StandardCharsets.UTF_8));
        return ByteBuffer.allocate(iv.length + sealed.length).put(iv).put(sealed).array();
    }

    private static String base64(byte[] bytes) {
        return Base64.getEncoder().encodeToString(bytes);
    }
}
