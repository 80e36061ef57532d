package io.durablestreams.client;

/**
 * The two sentinel offsets of §8. Every other offset is an opaque token returned by the server; store
 * it as a string and pass it back unchanged.
 */
public final class Offsets {
    /** The beginning of the stream. */
    public static final String BEGINNING = "-1";
    /** The current tail: skip existing data and read only what is appended from now on. */
    public static final String NOW = "now";

    private Offsets() {
    }
}
