package billswitch.connector.eko;

import billswitch.connector.http.Protocol;
import billswitch.connector.http.ProtocolType;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.springframework.stereotype.Component;

/**
 * The connector type {@code eko}: Eko's BBPS API (v2 fetchbill and paybill, inquiry by client_ref_id, balance),
 * signed with secret-key and request_hash ({@link EkoProtocol}). Its credentials, all required:
 * <ul>
 *   <li>{@code developerKey}: the static API key Eko issues, sent as the developer_key header;</li>
 *   <li>{@code accessKey}: the secret that keys secret-key and request_hash, never sent;</li>
 *   <li>{@code initiatorId}: our registered mobile number, 10 digits, the initiator_id of every call;</li>
 *   <li>{@code userCode}: the user (agent) code Eko onboarded us with, letters and digits.</li>
 * </ul>
 * A credential this type does not take, a blank one or a malformed one is refused, naming the credential and
 * never its value.
 */
@Component
public class EkoType implements ProtocolType {
    static final String TYPE = "eko";
    private static final List<String> CREDENTIALS = List.of("developerKey", "accessKey", "initiatorId", "userCode");
    private static final Pattern INITIATOR = Pattern.compile("^[0-9]{10}$");
    private static final Pattern USER_CODE = Pattern.compile("^[A-Za-z0-9]{1,32}$");
    private static final Pattern NO_SPACE = Pattern.compile("^\\S+$");

    private final Clock clock;

    public EkoType(Clock clock) {
        this.clock = clock;
    }

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public List<String> credentialNames() {
        return CREDENTIALS;
    }

    @Override
    public List<String> requiredCredentials() {
        return CREDENTIALS;
    }

    @Override
    public Protocol create(Map<String, String> credentials) {
        for (String name : credentials.keySet()) {
            if (!CREDENTIALS.contains(name)) {
                throw new IllegalArgumentException("an eko connector takes no credential " + name + "; it takes " + CREDENTIALS);
            }
        }
        return new EkoProtocol(check(credentials, "developerKey", NO_SPACE, "without spaces"),
                check(credentials, "accessKey", NO_SPACE, "without spaces"),
                check(credentials, "initiatorId", INITIATOR, "a 10-digit mobile number"),
                check(credentials, "userCode", USER_CODE, "letters and digits"), clock);
    }

    private static String check(Map<String, String> credentials, String name, Pattern format, String expected) {
        String value = credentials.get(name);
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException("the eko credential " + name + " is required");
        }
        if (!format.matcher(value).matches()) {
            throw new IllegalArgumentException("the eko credential " + name + " must be " + expected);
        }
        return value;
    }
}
