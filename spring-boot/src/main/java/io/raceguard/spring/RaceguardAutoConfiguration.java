package io.raceguard.spring;

import io.raceguard.counter.Counters;
import io.raceguard.idempotency.Idempotency;
import io.raceguard.idempotency.spi.IdempotencyStore;
import io.raceguard.lock.LockManager;
import io.raceguard.web.PrincipalResolver;
import org.springframework.aop.config.AopConfigUtils;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.beans.factory.support.BeanDefinitionRegistry;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.context.annotation.ImportBeanDefinitionRegistrar;
import org.springframework.context.annotation.Role;
import org.springframework.core.type.AnnotationMetadata;

/**
 * Raceguard on the application's own backend: a {@link LockManager}, {@link Counters}, an {@link
 * IdempotencyStore} with its {@link Idempotency}, and {@link RateLimiters}, on the backend that {@link
 * Backend} describes (chosen at startup and logged), plus the {@link Locked}, {@link Idempotent} and
 * {@link RateLimited} annotations. Every bean backs off when the application defines its own of the same
 * type. Settings: {@link RaceguardProperties}.
 */
@AutoConfiguration(afterName = {
        "org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration",
        "org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration"})
@EnableConfigurationProperties(RaceguardProperties.class)
@Import(RaceguardAutoConfiguration.ProxyRegistrar.class)
public class RaceguardAutoConfiguration {

    /** Creates the auto-configuration; Spring Boot does, from its imports file. */
    public RaceguardAutoConfiguration() {}

    @Bean
    @ConditionalOnMissingBean
    RaceguardStores raceguardStores(ConfigurableListableBeanFactory beans, RaceguardProperties properties) {
        return BackendSelection.choose(beans, properties);
    }

    /**
     * @param stores the chosen backend
     * @return its lock manager, closed with the backend
     */
    @Bean(destroyMethod = "")
    @ConditionalOnMissingBean
    public LockManager raceguardLockManager(RaceguardStores stores) {
        return stores.locks();
    }

    /**
     * @param stores the chosen backend
     * @return its counters
     */
    @Bean
    @ConditionalOnMissingBean
    public Counters raceguardCounters(RaceguardStores stores) {
        return stores.counters();
    }

    /**
     * @param stores the chosen backend
     * @return its idempotency store
     */
    @Bean
    @ConditionalOnMissingBean
    public IdempotencyStore raceguardIdempotencyStore(RaceguardStores stores) {
        return stores.idempotencyStore();
    }

    /**
     * @param store the idempotency store
     * @return idempotent execution on it, with the default lease and retention
     */
    @Bean
    @ConditionalOnMissingBean
    public Idempotency raceguardIdempotency(IdempotencyStore store) {
        return Idempotency.builder(store).build();
    }

    /**
     * @param stores the chosen backend
     * @return its rate limiter factory
     */
    @Bean
    @ConditionalOnMissingBean
    public RateLimiters raceguardRateLimiters(RaceguardStores stores) {
        return stores.rateLimiters();
    }

    @Bean
    @Role(BeanDefinition.ROLE_INFRASTRUCTURE)
    static LockedInterceptor raceguardLockedInterceptor(ObjectProvider<LockManager> locks) {
        return new LockedInterceptor(locks);
    }

    @Bean
    static LockedMethodsCheck raceguardLockedMethodsCheck(ConfigurableListableBeanFactory beans,
            LockedInterceptor interceptor) {
        return new LockedMethodsCheck(beans, interceptor);
    }

    /** Registers the annotations' filter in a Servlet application with Spring MVC. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
    @ConditionalOnClass(name = "org.springframework.web.servlet.DispatcherServlet")
    static class AnnotatedHandlers {

        @Bean
        AnnotatedHandlerFilter raceguardAnnotatedHandlerFilter(ObjectProvider<IdempotencyStore> store,
                ObjectProvider<RateLimiters> limiters, ObjectProvider<PrincipalResolver> principals) {
            return new AnnotatedHandlerFilter(store, limiters, principals);
        }

        @Bean
        FilterRegistrationBean<AnnotatedHandlerFilter> raceguardAnnotatedHandlerFilterRegistration(
                AnnotatedHandlerFilter filter) {
            FilterRegistrationBean<AnnotatedHandlerFilter> registration = new FilterRegistrationBean<>(filter);
            registration.setOrder(0);
            return registration;
        }
    }

    /** Makes sure an auto-proxy creator applies the {@link Locked} advisor, as {@code @EnableTransactionManagement} does. */
    static class ProxyRegistrar implements ImportBeanDefinitionRegistrar {

        @Override
        public void registerBeanDefinitions(AnnotationMetadata metadata, BeanDefinitionRegistry registry) {
            AopConfigUtils.registerAutoProxyCreatorIfNecessary(registry);
        }
    }
}
