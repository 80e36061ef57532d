package io.durablestreams.engine.store;

import java.util.Arrays;

/** A growable array of ascending longs with binary search. Not thread-safe. */
public final class LongList {
    private long[] values = new long[8];
    private int size;

    public void add(long v) {
        if (size == values.length) {
            values = Arrays.copyOf(values, size * 2);
        }
        values[size++] = v;
    }

    public long get(int i) {
        return values[i];
    }

    public int size() {
        return size;
    }

    public long last() {
        return values[size - 1];
    }

    /** Index of the largest value {@code <= key}, or -1. */
    public int floorIndex(long key) {
        int i = Arrays.binarySearch(values, 0, size, key);
        return i >= 0 ? i : -i - 2;
    }

    /** Index of the smallest value {@code > key}, or {@code size()}. */
    public int higherIndex(long key) {
        int i = Arrays.binarySearch(values, 0, size, key);
        return i >= 0 ? i + 1 : -i - 1;
    }

    public boolean contains(long key) {
        return Arrays.binarySearch(values, 0, size, key) >= 0;
    }

    /** Removes the first {@code n} values. */
    public void removeFirst(int n) {
        System.arraycopy(values, n, values, 0, size - n);
        size -= n;
    }
}
