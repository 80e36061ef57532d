package io.durablestreams.bench;

/** One benchmark scenario against one server. */
public interface Scenario {
    /** Short id used on the command line ({@code --scenarios}). */
    String id();

    void run(Target target, Results out) throws Exception;
}
