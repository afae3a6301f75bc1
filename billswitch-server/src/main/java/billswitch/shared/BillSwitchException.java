package billswitch.shared;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/** An expected failure that a client caused or must be told about: carries a catalog code. */
public class BillSwitchException extends RuntimeException {
    private final ErrorCode code;
    private final Map<String, String> fields;

    public BillSwitchException(ErrorCode code) {
        this(code, code.defaultMessage(), Map.of());
    }

    public BillSwitchException(ErrorCode code, String message) {
        this(code, message, Map.of());
    }

    public BillSwitchException(ErrorCode code, String message, Map<String, String> fields) {
        super(message, null, false, false);
        this.code = code;
        // In the order given (JsonBody's problems come in the request's field order): Map.copyOf would iterate
        // in an order that changes from one start of the JVM to the next, and so would the error's JSON.
        this.fields = Collections.unmodifiableMap(new LinkedHashMap<>(fields));
    }

    public ErrorCode code() {
        return code;
    }

    /** Field name to reason, for validation errors, in the order given; empty otherwise. */
    public Map<String, String> fields() {
        return fields;
    }
}
