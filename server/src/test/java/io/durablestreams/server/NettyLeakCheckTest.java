package io.durablestreams.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.PooledByteBufAllocator;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The leak check itself: a buffer never released is reported (and so would fail its test). */
class NettyLeakCheckTest {
    @Test
    void aBufferThatIsNeverReleasedIsReported() throws InterruptedException {
        leakOneBuffer();
        List<String> reports = new ArrayList<>();
        for (int i = 0; i < 50 && reports.isEmpty(); i++) {
            reports.addAll(NettyLeakCheck.collect()); // collected here, so the check after this test stays green
        }
        assertThat(reports).anySatisfy(r -> assertThat(r).contains("LEAK").contains("leakOneBuffer"));
    }

    private static void leakOneBuffer() {
        PooledByteBufAllocator.DEFAULT.directBuffer(64).writeInt(42);
    }
}
