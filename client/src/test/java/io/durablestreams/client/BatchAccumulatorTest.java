package io.durablestreams.client;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import net.jqwik.api.constraints.StringLength;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class BatchAccumulatorTest {

    @Property
    void batchesKeepOrderAndRespectBothLimits(@ForAll @Size(max = 60) List<@StringLength(min = 1, max = 20) String> items,
                                              @ForAll @IntRange(min = 1, max = 64) int maxBytes,
                                              @ForAll @IntRange(min = 1, max = 7) int maxItems,
                                              @ForAll boolean json) {
        BatchAccumulator acc = new BatchAccumulator(json, maxBytes, maxItems);
        List<Batch> batches = new ArrayList<>();
        List<byte[]> encoded = new ArrayList<>();
        for (String s : items) {
            byte[] item = (json ? SimpleJsonCodec.INSTANCE.stringify(s) : s).getBytes(StandardCharsets.UTF_8);
            encoded.add(item);
            batches.addAll(acc.add(item));
        }
        Batch tail = acc.drain();
        if (tail != null) {
            batches.add(tail);
        }
        assertThat(acc.isEmpty()).isTrue();

        List<byte[]> flattened = batches.stream().flatMap(b -> b.items().stream()).toList();
        assertThat(flattened).containsExactlyElementsOf(encoded);
        for (Batch b : batches) {
            assertThat(b.items()).isNotEmpty().hasSizeLessThanOrEqualTo(maxItems);
            if (b.items().size() > 1) {
                assertThat((long) b.body().length).isLessThanOrEqualTo(maxBytes);
            }
            if (json) {
                List<?> parsed = (List<?>) SimpleJsonCodec.INSTANCE.parse(new String(b.body(), StandardCharsets.UTF_8));
                assertThat(parsed).hasSize(b.items().size());
            }
        }
    }
}
