package io.durablestreams.conformance.adapter;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.durablestreams.client.BadRequestException;
import io.durablestreams.client.DurableStreamException;
import io.durablestreams.client.InvalidOffsetException;
import io.durablestreams.client.ParseException;
import io.durablestreams.client.SequenceConflictException;
import io.durablestreams.client.StaleEpochException;
import io.durablestreams.client.StreamClosedException;
import io.durablestreams.client.StreamConflictException;
import io.durablestreams.client.StreamNetworkException;
import io.durablestreams.client.StreamNotFoundException;

/** Builds replies, and maps client exceptions to the suite's error codes (ADAPTER.md §3.4, §3.5). */
final class Replies {
    private Replies() {
    }

    static ObjectNode success(ObjectMapper mapper, String type) {
        ObjectNode reply = mapper.createObjectNode();
        reply.put("type", type);
        reply.put("success", true);
        return reply;
    }

    static ObjectNode error(ObjectMapper mapper, String commandType, Throwable e) {
        ObjectNode reply = mapper.createObjectNode();
        reply.put("type", "error");
        reply.put("success", false);
        reply.put("commandType", commandType);
        if (e instanceof DurableStreamException d && d.status() > 0) {
            reply.put("status", d.status());
        }
        reply.put("errorCode", errorCode(e));
        reply.put("message", e.getMessage() == null ? e.toString() : e.getMessage());
        reply.putObject("details");
        return reply;
    }

    static ObjectNode notSupported(ObjectMapper mapper, String commandType, String message) {
        ObjectNode reply = error(mapper, commandType, new UnsupportedOperationException(message));
        reply.put("errorCode", "NOT_SUPPORTED");
        return reply;
    }

    private static String errorCode(Throwable e) {
        if (e instanceof StreamNotFoundException) {
            return "NOT_FOUND";
        }
        if (e instanceof InvalidOffsetException) {
            return "INVALID_OFFSET";
        }
        if (e instanceof ParseException) {
            return "PARSE_ERROR";
        }
        if (e instanceof StreamClosedException) {
            return "STREAM_CLOSED";
        }
        if (e instanceof SequenceConflictException) {
            return "SEQUENCE_CONFLICT";
        }
        if (e instanceof StreamConflictException) {
            return "CONFLICT";
        }
        if (e instanceof StreamNetworkException) {
            return "NETWORK_ERROR";
        }
        if (e instanceof StaleEpochException || e instanceof BadRequestException
                || e instanceof DurableStreamException) {
            return "UNEXPECTED_STATUS";
        }
        if (e instanceof IllegalArgumentException) {
            return "INVALID_ARGUMENT";
        }
        return "INTERNAL_ERROR";
    }
}
