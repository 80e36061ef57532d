package io.durablestreams.engine.http;

/**
 * Which streams the caller may read, as the binding's authorization decided. The engine needs it
 * only where one request reaches many streams (the listing under {@code __ds}); every other request
 * names its stream, and the binding allows or refuses it before the engine sees it.
 */
@FunctionalInterface
public interface ReadScope {
    /** Every stream: a binding without authorization, or a caller allowed to read everything. */
    ReadScope ALL = stream -> true;
    /** No stream. */
    ReadScope NONE = stream -> false;

    boolean mayRead(String stream);
}
