package io.durablestreams.client;

import java.io.ByteArrayOutputStream;
import java.util.List;

/**
 * Items sent in one producer request. In JSON mode the body is the items wrapped in one array, which
 * the server flattens back into one message per item (§9.1.2); otherwise the items are concatenated.
 */
record Batch(List<byte[]> items, boolean json) {
    Batch {
        items = List.copyOf(items);
    }

    static Batch empty(boolean json) {
        return new Batch(List.of(), json);
    }

    /** Body size in bytes, array punctuation included. */
    static long sizeOf(long itemBytes, int itemCount, boolean json) {
        return json ? itemBytes + itemCount + 1 : itemBytes;
    }

    /** Bytes of the items (what a producer holds in memory for this batch). */
    long itemBytes() {
        long n = 0;
        for (byte[] item : items) {
            n += item.length;
        }
        return n;
    }

    byte[] body() {
        if (items.isEmpty()) {
            return new byte[0];
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        if (json) {
            out.write('[');
        }
        for (int i = 0; i < items.size(); i++) {
            if (json && i > 0) {
                out.write(',');
            }
            out.writeBytes(items.get(i));
        }
        if (json) {
            out.write(']');
        }
        return out.toByteArray();
    }
}
