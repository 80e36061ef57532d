package io.durablestreams.client;

import java.net.URI;

/**
 * A blocking call was interrupted because the read or producer it belongs to was closed, or because
 * the calling thread was interrupted.
 *
 * <p>What to do: nothing, if you closed the read yourself. If the thread was interrupted, its interrupt
 * flag is set again; finish up and exit.
 */
public final class ReadCancelledException extends DurableStreamException {
    ReadCancelledException(String message, int status, URI url, Throwable cause) {
        super(message, status, url, cause);
    }
}
