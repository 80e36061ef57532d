package io.durablestreams.store.file;

/**
 * When an append is acknowledged relative to {@code fdatasync} of its bytes.
 *
 * <ul>
 *   <li>{@link #ALWAYS}: acknowledged only after its payload, its record and (for new files)
 *       the directory entries are forced. A crash loses nothing acknowledged.
 *   <li>{@link #INTERVAL}: acknowledged as soon as it is in the page cache; a background thread
 *       forces every interval. An OS crash or power loss may lose the appends acknowledged in the
 *       last interval (plus the duration of one sync); readers may have seen them, and their
 *       offsets may be handed out again after restart. A process crash ({@code kill -9}) alone
 *       loses nothing, because the page cache survives it. Recovery still cuts to a checksummed
 *       prefix, and producer state always matches the surviving data, so a lost batch is accepted
 *       again on retry, never duplicated.
 * </ul>
 */
public enum FsyncPolicy {
    ALWAYS,
    INTERVAL
}
