package io.raceguard.spring;

import java.lang.reflect.Method;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import org.springframework.boot.convert.DurationStyle;
import org.springframework.context.expression.MethodBasedEvaluationContext;
import org.springframework.core.DefaultParameterNameDiscoverer;
import org.springframework.core.ParameterNameDiscoverer;
import org.springframework.expression.Expression;
import org.springframework.expression.ParseException;
import org.springframework.expression.spel.SpelNode;
import org.springframework.expression.spel.ast.VariableReference;
import org.springframework.expression.spel.standard.SpelExpression;
import org.springframework.expression.spel.standard.SpelExpressionParser;

/**
 * A {@link Locked} method's settings, checked once: the key expression parsed and its variables
 * matched against the method's parameters, the durations parsed. Immutable and thread-safe.
 */
final class LockedMethods {

    private static final SpelExpressionParser PARSER = new SpelExpressionParser();
    private static final ParameterNameDiscoverer PARAMETER_NAMES = new DefaultParameterNameDiscoverer();

    private LockedMethods() {}

    /**
     * @param method the annotated method, as declared
     * @param locked its annotation
     * @return the checked settings
     * @throws IllegalStateException naming the method if the key is blank, malformed or names an unknown
     *     variable, or a duration is malformed
     */
    static Settings settings(Method method, Locked locked) {
        String where = describe(method);
        if (locked.key().isBlank()) {
            throw new IllegalStateException("@Locked on " + where + " needs a key expression, such as key = \"#id\"");
        }
        Expression key;
        try {
            key = PARSER.parseExpression(locked.key());
        } catch (ParseException malformed) {
            throw new IllegalStateException("@Locked on " + where + " has a key that does not parse: "
                    + malformed.getMessage(), malformed);
        }
        Set<String> known = knownVariables(method);
        checkVariables(((SpelExpression) key).getAST(), known, where);
        String name = locked.name().isEmpty()
                ? method.getDeclaringClass().getSimpleName() + "." + method.getName() : locked.name();
        return new Settings(where, name, key, duration(locked.ttl(), "ttl", where),
                duration(locked.waitUpTo(), "waitUpTo", where));
    }

    static String describe(Method method) {
        return method.getDeclaringClass().getName() + "." + method.getName() + "("
                + String.join(", ", Arrays.stream(method.getParameterTypes()).map(Class::getSimpleName).toList()) + ")";
    }

    private static Set<String> knownVariables(Method method) {
        Set<String> known = new HashSet<>(Set.of("root", "this"));
        String[] names = PARAMETER_NAMES.getParameterNames(method);
        for (int index = 0; index < method.getParameterCount(); index++) {
            known.add("a" + index);
            known.add("p" + index);
            if (names != null) {
                known.add(names[index]);
            }
        }
        return known;
    }

    private static void checkVariables(SpelNode node, Set<String> known, String where) {
        if (node instanceof VariableReference) {
            String variable = node.toStringAST().substring(1);
            if (!known.contains(variable)) {
                throw new IllegalStateException("@Locked on " + where + " has a key naming #" + variable
                        + ", which is not one of its parameters " + known);
            }
        }
        for (int child = 0; child < node.getChildCount(); child++) {
            checkVariables(node.getChild(child), known, where);
        }
    }

    private static Duration duration(String text, String attribute, String where) {
        try {
            Duration parsed = DurationStyle.detectAndParse(text);
            if (parsed.isNegative() || attribute.equals("ttl") && parsed.isZero()) {
                throw new IllegalArgumentException("out of range");
            }
            return parsed;
        } catch (IllegalArgumentException malformed) {
            throw new IllegalStateException("@Locked on " + where + " has " + attribute + " = \"" + text
                    + "\", which is not a " + (attribute.equals("ttl") ? "positive" : "non-negative")
                    + " duration such as 30s", malformed);
        }
    }

    /**
     * @param method the method, for messages
     * @param name the lock key's fixed part
     * @param key the parsed key expression
     * @param ttl the lease's ttl
     * @param waitUpTo how long a call waits
     */
    record Settings(String method, String name, Expression key, Duration ttl, Duration waitUpTo) {

        /**
         * @return the lock key for a call
         * @throws IllegalArgumentException naming the method if the key evaluates to null or blank
         */
        String lockKey(Object target, Method method, Object[] arguments) {
            MethodBasedEvaluationContext context =
                    new MethodBasedEvaluationContext(target, method, arguments, PARAMETER_NAMES);
            Object value = key.getValue(context);
            if (value == null || value.toString().isBlank()) {
                throw new IllegalArgumentException("@Locked on " + this.method + ": the key " + key.getExpressionString()
                        + " evaluated to " + (value == null ? "null" : "a blank string") + "; nothing was locked");
            }
            return name + ":" + value;
        }
    }
}
