package io.durablestreams.cli;

import io.durablestreams.client.BadRequestException;
import io.durablestreams.client.DurableStreamException;
import io.durablestreams.client.OffsetGoneException;
import io.durablestreams.client.ParseException;
import io.durablestreams.client.ProducerDuplicateException;
import io.durablestreams.client.SequenceConflictException;
import io.durablestreams.client.SequenceGapException;
import io.durablestreams.client.StaleEpochException;
import io.durablestreams.client.StreamClosedException;
import io.durablestreams.client.StreamConflictException;
import io.durablestreams.client.StreamNotFoundException;
import io.durablestreams.client.TailMovedException;

/**
 * The exit codes of {@code ds}, one per class of failure, so scripts can react without parsing
 * messages. The same list appears in every command's help ({@link #HELP}) and in docs/cli.md.
 */
final class ExitCode {
    static final int OK = 0;
    /** Bad flags or arguments, a missing config file, or an unexpected internal error. */
    static final int USAGE = 1;
    /** The stream does not exist (404), or the offset is gone (410). */
    static final int NOT_FOUND = 2;
    /**
     * The stream exists with another configuration, is closed, a sequence or producer epoch was refused, or
     * a conditional write found another tail.
     */
    static final int CONFLICT = 3;
    /** Missing or insufficient credentials (401, 403). */
    static final int AUTH = 4;
    /**
     * The server could not be reached, timed out, or kept failing (5xx, 429 after retries); local I/O failed;
     * {@code serve} cannot bind its port, use its data directory or reach its database.
     */
    static final int UNAVAILABLE = 5;
    /** Malformed data: invalid JSON input, an invalid offset, or a request the server rejected (400, 413). */
    static final int BAD_DATA = 6;

    /** Picocli {@code exitCodeList} entries: "code:description". */
    static final String[] HELP = {
            "0:success",
            "1:usage error (bad flags or arguments, unreadable config file)",
            "2:stream not found (404) or offset gone (410)",
            "3:conflict: stream exists with another configuration, is closed, a sequence/producer epoch was refused, or --if-tail found another tail",
            "4:authentication or authorization failed (401, 403): check --auth / STREAM_AUTH",
            "5:network, I/O or server error: unreachable, timed out, 5xx or 429 after retries; serve: port or data directory in use, database unreachable",
            "6:bad data: invalid JSON input, invalid offset, or request rejected (400, 413)",
    };

    private ExitCode() {
    }

    /** The exit code for a client failure. */
    static int of(DurableStreamException e) {
        if (e instanceof StreamNotFoundException || e instanceof OffsetGoneException) {
            return NOT_FOUND;
        }
        if (e instanceof StreamConflictException || e instanceof StreamClosedException
                || e instanceof SequenceConflictException || e instanceof SequenceGapException
                || e instanceof StaleEpochException || e instanceof ProducerDuplicateException
                || e instanceof TailMovedException) {
            return CONFLICT;
        }
        if (e instanceof BadRequestException || e instanceof ParseException) {
            return BAD_DATA;
        }
        return switch (e.status()) {
            case 401, 403 -> AUTH;
            case 400, 413, 415 -> BAD_DATA;
            case 404, 410 -> NOT_FOUND;
            case 409 -> CONFLICT;
            default -> UNAVAILABLE;
        };
    }
}
