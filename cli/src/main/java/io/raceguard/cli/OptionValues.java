package io.raceguard.cli;

import java.time.Duration;
import java.util.Locale;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** Converters for the option values picocli does not know: durations and {@code STATUS=COUNT} pairs. */
final class OptionValues {

    private OptionValues() {}

    /** {@code STATUS=COUNT}, e.g. {@code 200=1}. */
    record StatusCount(int status, long count) {}

    /** {@code 500ms}, {@code 30s}, {@code 2m}, or a whole number of seconds. */
    static final class DurationConverter implements ITypeConverter<Duration> {
        @Override
        public Duration convert(String value) {
            String text = value.strip().toLowerCase(Locale.ROOT);
            try {
                Duration duration;
                if (text.endsWith("ms")) {
                    duration = Duration.ofMillis(Long.parseLong(text.substring(0, text.length() - 2)));
                } else if (text.endsWith("s")) {
                    duration = Duration.ofSeconds(Long.parseLong(text.substring(0, text.length() - 1)));
                } else if (text.endsWith("m")) {
                    duration = Duration.ofMinutes(Long.parseLong(text.substring(0, text.length() - 1)));
                } else {
                    duration = Duration.ofSeconds(Long.parseLong(text));
                }
                if (duration.toMillis() >= 1) {
                    return duration;
                }
            } catch (NumberFormatException notANumber) {
                // refused below
            }
            throw new TypeConversionException(
                    "'" + value + "' is not a duration of at least 1 ms, e.g. 500ms, 30s, 2m");
        }
    }

    /** {@code STATUS=COUNT}: a status from 100 to 599 and a count of at least 0. */
    static final class StatusCountConverter implements ITypeConverter<StatusCount> {
        @Override
        public StatusCount convert(String value) {
            String[] pair = value.split("=", 2);
            try {
                int status = Integer.parseInt(pair[0].strip());
                long count = Long.parseLong(pair[1].strip());
                if (status >= 100 && status <= 599 && count >= 0) {
                    return new StatusCount(status, count);
                }
            } catch (NumberFormatException | ArrayIndexOutOfBoundsException malformed) {
                // refused below
            }
            throw new TypeConversionException("'" + value + "' is not STATUS=COUNT, e.g. 200=1");
        }
    }
}
