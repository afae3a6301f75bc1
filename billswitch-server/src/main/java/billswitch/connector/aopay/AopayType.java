package billswitch.connector.aopay;

import billswitch.connector.http.Protocol;
import billswitch.connector.http.ProtocolType;
import java.util.List;
import java.util.Map;
import org.springframework.stereotype.Component;

/**
 * The {@code aopay} connector type: AOPay reached as its client through {@link AopayProtocol}. Credentials:
 * {@code registrationId} (required: the RegistrationID AOPay gave us, sent in every body) and {@code signingKey}
 * (optional: the HMAC key that signs our requests and authenticates AOPay's callbacks; without it our requests
 * go unsigned from an address AOPay allow-lists, and no callback is accepted).
 */
@Component
class AopayType implements ProtocolType {
    static final String REGISTRATION_ID = "registrationId";
    static final String SIGNING_KEY = "signingKey";

    @Override
    public String type() {
        return "aopay";
    }

    @Override
    public List<String> credentialNames() {
        return List.of(REGISTRATION_ID, SIGNING_KEY);
    }

    @Override
    public List<String> requiredCredentials() {
        return List.of(REGISTRATION_ID);
    }

    /** Refuses unknown names, a missing or blank RegistrationID, and a blank signing key. */
    @Override
    public Protocol create(Map<String, String> credentials) {
        for (String name : credentials.keySet()) {
            if (!credentialNames().contains(name)) {
                throw new IllegalArgumentException("aopay takes no credential " + name + "; it takes " + credentialNames());
            }
        }
        String registrationId = credentials.get(REGISTRATION_ID);
        if (registrationId == null || registrationId.isBlank()) {
            throw new IllegalArgumentException("aopay needs a registrationId");
        }
        String signingKey = credentials.get(SIGNING_KEY);
        if (signingKey != null && signingKey.isBlank()) {
            throw new IllegalArgumentException("aopay's signingKey, when given, must not be blank");
        }
        return new AopayProtocol(registrationId.strip(), signingKey);
    }
}
