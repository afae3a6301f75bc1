package billswitch.complaint;

/**
 * What a complaint is about, each with its BBPS transaction-based disposition (protocols.md section 4: D21 wrong
 * account, D22 duplicate, D23 wrong amount; D11 is BillSwitch's code for "transaction successful, account not
 * updated"). Its resolution deadline comes from its turnaround time ({@link ComplaintSettings}).
 */
public enum ComplaintType {
    NOT_CREDITED("D11", "Transaction successful, account not updated"),
    PAID_TWICE("D22", "Amount deducted multiple times"),
    WRONG_AMOUNT("D23", "Paid an amount other than intended"),
    WRONG_ACCOUNT("D21", "Erroneously paid in wrong account");

    private final String disposition;
    private final String label;

    ComplaintType(String disposition, String label) {
        this.disposition = disposition;
        this.label = label;
    }

    /** The BBPS disposition code. */
    public String disposition() {
        return disposition;
    }

    /** The disposition's words. */
    public String label() {
        return label;
    }

    /** The type named by its name or its disposition code (as Eko's form may send it); null if none. */
    public static ComplaintType parse(String text) {
        if (text == null) {
            return null;
        }
        String t = text.trim().toUpperCase(java.util.Locale.ROOT);
        for (ComplaintType type : values()) {
            if (type.name().equals(t) || type.disposition.equals(t)) {
                return type;
            }
        }
        return null;
    }
}
