package billswitch.infra.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class ReplayGuardTest {
    private static final long TOLERANCE = 300_000;
    private static final long T0 = 1_800_000_000_000L;

    /** A 32-byte signature made from a label. */
    private static byte[] sig(String s) {
        return Arrays.copyOf(s.getBytes(StandardCharsets.UTF_8), 32);
    }

    @Test
    void aSignatureIsFirstUsedOnceByItsContentAndPerKey() {
        ReplayGuard guard = new ReplayGuard(TOLERANCE, 100);
        assertThat(guard.firstUse("k1", sig("signature-a"), T0, T0)).isTrue();
        assertThat(guard.firstUse("k1", sig("signature-a"), T0, T0 + 1)).isFalse();
        assertThat(guard.firstUse("k2", sig("signature-a"), T0, T0 + 1)).isTrue();
        assertThat(guard.firstUse("k1", sig("signature-b"), T0, T0 + 1)).isTrue();
        assertThat(guard.size()).isEqualTo(3);
    }

    @Test
    void whatTheCallerDoesToItsArrayAfterwardsChangesNothing() {
        ReplayGuard guard = new ReplayGuard(TOLERANCE, 100);
        byte[] presented = sig("signature-a");
        assertThat(guard.firstUse("k1", presented, T0, T0)).isTrue();
        presented[0] = 'X';
        assertThat(guard.firstUse("k1", sig("signature-a"), T0, T0)).isFalse();
    }

    @Test
    void aSignatureIsRememberedForAsLongAsItsTimestampIsAcceptedAndForgottenSoonAfter() {
        ReplayGuard guard = new ReplayGuard(TOLERANCE, 100);
        long sentAt = T0 + 12_345;
        assertThat(guard.firstUse("k1", sig("early"), sentAt, sentAt)).isTrue();
        // The last instant the timestamp check lets it through: still a replay.
        assertThat(guard.firstUse("k1", sig("early"), sentAt, sentAt + TOLERANCE)).isFalse();
        // A request signed later, in the future by the clock, is kept for longer.
        assertThat(guard.firstUse("k1", sig("late"), sentAt + TOLERANCE, sentAt)).isTrue();
        assertThat(guard.size()).isEqualTo(2);
        // Past the first one's bucket (a tolerance / 8 wide), it is dropped; the later one stays.
        long afterBucket = sentAt + TOLERANCE + TOLERANCE / 8 + 1;
        assertThat(guard.firstUse("k1", sig("other"), afterBucket, afterBucket)).isTrue();
        assertThat(guard.size()).isEqualTo(2);
        assertThat(guard.firstUse("k1", sig("late"), sentAt + TOLERANCE, afterBucket)).isFalse();
    }

    @Test
    void onlyHmacSha256SignaturesAreTaken() {
        ReplayGuard guard = new ReplayGuard(TOLERANCE, 100);
        assertThatThrownBy(() -> guard.firstUse("k1", new byte[20], T0, T0)).isInstanceOf(IllegalArgumentException.class);
        assertThat(guard.size()).isZero();
    }

    @Test
    void whenFullItStillRefusesWhatItRemembersAndTakesNewSignaturesAgainOnceOldOnesExpire() {
        ReplayGuard guard = new ReplayGuard(TOLERANCE, 2);
        assertThat(guard.firstUse("k1", sig("a"), T0, T0)).isTrue();
        assertThat(guard.firstUse("k1", sig("b"), T0, T0)).isTrue();
        // Full: a new signature passes without being remembered, a known one is still a replay.
        assertThat(guard.firstUse("k1", sig("c"), T0, T0)).isTrue();
        assertThat(guard.firstUse("k1", sig("c"), T0, T0)).isTrue();
        assertThat(guard.firstUse("k1", sig("a"), T0, T0)).isFalse();
        assertThat(guard.size()).isEqualTo(2);
        long later = T0 + 2 * TOLERANCE;
        assertThat(guard.firstUse("k1", sig("d"), later, later)).isTrue();
        assertThat(guard.firstUse("k1", sig("d"), later, later)).isFalse();
        assertThat(guard.size()).isEqualTo(1);
    }

    @Test
    void manySignaturesAreEachFirstUsedOnceAndAllForgottenWhenTheirBucketsExpire() {
        ReplayGuard guard = new ReplayGuard(TOLERANCE, 1_000_000);
        SplittableRandom random = new SplittableRandom(5);
        List<byte[]> signatures = new ArrayList<>();
        for (int i = 0; i < 200_000; i++) {
            byte[] signature = new byte[32];
            random.nextBytes(signature);
            signatures.add(signature);
        }
        for (int i = 0; i < signatures.size(); i++) {
            assertThat(guard.firstUse("k" + (i % 7), signatures.get(i), T0 + i, T0 + i)).isTrue();
        }
        assertThat(guard.size()).isEqualTo(200_000);
        for (int i = 0; i < signatures.size(); i++) {
            assertThat(guard.firstUse("k" + (i % 7), signatures.get(i), T0 + i, T0 + i)).isFalse();
        }
        // The same bytes under another key id are another signature.
        assertThat(guard.firstUse("k7", signatures.getFirst(), T0, T0)).isTrue();
        long later = T0 + 200_000 + 2 * TOLERANCE;
        assertThat(guard.firstUse("k1", sig("after"), later, later)).isTrue();
        assertThat(guard.size()).isEqualTo(1);
    }

    @Test
    void signaturesThatDifferOnlyInTheirLastByteOrInTheirFirstAreTwo() {
        ReplayGuard guard = new ReplayGuard(TOLERANCE, 100);
        byte[] zeros = new byte[32];
        byte[] last = new byte[32];
        last[31] = 1;
        byte[] first = new byte[32];
        first[0] = 1;
        assertThat(guard.firstUse("k1", zeros, T0, T0)).isTrue();
        assertThat(guard.firstUse("k1", last, T0, T0)).isTrue();
        assertThat(guard.firstUse("k1", first, T0, T0)).isTrue();
        assertThat(guard.firstUse("k1", zeros.clone(), T0, T0)).isFalse();
        assertThat(guard.firstUse("k1", last.clone(), T0, T0)).isFalse();
        assertThat(guard.firstUse("k1", first.clone(), T0, T0)).isFalse();
        assertThat(guard.size()).isEqualTo(3);
    }
}
