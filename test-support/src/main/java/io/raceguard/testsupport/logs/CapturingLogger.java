package io.raceguard.testsupport.logs;

import java.util.List;
import org.slf4j.Marker;
import org.slf4j.event.Level;
import org.slf4j.helpers.LegacyAbstractLogger;
import org.slf4j.helpers.MessageFormatter;

/** Keeps each call, every level enabled, as a {@link CapturedRecord}; echoes INFO and above to standard error. */
final class CapturingLogger extends LegacyAbstractLogger {

    private static final long serialVersionUID = 1L;

    private final transient List<CapturedRecord> records;

    CapturingLogger(String name, List<CapturedRecord> records) {
        this.name = name;
        this.records = records;
    }

    @Override
    protected String getFullyQualifiedCallerName() {
        return null;
    }

    @Override
    protected void handleNormalizedLoggingCall(
            Level level, Marker marker, String pattern, Object[] arguments, Throwable throwable) {
        CapturedRecord record = new CapturedRecord(level, name, MessageFormatter.basicArrayFormat(pattern, arguments),
                throwable);
        records.add(record);
        if (level.toInt() >= Level.INFO.toInt()) {
            System.err.println(record);
        }
    }

    @Override
    public boolean isTraceEnabled() {
        return true;
    }

    @Override
    public boolean isDebugEnabled() {
        return true;
    }

    @Override
    public boolean isInfoEnabled() {
        return true;
    }

    @Override
    public boolean isWarnEnabled() {
        return true;
    }

    @Override
    public boolean isErrorEnabled() {
        return true;
    }
}
