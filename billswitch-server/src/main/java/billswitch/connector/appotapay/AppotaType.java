package billswitch.connector.appotapay;

import billswitch.connector.http.Protocol;
import billswitch.connector.http.ProtocolType;
import java.util.List;
import java.util.Map;
import org.springframework.stereotype.Component;

/**
 * The connector type "appotapay": AppotaPay's bill (check, pay, transaction), top-up (charging, transaction) and
 * balance API, as its client. Credentials, all three required and non-blank: {@code partnerCode} (the JWT's iss),
 * {@code apiKey} (its api_key and jti) and {@code secretKey} (signs the JWT, our requests' signature, and checks
 * the signature of AppotaPay's answers and callbacks). See {@link AppotaProtocol}.
 */
@Component
public final class AppotaType implements ProtocolType {
    static final String PARTNER_CODE = "partnerCode";
    static final String API_KEY = "apiKey";
    static final String SECRET_KEY = "secretKey";
    private static final List<String> CREDENTIALS = List.of(PARTNER_CODE, API_KEY, SECRET_KEY);

    @Override
    public String type() {
        return "appotapay";
    }

    @Override
    public List<String> credentialNames() {
        return CREDENTIALS;
    }

    @Override
    public List<String> requiredCredentials() {
        return CREDENTIALS;
    }

    /** Refuses a missing, blank or unknown credential, naming it (never its value). */
    @Override
    public Protocol create(Map<String, String> credentials) {
        for (String name : credentials.keySet()) {
            if (!CREDENTIALS.contains(name)) {
                throw new IllegalArgumentException("appotapay takes no credential " + name + "; it takes " + CREDENTIALS);
            }
        }
        for (String name : CREDENTIALS) {
            String value = credentials.get(name);
            if (value == null || value.isBlank()) {
                throw new IllegalArgumentException("appotapay needs the credential " + name);
            }
        }
        return new AppotaProtocol(new AppotaKeys(credentials.get(PARTNER_CODE), credentials.get(API_KEY),
                credentials.get(SECRET_KEY)));
    }
}
