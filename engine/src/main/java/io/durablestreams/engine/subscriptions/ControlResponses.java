package io.durablestreams.engine.subscriptions;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.durablestreams.engine.http.Response;
import java.util.Locale;

/**
 * Responses of the {@code __ds} endpoints. An error is an RFC 9457 problem ({@code type} is the
 * error code as a slug) that also carries the protocol's {@code error} object (PROTOCOL.md §7:
 * {@code {"error":{"code":"FENCED",...}}}), so both kinds of clients find what they look for.
 */
final class ControlResponses {
    private ControlResponses() {}

    static Response json(int status, ObjectNode body) {
        return new Response(status).header("content-type", "application/json").body(body.toString());
    }

    static Response error(int status, String code, String message) {
        return problem(status, code, message).response();
    }

    /** An error to which more members of the {@code error} object can be added. */
    static Problem problem(int status, String code, String message) {
        return new Problem(status, code, message);
    }

    static final class Problem {
        private final ObjectNode body = JsonNodeFactory.instance.objectNode();
        private final ObjectNode error;
        private final int status;

        private Problem(int status, String code, String message) {
            this.status = status;
            body.put("type", code.toLowerCase(Locale.ROOT).replace('_', '-')).put("title", title(status))
                    .put("status", status).put("detail", message);
            error = body.putObject("error").put("code", code).put("message", message);
        }

        /** The protocol's {@code error} object, for members such as {@code current_holder}. */
        ObjectNode error() {
            return error;
        }

        Response response() {
            return new Response(status).header("content-type", "application/problem+json").body(body.toString());
        }
    }

    private static String title(int status) {
        return switch (status) {
            case 400 -> "Bad request";
            case 401 -> "Unauthorized";
            case 404 -> "Not found";
            case 405 -> "Method not allowed";
            case 409 -> "Conflict";
            case 501 -> "Not implemented";
            default -> "Internal server error";
        };
    }
}
