package io.raceguard.testsupport.logs;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.ILoggerFactory;
import org.slf4j.IMarkerFactory;
import org.slf4j.helpers.BasicMarkerFactory;
import org.slf4j.helpers.NOPMDCAdapter;
import org.slf4j.spi.MDCAdapter;
import org.slf4j.spi.SLF4JServiceProvider;

/**
 * An SLF4J provider that keeps every record, at every level, for a test to inspect, and prints those
 * at INFO and above to standard error as any provider would. Registered nowhere: a surefire execution
 * selects it with the system property {@code slf4j.provider}, so it never competes with the
 * module's usual provider. Thread-safe.
 */
public final class CapturingLogProvider implements SLF4JServiceProvider {

    private static final List<CapturedRecord> RECORDS = new CopyOnWriteArrayList<>();

    private final ILoggerFactory loggers = name -> new CapturingLogger(name, RECORDS);
    private final IMarkerFactory markers = new BasicMarkerFactory();
    private final MDCAdapter mdc = new NOPMDCAdapter();

    /** For SLF4J, which instantiates the provider named by {@code slf4j.provider}. */
    public CapturingLogProvider() {}

    /** @return every record logged through this provider so far, in order */
    public static List<CapturedRecord> records() {
        return List.copyOf(RECORDS);
    }

    @Override
    public ILoggerFactory getLoggerFactory() {
        return loggers;
    }

    @Override
    public IMarkerFactory getMarkerFactory() {
        return markers;
    }

    @Override
    public MDCAdapter getMDCAdapter() {
        return mdc;
    }

    @Override
    public String getRequestedApiVersion() {
        return "2.0.99";
    }

    @Override
    public void initialize() {}
}
