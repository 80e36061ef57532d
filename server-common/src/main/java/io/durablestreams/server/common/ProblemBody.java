package io.durablestreams.server.common;

import com.fasterxml.jackson.core.io.JsonStringEncoder;

/** The {@code application/problem+json} body of the answers a binding gives on its own (auth, limits, storage failures). */
public final class ProblemBody {
    public static final String CONTENT_TYPE = "application/problem+json";

    private ProblemBody() {}

    public static String json(int status, String type, String detail) {
        StringBuilder json = new StringBuilder(96).append("{\"type\":\"").append(type).append("\",\"status\":")
                .append(status).append(",\"detail\":\"");
        JsonStringEncoder.getInstance().quoteAsString(detail, json);
        return json.append("\"}").toString();
    }
}
