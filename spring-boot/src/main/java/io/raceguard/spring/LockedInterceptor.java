package io.raceguard.spring;

import io.raceguard.lock.Lease;
import io.raceguard.lock.LeaseOptions;
import io.raceguard.lock.LockManager;
import java.lang.reflect.Method;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.aopalliance.intercept.MethodInterceptor;
import org.aopalliance.intercept.MethodInvocation;
import org.springframework.aop.support.AopUtils;
import org.springframework.aop.support.StaticMethodMatcherPointcutAdvisor;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.core.annotation.AnnotatedElementUtils;

/**
 * Applies {@link Locked}: matches the annotated methods of every bean, and runs each call under its
 * lease. The settings of each method are checked once and kept. Thread-safe.
 */
final class LockedInterceptor extends StaticMethodMatcherPointcutAdvisor implements MethodInterceptor {

    private static final long serialVersionUID = 1L;

    private final transient ObjectProvider<LockManager> locks;
    private final transient Map<Method, LockedMethods.Settings> settingsByMethod = new ConcurrentHashMap<>();

    LockedInterceptor(ObjectProvider<LockManager> locks) {
        this.locks = locks;
        setAdvice(this);
    }

    @Override
    public boolean matches(Method method, Class<?> targetClass) {
        return annotationOf(AopUtils.getMostSpecificMethod(method, targetClass)) != null;
    }

    /**
     * @return the method's checked settings
     * @throws IllegalStateException naming the method if its annotation is invalid
     */
    LockedMethods.Settings settingsOf(Method method) {
        return settingsByMethod.computeIfAbsent(method, annotated -> LockedMethods.settings(annotated,
                annotationOf(annotated)));
    }

    static Locked annotationOf(Method method) {
        return AnnotatedElementUtils.findMergedAnnotation(method, Locked.class);
    }

    @Override
    public Object invoke(MethodInvocation invocation) throws Throwable {
        Object target = invocation.getThis();
        Method method = target == null ? invocation.getMethod()
                : AopUtils.getMostSpecificMethod(invocation.getMethod(), target.getClass());
        LockedMethods.Settings settings = settingsOf(method);
        String key = settings.lockKey(target, method, invocation.getArguments());
        try (Lease lease = locks.getObject().acquire(key, LeaseOptions.ttl(settings.ttl())
                .waitUpTo(settings.waitUpTo()))) {
            return invocation.proceed();
        }
    }
}
