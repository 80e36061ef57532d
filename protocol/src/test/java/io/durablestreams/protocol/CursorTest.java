package io.durablestreams.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLong;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.api.Test;

class CursorTest {
    private final AtomicLong now = new AtomicLong(Cursor.EPOCH_MILLIS + 1000 * Cursor.INTERVAL_MILLIS + 5);
    private final Cursor cursor = new Cursor(now::get, new SplittableRandom(42));

    @Test
    void withoutClientCursorAnswersTheCurrentInterval() {
        assertThat(cursor.next(null)).isEqualTo("1000");
        now.addAndGet(Cursor.INTERVAL_MILLIS);
        assertThat(cursor.next(null)).isEqualTo("1001");
    }

    @Test
    void anOldClientCursorIsReplacedByTheCurrentInterval() {
        assertThat(cursor.next("999")).isEqualTo("1000");
    }

    @Test
    void garbageCursorsAreIgnored() {
        assertThat(cursor.next("abc")).isEqualTo("1000");
        assertThat(cursor.next("-5")).isEqualTo("1000");
        assertThat(cursor.next("99999999999999999999999")).isEqualTo("1000");
    }

    @Property
    void aCursorAtOrAheadOfNowAlwaysMovesForwardByAtMostAnHour(@ForAll @LongRange(min = 0, max = 1_000_000) long ahead) {
        long client = 1000 + ahead;
        long next = Long.parseLong(cursor.next(Long.toString(client)));
        assertThat(next).isGreaterThan(client).isLessThanOrEqualTo(client + 3600_000 / Cursor.INTERVAL_MILLIS);
    }
}
