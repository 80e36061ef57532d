package io.durablestreams.server.common;

import io.durablestreams.engine.store.StorageException;

/**
 * Maps a storage failure to a response: a full disk is 507 Insufficient Storage; a process out of
 * file descriptors is overload, and a store that cannot be reached (a database failing over) is
 * unavailable: 503 with {@code Retry-After}, the request may succeed when retried; anything else 500.
 */
public record StorageFailure(int status, String type, String detail) {
    /** At most one log line per kind of failure every {@value} ms. */
    public static final long LOG_INTERVAL_MILLIS = 10_000;
    private static final ThrottledLog LOG = new ThrottledLog(System.getLogger(StorageFailure.class.getName()),
            LOG_INTERVAL_MILLIS, System::currentTimeMillis);

    public static StorageFailure of(Throwable err) {
        StorageException storage = storageCause(err);
        if (storage != null && storage.diskFull()) {
            return new StorageFailure(507, "insufficient-storage", "the server's disk is full; the append was not stored");
        }
        if (storage != null && storage.unavailable()) {
            return new StorageFailure(503, "store-unavailable", "the store is unavailable; retry shortly");
        }
        if (storage != null && storage.outOfFileDescriptors()) {
            return new StorageFailure(503, "overloaded", "the server is out of file descriptors; retry later");
        }
        return new StorageFailure(500, "storage-error", "the request could not be stored");
    }

    /** Seconds a client should wait before retrying, or 0 when retrying soon would not help. */
    public int retryAfterSeconds() {
        return status == 503 ? 1 : 0;
    }

    /**
     * {@link #of}, and logs the failure through a {@link ThrottledLog}. A storage failure (a full
     * disk, an I/O error) is expected operation and its message says all there is: one line, no
     * stack trace. Anything else is a bug, logged with its stack trace.
     */
    public static StorageFailure report(Throwable err) {
        return report(err, LOG);
    }

    /** {@link #report(Throwable)} into {@code log}. */
    static StorageFailure report(Throwable err, ThrottledLog log) {
        StorageFailure failure = of(err);
        StorageException storage = storageCause(err);
        if (storage != null) {
            log.log(System.Logger.Level.WARNING, failure.type, "request answered " + failure.status + " " + failure.type
                    + ": " + storage.getMessage(), null);
        } else {
            log.log(System.Logger.Level.ERROR, "unexpected", "request answered " + failure.status + " after an unexpected failure", err);
        }
        return failure;
    }

    private static StorageException storageCause(Throwable err) {
        for (Throwable t = err; t != null; t = t.getCause()) {
            if (t instanceof StorageException se) {
                return se;
            }
        }
        return null;
    }
}
