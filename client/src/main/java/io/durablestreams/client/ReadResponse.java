package io.durablestreams.client;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.Flow;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A read in progress, returned by {@link DurableStream#read(ReadOptions)}.
 *
 * <p>The getters report the read's current position and state: {@link #offset()} (the checkpoint after
 * everything delivered so far), {@link #cursor()}, {@link #upToDate()} and {@link #closed()} (EOF).
 *
 * <p>The data is consumed <em>once</em>, by exactly one of: {@link #readAllBytes()},
 * {@link #readAllText()}, {@link #readAllJson()} (or {@code readAllJson(Order.class)}), {@link #chunks()},
 * {@link #jsonBatches()} (or {@code jsonBatches(Order.class)}),
 * {@link #publisher()} or {@link #subscribe(ChunkListener)}; a second call throws
 * {@link IllegalStateException}. The {@code readAll*} methods collect until the read ends: for a catch-up
 * read when the tail is reached, for a live read only at EOF (stream closed) or {@link #close()}.
 *
 * <p>{@link #close()} may be called from any thread; it stops a live read at once, releasing its
 * connection, and makes a blocked consumer see the end of the read. Always close live reads.
 */
public final class ReadResponse implements AutoCloseable {
    private final ReadSession session;
    private final JsonCodec json;
    private final AtomicBoolean consumed = new AtomicBoolean();

    ReadResponse(ReadSession session, JsonCodec json) {
        this.session = session;
        this.json = json;
    }

    /** HTTP status of the first response (0 if a long-poll from {@code now} has not answered yet). */
    public int status() {
        return session.firstStatus();
    }

    /** HTTP status of the latest response: 204 when the last long-poll ended without data. */
    public int lastStatus() {
        return session.lastStatus();
    }

    /** The offset after everything received so far: where to resume. */
    public String offset() {
        return session.offset();
    }

    /** The latest cursor from the server, or {@code null}. */
    public String cursor() {
        return session.cursor();
    }

    /** Whether the read has caught up with the tail. */
    public boolean upToDate() {
        return session.upToDate();
    }

    /** Whether the stream is closed and the read reached its end: EOF. */
    public boolean closed() {
        return session.closed();
    }

    /** The stream's content type as reported by the server, or {@code null} if not known yet. */
    public String contentType() {
        return session.contentType();
    }

    /**
     * The stream's incarnation as the server last reported it ({@code Stream-Incarnation}), or
     * {@code null} for servers without the stream-incarnations extension.
     */
    public String incarnation() {
        return session.incarnation();
    }

    /**
     * All remaining bytes until the read ends. If a restartable stream is recreated meanwhile, only the
     * new incarnation's bytes are returned.
     */
    public byte[] readAllBytes() {
        claim();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (CloseableIterator<Chunk> it = iterator()) {
            while (it.hasNext()) {
                Chunk c = it.next();
                if (c.reset()) {
                    out.reset();
                }
                out.writeBytes(c.rawData());
            }
        }
        return out.toByteArray();
    }

    /** All remaining data decoded as UTF-8 (malformed sequences become U+FFFD). */
    public String readAllText() {
        return new String(readAllBytes(), StandardCharsets.UTF_8);
    }

    /**
     * All remaining messages of a JSON stream, decoded with the client's {@link JsonCodec}; like
     * {@link #readAllBytes()}, only the new incarnation's after a restart.
     */
    public List<Object> readAllJson() {
        return readAllJson(Object.class);
    }

    /**
     * All remaining messages of a JSON stream, each converted to {@code type} by the client's
     * {@link JsonCodec} (with {@code JacksonJsonCodec}, any type Jackson binds, records included).
     *
     * @throws ParseException if a message cannot be converted
     */
    public <T> List<T> readAllJson(Class<T> type) {
        claim();
        List<T> all = new ArrayList<>();
        try (CloseableIterator<JsonBatch<T>> it = jsonIterator(type)) {
            while (it.hasNext()) {
                JsonBatch<T> batch = it.next();
                if (batch.reset()) {
                    all.clear();
                }
                all.addAll(batch.messages());
            }
        }
        return all;
    }

    /** The chunks, blocking as needed. Close the iterator (or this response) to stop early. */
    public CloseableIterator<Chunk> chunks() {
        claim();
        return iterator();
    }

    /** The JSON batches of a JSON stream, each with its checkpoint offset. */
    public CloseableIterator<JsonBatch<Object>> jsonBatches() {
        return jsonBatches(Object.class);
    }

    /**
     * The JSON batches of a JSON stream with their messages converted to {@code type} by the client's
     * {@link JsonCodec}, each with its checkpoint offset.
     */
    public <T> CloseableIterator<JsonBatch<T>> jsonBatches(Class<T> type) {
        claim();
        return jsonIterator(type);
    }

    /**
     * Completes when the read ends, with the offset to resume from: at EOF (the stream was closed), at
     * the tail for a read that is not live, or when {@link #close()} stopped it; exceptionally with the
     * {@link DurableStreamException} that ended it. It completes only as the data is consumed (or on
     * close): wait on it from another thread than the consumer's, e.g. to know when a tail that runs
     * with {@link #subscribe(ChunkListener)} is over.
     */
    public CompletableFuture<String> done() {
        return session.done();
    }

    /**
     * The chunks as a single-subscriber {@link Flow.Publisher} delivering on a new daemon thread.
     * Cancelling the subscription closes this response.
     */
    public Flow.Publisher<Chunk> publisher() {
        return publisher(null);
    }

    /** Like {@link #publisher()}, delivering on {@code executor}; one task runs for the whole read. */
    public Flow.Publisher<Chunk> publisher(Executor executor) {
        claim();
        return new ChunkPublisher(session, executor);
    }

    /**
     * Delivers the chunks to {@code listener} on a new daemon thread until the read ends; see
     * {@link ChunkListener} for the callback contract. Close this response to stop.
     */
    public void subscribe(ChunkListener listener) {
        publisher().subscribe(new Flow.Subscriber<>() {
            @Override
            public void onSubscribe(Flow.Subscription subscription) {
                subscription.request(Long.MAX_VALUE);
            }

            @Override
            public void onNext(Chunk item) {
                listener.onChunk(item);
            }

            @Override
            public void onError(Throwable throwable) {
                if (throwable instanceof DurableStreamException e) {
                    listener.onError(e);
                } else {
                    listener.onError(new UnexpectedStatusException("read failed: " + throwable, 0, null, throwable));
                }
            }

            @Override
            public void onComplete() {
                listener.onComplete();
            }
        });
    }

    /** Stops the read and releases its connection. Idempotent; callable from any thread. */
    @Override
    public void close() {
        session.close();
    }

    private void claim() {
        if (!consumed.compareAndSet(false, true)) {
            throw new IllegalStateException("a ReadResponse can be consumed only once");
        }
    }

    private CloseableIterator<Chunk> iterator() {
        return new CloseableIterator<>() {
            private Chunk next;
            private boolean ended;

            @Override
            public boolean hasNext() {
                if (next == null && !ended) {
                    next = session.next();
                    ended = next == null;
                }
                return next != null;
            }

            @Override
            public Chunk next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                Chunk c = next;
                next = null;
                return c;
            }

            @Override
            public void close() {
                session.close();
            }
        };
    }

    private <T> CloseableIterator<JsonBatch<T>> jsonIterator(Class<T> type) {
        CloseableIterator<Chunk> chunks = iterator();
        return new CloseableIterator<>() {
            @Override
            public boolean hasNext() {
                return chunks.hasNext();
            }

            @Override
            public JsonBatch<T> next() {
                Chunk c = chunks.next();
                return new JsonBatch<>(decode(c, type), c.offset(), c.upToDate(), c.closed(), c.reset());
            }

            @Override
            public void close() {
                chunks.close();
            }
        };
    }

    private <T> List<T> decode(Chunk c, Class<T> type) {
        if (c.isEmpty()) {
            return List.of();
        }
        Object parsed;
        try {
            parsed = json.parse(c.text());
        } catch (RuntimeException e) {
            throw new ParseException("JSON codec rejected a batch of " + session.offset() + ": " + e.getMessage(),
                    0, null, e);
        }
        if (!(parsed instanceof List<?> list)) {
            throw new ParseException("JSON batch is not an array", 0, null, null);
        }
        List<T> messages = new ArrayList<>(list.size());
        for (Object message : list) {
            try {
                messages.add(json.convert(message, type));
            } catch (RuntimeException e) {
                throw new ParseException("JSON message before " + c.offset() + " is not a " + type.getSimpleName()
                        + ": " + e.getMessage(), 0, null, e);
            }
        }
        return messages;
    }
}
