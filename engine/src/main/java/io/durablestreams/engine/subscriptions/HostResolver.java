package io.durablestreams.engine.subscriptions;

import java.net.InetAddress;
import java.net.UnknownHostException;

/** Name resolution of webhook hosts; a seam so tests can answer differently on each lookup. */
@FunctionalInterface
interface HostResolver {
    HostResolver SYSTEM = InetAddress::getAllByName;

    /** Every address of the host (blocking). */
    InetAddress[] resolve(String host) throws UnknownHostException;
}
