package billswitch.connector.billswitch;

import billswitch.connector.http.Protocol;
import billswitch.connector.http.ProtocolType;
import billswitch.shared.Currency;
import billswitch.shared.Secret;
import java.time.Clock;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.springframework.stereotype.Component;

/**
 * Connector type {@code billswitch}: the native v1 API of another BillSwitch ({@link NativeProtocol}). Credentials:
 * <ul>
 *   <li>{@code apiKey} (required): our native API key id there, sent as X-Api-Key;</li>
 *   <li>{@code secret} (required): its secret, which signs every request;</li>
 *   <li>{@code webhookSecret} (optional): the secret it signs our webhooks with; without it every callback is
 *       refused as not authentic;</li>
 *   <li>{@code currency} (optional, INR by default): the wallet there whose available balance is our float,
 *       one of {@link Currency}'s.</li>
 * </ul>
 * {@link #create} refuses a missing required credential, an unknown name, a blank value, a key id that cannot
 * travel in a header and an unknown currency with an IllegalArgumentException saying which.
 */
@Component
class BillSwitchType implements ProtocolType {
    private static final List<String> NAMES = List.of("apiKey", "secret", "webhookSecret", "currency");
    private static final List<String> REQUIRED = List.of("apiKey", "secret");
    /** Printable ASCII without spaces: a header's value, and the prefix of a fetched bill's context. */
    private static final Pattern KEY_ID = Pattern.compile("^[\\x21-\\x7e]{1,128}$");

    private final Clock clock;

    BillSwitchType(Clock clock) {
        this.clock = clock;
    }

    @Override
    public String type() {
        return "billswitch";
    }

    @Override
    public List<String> credentialNames() {
        return NAMES;
    }

    @Override
    public List<String> requiredCredentials() {
        return REQUIRED;
    }

    @Override
    public Protocol create(Map<String, String> credentials) {
        for (String name : credentials.keySet()) {
            if (!NAMES.contains(name)) {
                throw new IllegalArgumentException("A billswitch connector takes no credential '" + name + "'; it takes "
                        + String.join(", ", NAMES) + ".");
            }
        }
        for (String name : REQUIRED) {
            if (credentials.get(name) == null) {
                throw new IllegalArgumentException("A billswitch connector needs the credential '" + name + "'.");
            }
        }
        credentials.forEach((name, value) -> {
            if (value == null || value.isBlank()) {
                throw new IllegalArgumentException("The credential '" + name + "' must not be blank.");
            }
        });
        String apiKey = credentials.get("apiKey");
        if (!KEY_ID.matcher(apiKey).matches()) {
            throw new IllegalArgumentException("The credential 'apiKey' must be 1-128 printable ASCII characters"
                    + " without spaces.");
        }
        String currency = credentials.getOrDefault("currency", Currency.INR.name());
        List<String> currencies = Arrays.stream(Currency.values()).map(Currency::name).toList();
        if (!currencies.contains(currency)) {
            throw new IllegalArgumentException("The credential 'currency' must be one of " + currencies + ".");
        }
        String webhookSecret = credentials.get("webhookSecret");
        return new NativeProtocol(apiKey, Secret.of(credentials.get("secret")),
                webhookSecret == null ? null : Secret.of(webhookSecret), Currency.valueOf(currency), clock);
    }
}
