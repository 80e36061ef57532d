package io.durablestreams.client;

import java.net.URI;

/**
 * Base of every failure the client reports. Each subclass names one protocol outcome and says, in its
 * Javadoc, what the caller should do about it.
 *
 * <p>{@link #status()} is the HTTP status of the response that caused the failure, or {@code 0} when no
 * response was received (see {@link StreamNetworkException}). {@link #url()} is the stream URL the
 * request was addressed to.
 */
public abstract sealed class DurableStreamException extends RuntimeException
        permits StreamNotFoundException, StreamConflictException, StreamClosedException,
        SequenceConflictException, StaleEpochException, SequenceGapException, OffsetGoneException,
        BadRequestException, ParseException, UnexpectedStatusException, StreamNetworkException,
        ReadCancelledException, StreamResetException, IncarnationChangedException, ProducerDuplicateException,
        TailMovedException {

    private final int status;
    private final URI url;
    /** Set once by {@link Failures} before the exception is thrown; null when the response had none. */
    private String problemType;

    DurableStreamException(String message, int status, URI url, Throwable cause) {
        super(message, cause);
        this.status = status;
        this.url = url;
    }

    /** The HTTP status that caused this failure, or {@code 0} if no response was received. */
    public int status() {
        return status;
    }

    /**
     * The {@code type} of the server's {@code application/problem+json} error body (for example
     * {@code sequence-conflict}, {@code stream-closed}, {@code invalid-offset}), or {@code null} when the
     * failure had no such body (a network failure, another server).
     */
    public String problemType() {
        return problemType;
    }

    DurableStreamException withProblemType(String type) {
        this.problemType = type;
        return this;
    }

    /** The URL of the stream the failed request addressed. */
    public URI url() {
        return url;
    }
}
