package billswitch.partner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import org.junit.jupiter.api.Test;

/** Every spelling of a local, private or metadata address is refused; loopback only in sandbox mode. */
class CallbackUrlTest {

    private static void refused(String url, boolean sandbox) {
        // Refused for what it is, never merely because a name does not resolve here (that proves nothing).
        assertThatThrownBy(() -> CallbackUrl.parse(url, sandbox).resolve(sandbox)).as(url)
                .isInstanceOf(CallbackUrl.Refused.class).isNotInstanceOf(CallbackUrl.Unresolved.class);
    }

    @Test
    void aNameThatResolvesToLoopbackIsRefusedOutsideSandboxMode() throws Exception {
        // The address check itself, whatever this machine's DNS makes of "localhost".
        InetAddress localhost = InetAddress.getByAddress("localhost", new byte[] {127, 0, 0, 1});
        assertThat(CallbackUrl.refusal(localhost, false)).contains("loopback");
        assertThat(CallbackUrl.refusal(localhost, true)).isNull();
        assertThat(CallbackUrl.refusal(InetAddress.getByAddress("localhost", InetAddress.getByName("::1").getAddress()),
                false)).contains("loopback");
    }

    @Test
    void cloudWireServerTranslatedNat64TestNetAndBenchmarkingAddressesAreRefused() {
        for (String url : new String[] {"https://168.63.129.16/", "https://[64:ff9b:1::a9fe:a9fe]/",
                "https://[64:ff9b:1:ffff::1]/", "https://[::ffff:0:a9fe:a9fe]/",
                "https://[::ffff:0:a00:1]/", "https://192.0.2.1/", "https://198.51.100.7/", "https://203.0.113.200/",
                "https://198.18.0.1/", "https://198.19.255.254/"}) {
            refused(url, false);
            refused(url.replace("https", "http"), true);
        }
        refused("https://[::ffff:0:7f00:1]/", false);
    }

    @Test
    void upstreamBaseUrlsFollowTheSameRulesAndPrivateOnlyWhenAllowed() throws Exception {
        for (String url : new String[] {"https://169.254.169.254/", "http://169.254.169.254/", "https://[fd00:ec2::254]/",
                "https://168.63.129.16/", "https://0.0.0.0/", "https://192.0.2.1/"}) {
            for (boolean sandbox : new boolean[] {false, true}) {
                for (boolean allowPrivate : new boolean[] {false, true}) {
                    assertThatThrownBy(() -> CallbackUrl.checkUpstream(url, sandbox, allowPrivate))
                            .as(url + " sandbox=" + sandbox + " private=" + allowPrivate)
                            .isInstanceOf(CallbackUrl.Refused.class);
                }
            }
        }
        assertThatThrownBy(() -> CallbackUrl.checkUpstream("http://127.0.0.1:9/", false, false))
                .hasMessageContaining("https");
        assertThatThrownBy(() -> CallbackUrl.checkUpstream("https://127.0.0.1:9/", false, false))
                .hasMessageContaining("allow-private-upstreams");
        assertThatThrownBy(() -> CallbackUrl.checkUpstream("https://10.0.0.1/", true, false))
                .hasMessageContaining("private");
        CallbackUrl.checkUpstream("http://127.0.0.1:9/", true, false);
        CallbackUrl.checkUpstream("http://127.0.0.1:9/", false, true);
        CallbackUrl.checkUpstream("http://10.0.0.1/", false, true);
        CallbackUrl.checkUpstream("https://93.184.215.14/", false, false);
    }

    @Test
    void localPrivateAndMetadataAddressesAreRefusedInEverySpelling() {
        for (String url : new String[] {
                "https://169.254.169.254/latest/meta-data/", "https://[fd00:ec2::254]/", "https://[fe80::1]/",
                "https://10.1.2.3/", "https://172.16.0.1/", "https://172.31.255.255/", "https://192.168.1.1/",
                "https://100.64.0.1/", "https://[fc00::1]/", "https://[fd12:3456::1]/", "https://0.0.0.0/",
                "https://[::]/", "https://224.0.0.1/", "https://[ff02::1]/", "https://255.255.255.255/",
                "https://127.0.0.1/", "https://127.1.2.3/", "https://[::1]/",
                // other spellings of 127.0.0.1 and 169.254.169.254
                "https://2130706433/", "https://0x7f000001/", "https://0177.0.0.1/", "https://127.1/", "https://0x7f.1/",
                "https://2852039166/", "https://0xa9fea9fe/", "https://0251.0376.0251.0376/", "https://169.254.43518/",
                "https://[::ffff:127.0.0.1]/", "https://[::ffff:7f00:1]/", "https://[::ffff:169.254.169.254]/",
                "https://[::127.0.0.1]/", "https://[64:ff9b::a9fe:a9fe]/", "https://[2002:a9fe:a9fe::1]/",
                "https://[0:0:0:0:0:ffff:a9fe:a9fe]/", "https://[fe80::1%25eth0]/",
                // not a callback URL at all
                "http://example.com/hooks", "ftp://example.com/", "https://user:pw@example.com/", "https:///x",
                "not a url"}) {
            refused(url, false);
        }
    }

    @Test
    void sandboxModeAllowsLoopbackOverHttpButNeverLinkLocalOrMetadata() throws Exception {
        assertThat(CallbackUrl.parse("http://127.0.0.1:8081/hooks", true).resolve(true))
                .containsExactly(InetAddress.getByName("127.0.0.1"));
        assertThat(CallbackUrl.parse("http://localhost:8081/hooks", true).resolve(true)).isNotEmpty();
        assertThat(CallbackUrl.parse("http://[::1]:8081/hooks", true).resolve(true)).isNotEmpty();
        for (String url : new String[] {"http://169.254.169.254/", "http://[fd00:ec2::254]/", "http://[fe80::1]/",
                "http://[::ffff:169.254.169.254]/", "http://10.0.0.1/", "http://0x7f000001/", "http://0.0.0.0:8081/"}) {
            refused(url, true);
        }
    }

    @Test
    void aPublicHttpsUrlIsAcceptedAsWritten() throws Exception {
        CallbackUrl url = CallbackUrl.parse("https://93.184.215.14:8443/hooks/in?x=1", false);
        assertThat(url.resolve(false)).containsExactly(InetAddress.getByName("93.184.215.14"));
        assertThat(url.host()).isEqualTo("93.184.215.14");
        assertThat(url.port()).isEqualTo(8443);
        assertThat(url.tls()).isTrue();
        assertThat(url.target()).isEqualTo("/hooks/in?x=1");
        assertThat(CallbackUrl.parse("https://[2606:2800:21f:cb07:6820:80da:af6b:8b2c]/", false).resolve(false)).hasSize(1);
    }
}
