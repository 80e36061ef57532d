package io.durablestreams.engine.subscriptions;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The SSRF table of PROTOCOL.md §12.8. */
class WebhookUrlPolicyTest {
    @ParameterizedTest
    @ValueSource(strings = {
            "https://hooks.example.com/x",
            "https://93.184.216.34/hook",
            "http://localhost:8080/hook",
            "http://127.0.0.1:9000/hook",
            "http://127.0.0.42/hook",
            "https://localhost/hook",
    })
    void accepts(String url) {
        assertThatCode(() -> WebhookUrlPolicy.check(url)).doesNotThrowAnyException();
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "http://hooks.example.com/x",
            "http://10.0.0.1/hook",
            "https://10.0.0.1/hook",
            "https://172.16.5.4/hook",
            "https://192.168.1.1/hook",
            "https://169.254.169.254/latest/meta-data",
            "https://[::1]/hook",
            "https://[fd00::1]/hook",
            "https://[fe80::1]/hook",
            "https://0.0.0.0/hook",
            "https://100.64.0.1/hook",
            "https://[::ffff:10.0.0.1]/hook",
            "http://127.0.1.1/hook",
            "ftp://example.com/hook",
            "https://user:pass@example.com/hook",
            "not a url",
            "/relative/path",
    })
    void rejects(String url) {
        assertThatThrownBy(() -> WebhookUrlPolicy.check(url)).isInstanceOf(WebhookUrlPolicy.Rejected.class);
    }

    @ParameterizedTest
    @ValueSource(strings = {"https://localhost.localdomain.invalid/x"})
    void rejectsHostsThatDoNotResolveBeforeDelivery(String url) throws Exception {
        assertThatThrownBy(() -> WebhookUrlPolicy.checkResolved(WebhookUrlPolicy.check(url)))
                .isInstanceOf(WebhookUrlPolicy.Rejected.class);
    }
}
