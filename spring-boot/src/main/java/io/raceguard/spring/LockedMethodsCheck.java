package io.raceguard.spring;

import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.util.ClassUtils;
import org.springframework.util.ReflectionUtils;

/**
 * Fails the application's startup when a bean has a {@link Locked} method whose key or durations are
 * invalid, before the application serves anything.
 */
final class LockedMethodsCheck implements SmartInitializingSingleton {

    private final ConfigurableListableBeanFactory beans;
    private final LockedInterceptor interceptor;

    LockedMethodsCheck(ConfigurableListableBeanFactory beans, LockedInterceptor interceptor) {
        this.beans = beans;
        this.interceptor = interceptor;
    }

    @Override
    public void afterSingletonsInstantiated() {
        for (String name : beans.getBeanDefinitionNames()) {
            Class<?> type = beans.getType(name, false);
            if (type != null) {
                ReflectionUtils.doWithMethods(ClassUtils.getUserClass(type), interceptor::settingsOf,
                        method -> LockedInterceptor.annotationOf(method) != null);
            }
        }
    }
}
