package io.raceguard.benchmarks;

import java.lang.management.ManagementFactory;
import java.util.Collection;
import java.util.List;
import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.infra.IterationParams;
import org.openjdk.jmh.profile.InternalProfiler;
import org.openjdk.jmh.results.AggregationPolicy;
import org.openjdk.jmh.results.IterationResult;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.ScalarResult;

/**
 * Reports the CPU time the benchmark JVM spent per operation ({@value #LABEL}, in ns/op): every
 * thread of the process, so client library threads (a pool, an event loop, a subscriber) count too.
 * Unlike throughput it hardly moves when other processes compete for the cores, which makes it the
 * steadier figure on a shared machine. It does not see the servers' CPU: round trips and
 * server-side work are outside it.
 */
public final class CpuTimeProfiler implements InternalProfiler {

    static final String LABEL = "cpu.time.norm";

    private final com.sun.management.OperatingSystemMXBean system =
            (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    private long startedNanos;

    @Override
    public String getDescription() {
        return "CPU time of the whole benchmark JVM per operation";
    }

    @Override
    public void beforeIteration(BenchmarkParams benchmarkParams, IterationParams iterationParams) {
        startedNanos = system.getProcessCpuTime();
    }

    @Override
    public Collection<? extends Result> afterIteration(BenchmarkParams benchmarkParams, IterationParams iterationParams,
            IterationResult result) {
        long operations = result.getMetadata().getAllOps();
        double perOperation = operations == 0 ? Double.NaN
                : (double) (system.getProcessCpuTime() - startedNanos) / operations;
        return List.of(new ScalarResult(LABEL, perOperation, "ns/op", AggregationPolicy.AVG));
    }
}
