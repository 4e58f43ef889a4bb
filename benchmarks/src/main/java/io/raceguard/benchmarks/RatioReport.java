package io.raceguard.benchmarks;

import java.lang.reflect.Field;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.profile.GCProfiler;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * Runs the benchmark suites and prints, for each, how Raceguard compares with the baselines the
 * suite names.
 *
 * <p>Convention: every suite compared against baselines is a {@code @State} class with a
 * {@code @Param} field named {@value #IMPL_PARAM}; its first value is Raceguard, the others are the baselines. A ratio
 * above 1 always means Raceguard is better (more operations per second, or less time per operation).
 *
 * <p>Usage: {@code java -jar benchmarks/target/raceguard-benchmarks.jar [--full] [suite-regex ...]}.
 * Without {@code --full} every suite runs briefly (one fork, short iterations): enough for ratios, not
 * for publication-grade error bars.
 */
public final class RatioReport {

    static final String IMPL_PARAM = "impl";
    private static final String ALLOCATION_LABEL = "gc.alloc.rate.norm";

    private RatioReport() {}

    public static void main(String[] args) throws RunnerException, ClassNotFoundException {
        boolean full = false;
        List<String> includes = new ArrayList<>();
        for (String arg : args) {
            if (arg.equals("--full")) {
                full = true;
            } else {
                includes.add(arg);
            }
        }
        ChainedOptionsBuilder options = new OptionsBuilder().forks(1).shouldFailOnError(true)
                .addProfiler(CpuTimeProfiler.class)
                .addProfiler(GCProfiler.class);
        if (includes.isEmpty()) {
            options.include(RatioReport.class.getPackageName() + "\\..*Benchmark.*");
        } else {
            includes.forEach(options::include);
        }
        if (full) {
            options.warmupIterations(5).warmupTime(TimeValue.seconds(2))
                    .measurementIterations(10).measurementTime(TimeValue.seconds(2));
        } else {
            options.warmupIterations(2).warmupTime(TimeValue.seconds(1))
                    .measurementIterations(3).measurementTime(TimeValue.seconds(1));
        }
        Collection<RunResult> results = new Runner(options.build()).run();
        System.out.println();
        System.out.print(table(results));
    }

    /**
     * Renders one row per result, with its ratio against the suite's Raceguard row, and the same for
     * the CPU time per operation where {@link CpuTimeProfiler} measured it. A sampled-time result
     * ({@code Mode.SampleTime}) gets a second group of rows: its 99th percentile.
     */
    static String table(Collection<RunResult> results) throws ClassNotFoundException {
        Map<String, Map<String, Score>> groups = new TreeMap<>();
        Map<String, String> subjects = new LinkedHashMap<>();
        for (RunResult run : results) {
            var params = run.getParams();
            String benchmark = params.getBenchmark();
            String impl = params.getParamsKeys().contains(IMPL_PARAM) ? params.getParam(IMPL_PARAM) : "-";
            StringBuilder group = new StringBuilder(benchmark.substring(benchmark.lastIndexOf('.',
                    benchmark.lastIndexOf('.') - 1) + 1));
            for (String key : params.getParamsKeys()) {
                if (!key.equals(IMPL_PARAM)) {
                    group.append(' ').append(key).append('=').append(params.getParam(key));
                }
            }
            group.append(" threads=").append(params.getThreads());
            String subject = subjectOf(benchmark);
            Result<?> primary = run.getPrimaryResult();
            add(groups, subjects, group.toString(), impl, subject,
                    new Score(primary.getScore(), primary.getScoreError(),
                    primary.getScoreUnit(), secondary(run, CpuTimeProfiler.LABEL), secondary(run, ALLOCATION_LABEL)));
            if (params.getMode() == Mode.SampleTime) {
                add(groups, subjects, group + " p99", impl, subject,
                        new Score(primary.getStatistics().getPercentile(99), Double.NaN, primary.getScoreUnit(),
                                Double.NaN,
                                Double.NaN));
            }
        }
        int width = groups.keySet().stream().mapToInt(String::length).max().orElse(0);
        String line = "%-" + Math.max(width, "benchmark".length()) + "s  %-24s %20s %-8s %8s %12s %9s %10s%n";
        StringBuilder out = new StringBuilder();
        out.append(String.format(line, "benchmark", "impl", "score", "unit", "ratio", "cpu ns/op", "cpu ratio",
                "alloc B/op"));
        for (var group : groups.entrySet()) {
            Score subject = group.getValue().get(subjects.get(group.getKey()));
            for (var row : group.getValue().entrySet()) {
                Score score = row.getValue();
                boolean compared = subject != null && score != subject;
                String ratio = compared ? String.format("%.2fx", subject.ratioTo(score)) : "";
                String cpuRatio = compared && !Double.isNaN(score.cpuNanos()) && !Double.isNaN(subject.cpuNanos())
                        ? String.format("%.2fx", score.cpuNanos() / subject.cpuNanos()) : "";
                out.append(String.format(line, group.getKey(), row.getKey(), score, score.unit(), ratio,
                        whole(score.cpuNanos()), cpuRatio, whole(score.allocatedBytes())));
            }
        }
        out.append("ratio, cpu ratio: Raceguard (the first impl of each suite) against that row; above 1 means"
                + " Raceguard"
                + " is better (faster, or less CPU of the benchmark JVM per operation).\n");
        return out.toString();
    }

    private static double secondary(RunResult run, String label) {
        Result<?> result = run.getSecondaryResults().get(label);
        return result == null ? Double.NaN : result.getScore();
    }

    private static String whole(double value) {
        return Double.isNaN(value) ? "" : String.format("%.0f", value);
    }

    private static void add(Map<String, Map<String, Score>> groups, Map<String, String> subjects, String group,
            String impl, String subject, Score score) {
        groups.computeIfAbsent(group, g -> new LinkedHashMap<>()).put(impl, score);
        subjects.putIfAbsent(group, subject);
    }

    /**
     * One figure of the table: a score, its error (NaN when there is none), its unit, and the CPU
     * time and the bytes allocated per operation (NaN when not measured).
     */
    private record Score(double value, double error, String unit, double cpuNanos, double allocatedBytes) {

        /** @return how many times better this (the subject) is than {@code baseline} */
        double ratioTo(Score baseline) {
            boolean timePerOperation = unit.endsWith("/op");
            return timePerOperation ? baseline.value / value : value / baseline.value;
        }

        @Override
        public String toString() {
            return Double.isNaN(error) ? String.format("%.3f", value) : String.format("%.3f ± %.3f", value, error);
        }
    }

    /** The first value of the suite's {@value #IMPL_PARAM} parameter, or "-" if it has none. */
    private static String subjectOf(String benchmark) throws ClassNotFoundException {
        Class<?> suite = Class.forName(benchmark.substring(0, benchmark.lastIndexOf('.')));
        for (Class<?> type = suite; type != null; type = type.getSuperclass()) {
            for (Field field : type.getDeclaredFields()) {
                Param param = field.getAnnotation(Param.class);
                if (field.getName().equals(IMPL_PARAM) && param != null && param.value().length > 0) {
                    return param.value()[0];
                }
            }
        }
        return "-";
    }

}
