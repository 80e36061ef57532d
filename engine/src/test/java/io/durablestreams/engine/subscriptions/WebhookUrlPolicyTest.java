package io.durablestreams.engine.subscriptions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.URI;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The SSRF rules of PROTOCOL.md §6.2 and §12.8, with and without the development exception. */
class WebhookUrlPolicyTest {
    private final WebhookUrlPolicy production = new WebhookUrlPolicy(false);
    private final WebhookUrlPolicy development = new WebhookUrlPolicy(true);

    @ParameterizedTest
    @ValueSource(strings = {
            "https://hooks.example.com/x",
            "https://93.184.216.34/hook",
            "https://[2606:2800:220:1:248:1893:25c8:1946]/hook",
    })
    void acceptsPublicHttpsTargets(String url) {
        assertThatCode(() -> production.check(url)).doesNotThrowAnyException();
        assertThatCode(() -> development.check(url)).doesNotThrowAnyException();
    }

    /** The development exception: refused unless the operator opts in. */
    @ParameterizedTest
    @ValueSource(strings = {
            "http://localhost:8080/hook",
            "https://localhost/hook",
            "http://LOCALHOST./hook",
            "http://hooks.localhost/hook",
            "http://127.0.0.1:9000/hook",
            "http://127.0.0.42/hook",
            "https://127.0.0.1/hook",
            "http://[::1]:8080/hook",
            "https://[::ffff:127.0.0.1]/hook",
            "http://[0:0:0:0:0:ffff:7f00:1]/hook",
    })
    void loopbackOnlyWithTheDevelopmentException(String url) {
        assertThatThrownBy(() -> production.check(url)).isInstanceOf(WebhookUrlPolicy.Rejected.class)
                .hasMessageContaining("--allow-local-webhooks");
        assertThatCode(() -> development.check(url)).doesNotThrowAnyException();
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "http://hooks.example.com/x",
            "http://10.0.0.1/hook",
            "https://10.0.0.1/hook",
            "https://172.16.5.4/hook",
            "https://192.168.1.1/hook",
            "https://169.254.169.254/latest/meta-data",
            "http://169.254.169.254/latest/meta-data",
            "https://[fd00::1]/hook",
            "https://[fe80::1]/hook",
            "https://[fec0::1]/hook",
            "https://[ff02::1]/hook",
            "https://0.0.0.0/hook",
            "https://[::]/hook",
            "https://100.64.0.1/hook",
            "https://224.0.0.1/hook",
            "https://255.255.255.255/hook",
            "https://[::ffff:10.0.0.1]/hook",
            "https://[::ffff:169.254.169.254]/hook",
            "https://[::10.0.0.1]/hook",
            "https://[64:ff9b::a9fe:a9fe]/hook",
            "https://[2002:a00:1::1]/hook",
            "https://167772161/hook", // 10.0.0.1 as one number
            "https://10.1/hook", // 10.0.0.1 in short form
            "http://127.0.1.1/hook",
            "https://127.0.1.1/hook",
            "https://1.2.3.4.5/hook",
            "ftp://example.com/hook",
            "https://user:pass@example.com/hook",
            "not a url",
            "/relative/path",
    })
    void rejectsOtherTargetsEvenInDevelopment(String url) {
        assertThatThrownBy(() -> production.check(url)).isInstanceOf(WebhookUrlPolicy.Rejected.class);
        assertThatThrownBy(() -> development.check(url)).isInstanceOf(WebhookUrlPolicy.Rejected.class);
    }

    @Test
    void everyResolvedAddressIsVettedAndTheFirstIsUsed() throws Exception {
        URI uri = production.check("https://hooks.example.com/x");
        InetAddress publicOne = InetAddress.getByName("93.184.216.34");
        InetAddress publicTwo = InetAddress.getByName("2606:2800:220:1:248:1893:25c8:1946");

        assertThat(production.vet(uri, new InetAddress[] {publicOne, publicTwo})).isEqualTo(publicOne);
        for (String inside : new String[] {"10.0.0.1", "127.0.0.1", "::1", "169.254.169.254", "fd00::1", "::ffff:192.168.0.1"}) {
            InetAddress[] answers = {publicOne, InetAddress.getByName(inside)};
            assertThatThrownBy(() -> production.vet(uri, answers)).as(inside).isInstanceOf(WebhookUrlPolicy.Rejected.class);
        }
        assertThatThrownBy(() -> production.vet(uri, new InetAddress[0])).isInstanceOf(WebhookUrlPolicy.Rejected.class);
    }

    @Test
    void developmentAllowsResolvedLoopbackButNothingElseInside() throws Exception {
        URI uri = development.check("http://localhost:8080/x");

        assertThat(development.vet(uri, new InetAddress[] {InetAddress.getByName("127.0.0.1"), InetAddress.getByName("::1")}))
                .isEqualTo(InetAddress.getByName("127.0.0.1"));
        assertThatThrownBy(() -> development.vet(uri, new InetAddress[] {InetAddress.getByName("10.0.0.1")}))
                .isInstanceOf(WebhookUrlPolicy.Rejected.class);
        assertThatThrownBy(() -> development.vet(uri, new InetAddress[] {InetAddress.getByName("127.0.1.1")}))
                .isInstanceOf(WebhookUrlPolicy.Rejected.class);
    }
}
