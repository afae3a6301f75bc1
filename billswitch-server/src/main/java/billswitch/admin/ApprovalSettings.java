package billswitch.admin;

import billswitch.shared.Currency;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Two-person approval thresholds, in minor units: a top-up or a manual settlement of more than the threshold of
 * its currency waits for a second identity. {@code approvalThresholds.<CURRENCY>} (e.g. INR) overrides
 * {@code approvalThresholdMinor} for one currency; 0 or absent turns approvals off.
 */
@ConfigurationProperties("billswitch.admin")
public record ApprovalSettings(Long approvalThresholdMinor, Map<Currency, Long> approvalThresholds) {

    /** The threshold for the currency; 0 when approvals are off for it. */
    public long thresholdMinor(Currency currency) {
        Long own = approvalThresholds == null ? null : approvalThresholds.get(currency);
        long t = own != null ? own : approvalThresholdMinor == null ? 0 : approvalThresholdMinor;
        return Math.max(0, t);
    }

    public boolean needsApproval(Currency currency, long amountMinor) {
        long t = thresholdMinor(currency);
        return t > 0 && amountMinor > t;
    }
}
