package io.durablestreams.client;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/** Starts {@link FakeServer}s for one test and closes them, with anything else registered, after it, in order. */
final class FakeServers implements AfterEachCallback {
    private final List<AutoCloseable> toClose = new ArrayList<>();

    FakeServer start(FakeServer.Handler handler) throws Exception {
        return closeAfterTest(new FakeServer(handler));
    }

    <T extends AutoCloseable> T closeAfterTest(T closeable) {
        toClose.add(closeable);
        return closeable;
    }

    @Override
    public void afterEach(ExtensionContext context) throws Exception {
        try {
            for (AutoCloseable c : toClose) {
                c.close();
            }
        } finally {
            toClose.clear();
        }
    }
}
