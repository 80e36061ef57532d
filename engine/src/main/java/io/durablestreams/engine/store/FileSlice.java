package io.durablestreams.engine.store;

import java.nio.file.Path;

/**
 * Stored bytes that lie in one file: what a transport needs to send them without copying them
 * through user space ({@code sendfile}). The bytes are immutable: they are below the stream's
 * acknowledged tail.
 */
public record FileSlice(Path file, long position, long length) {}
