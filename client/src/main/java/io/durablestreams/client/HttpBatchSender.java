package io.durablestreams.client;

import java.util.Map;
import java.util.concurrent.Executor;
import java.util.function.Consumer;

/**
 * Sends producer batches as POSTs with {@code Producer-Id/Epoch/Seq} (§5.2.1) and maps the answers to
 * {@link ProducerPipeline.Outcome}s. Network failures and 5xx are retried by the {@link Transport} with
 * the same coordinates, which the server deduplicates; the outcome says whether that happened, because
 * only then can a duplicate answer be the server recognising our own earlier try.
 */
final class HttpBatchSender implements ProducerPipeline.BatchSender {
    private final DurableStream stream;
    private final String producerId;
    private final String contentType;
    private final Map<String, String> headers;
    private final Executor executor;

    HttpBatchSender(DurableStream stream, String producerId, String contentType, Map<String, String> headers,
                    Executor executor) {
        this.stream = stream;
        this.producerId = producerId;
        this.contentType = contentType;
        this.headers = headers;
        this.executor = executor;
    }

    @Override
    public void send(ProducerPipeline.Attempt attempt, Consumer<ProducerPipeline.Outcome> onOutcome) {
        executor.execute(() -> onOutcome.accept(sendNow(attempt)));
    }

    /** Sends synchronously on the calling thread. */
    ProducerPipeline.Outcome sendNow(ProducerPipeline.Attempt attempt) {
        byte[] body = attempt.batch().body();
        Request r = new Request(Request.Kind.PRODUCER, "POST", stream.url())
                .headers(headers)
                .header(ProtocolHeaders.PRODUCER_ID, producerId)
                .header(ProtocolHeaders.PRODUCER_EPOCH, Long.toString(attempt.epoch()))
                .header(ProtocolHeaders.PRODUCER_SEQ, Long.toString(attempt.seq()))
                .header(ProtocolHeaders.CONTENT_TYPE, body.length > 0 ? contentType : null)
                .header(ProtocolHeaders.STREAM_CLOSED, attempt.closeStream() ? "true" : null)
                .header(ProtocolHeaders.STREAM_INCARNATION, attempt.incarnation())
                .body(body.length > 0 ? body : null);
        Call call = stream.transport().newCall(r);
        try {
            Response response = call.execute();
            return new ProducerPipeline.Outcome.Accepted(response.header(ProtocolHeaders.STREAM_NEXT_OFFSET),
                    isDuplicate(response, body.length == 0), response.header(ProtocolHeaders.STREAM_INCARNATION),
                    call.resentAfterUnknownOutcome());
        } catch (StaleEpochException e) {
            return new ProducerPipeline.Outcome.Stale(e);
        } catch (SequenceGapException e) {
            return new ProducerPipeline.Outcome.Gap(e, call.resentAfterUnknownOutcome());
        } catch (DurableStreamException e) {
            return new ProducerPipeline.Outcome.Failed(e);
        } catch (RuntimeException e) {
            return new ProducerPipeline.Outcome.Failed(new UnexpectedStatusException(
                    "producer " + producerId + " request failed: " + e, 0, stream.url(), e));
        }
    }

    /**
     * Whether the server answered "already held" (204, §5.2.1) rather than "written". Not every 204 says
     * that: a close without data succeeds with 204 (§5.3), as does a repeat of it (both close the
     * stream, which is all it asks for), and a server that ignores producer headers answers a stored
     * plain append with 204 (§5.2) and echoes no {@code Producer-Epoch}.
     */
    private static boolean isDuplicate(Response response, boolean closeOnly) {
        return response.status() == 204
                && response.header(ProtocolHeaders.PRODUCER_EPOCH) != null
                && !(closeOnly && response.flag(ProtocolHeaders.STREAM_CLOSED));
    }
}
