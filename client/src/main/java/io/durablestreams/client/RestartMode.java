package io.durablestreams.client;

/** Where a read of a restartable stream continues after a reset (stream-incarnations extension). */
public enum RestartMode {
    /** From {@link Offsets#BEGINNING} of the new incarnation: consumers rebuild their state from scratch. */
    HARD,
    /** From {@link Offsets#NOW}: only new data, for readers that display a live feed and keep no history. */
    SOFT
}
