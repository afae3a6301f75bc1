package billswitch.partner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import billswitch.shared.BillSwitchException;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class IpAllowListTest {

    @ParameterizedTest
    @CsvSource({
            "127.0.0.1, 127.0.0.1, true",
            "127.0.0.1, 127.0.0.2, false",
            "10.1.2.0/24, 10.1.2.77, true",
            "10.1.2.0/24, 10.1.3.1, false",
            "10.0.0.0/8, 10.200.1.1, true",
            "::1, 0:0:0:0:0:0:0:1, true",
            "::1, 127.0.0.1, false",
            "2001:db8::/32, 2001:db8:1::5, true",
            "192.168.1.128/25, 192.168.1.127, false",
            "0.0.0.0/0, 8.8.8.8, false",
            "::/0, 2001:db8::1, false",
            "127.0.0.1, ::ffff:127.0.0.1, true",
            "127.0.0.1, localhost, false"})
    void matchesAddressesAndBlocks(String entry, String address, boolean admitted) {
        assertThat(IpAllowList.matches(List.of(entry), address)).isEqualTo(admitted);
    }

    @ParameterizedTest
    @ValueSource(strings = {"example.com", "10.0.0.0/33", "10.0.0.0/x", "1.2.3", "::1/129", ""})
    void refusesEntriesThatAreNotAddresses(String entry) {
        assertThatThrownBy(() -> IpAllowList.validate(entry)).isInstanceOf(BillSwitchException.class);
    }

    @ParameterizedTest
    @ValueSource(strings = {"0.0.0.0/0", "::/0", " 10.0.0.0/0", "::ffff:0:0/0"})
    void refusesBlocksOfEveryAddress(String entry) {
        assertThatThrownBy(() -> IpAllowList.validate(entry)).isInstanceOf(BillSwitchException.class)
                .hasMessageContaining("admits every address");
    }

    @ParameterizedTest
    @ValueSource(strings = {"1.2.3.4", "10.0.0.0/8", "::1", "fe80::/10"})
    void acceptsAddressesAndBlocks(String entry) {
        assertThat(IpAllowList.validate(entry)).isEqualTo(entry);
    }
}
