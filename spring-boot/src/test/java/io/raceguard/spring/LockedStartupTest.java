package io.raceguard.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.raceguard.lock.LeaseOptions;
import io.raceguard.lock.LockManager;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * A {@code @Locked} method whose key cannot work stops the application at startup, with an error that
 * names the method; a key that evaluates to null fails the call, naming the method, before anything is
 * locked.
 */
final class LockedStartupTest {

    private final ApplicationContextRunner application = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(RaceguardAutoConfiguration.class))
            .withPropertyValues("raceguard.backend=memory");

    @Test
    void shouldRefuseToStartWhenTheKeyIsMissing() {
        application.withUserConfiguration(BlankKey.class).run(context -> assertThat(context.getStartupFailure())
                .hasMessageContaining(BlankKey.Service.class.getName() + ".redeem(String)")
                .hasMessageContaining("needs a key expression"));
    }

    @Test
    void shouldRefuseToStartWhenTheKeyNamesNoParameter() {
        application.withUserConfiguration(MisspelledKey.class).run(context -> assertThat(context.getStartupFailure())
                .hasMessageContaining(MisspelledKey.Service.class.getName() + ".redeem(String)")
                .hasMessageContaining("#cod,"));
    }

    @Test
    void shouldRefuseToStartWhenTheKeyDoesNotParse() {
        application.withUserConfiguration(MalformedKey.class).run(context -> assertThat(context.getStartupFailure())
                .hasMessageContaining(MalformedKey.Service.class.getName() + ".redeem(String)")
                .hasMessageContaining("does not parse"));
    }

    @Test
    void shouldRefuseACallWhoseKeyIsNullAndLockNothing() {
        application.withUserConfiguration(ValidKey.class).run(context -> {
            assertThat(context).hasNotFailed();
            ValidKey.Service service = context.getBean(ValidKey.Service.class);
            assertThatThrownBy(() -> service.redeem(null))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining(ValidKey.Service.class.getName() + ".redeem(String)")
                    .hasMessageContaining("null");
            assertThat(service.calls()).isZero();
        });
    }

    @Test
    void shouldHoldTheLeaseWhileTheMethodRuns() {
        application.withUserConfiguration(ValidKey.class).run(context -> {
            ValidKey.Service service = context.getBean(ValidKey.Service.class);
            LockManager locks = context.getBean(LockManager.class);
            service.whileRunning(() -> assertThat(locks.tryAcquire("coupons:SAVE20",
                    LeaseOptions.ttl(Duration.ofSeconds(1)))).isEmpty());
            assertThat(service.redeem("SAVE20")).isEqualTo("redeemed SAVE20");
            assertThat(service.calls()).isEqualTo(1);
            assertThat(locks.tryAcquire("coupons:SAVE20", LeaseOptions.ttl(Duration.ofSeconds(1)))).isPresent();
        });
    }

    @Configuration(proxyBeanMethods = false)
    static class BlankKey {
        @Bean
        Service service() {
            return new Service();
        }

        static class Service {
            @Locked(key = " ")
            public String redeem(String code) {
                return code;
            }
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class MisspelledKey {
        @Bean
        Service service() {
            return new Service();
        }

        static class Service {
            @Locked(key = "#cod")
            public String redeem(String code) {
                return code;
            }
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class MalformedKey {
        @Bean
        Service service() {
            return new Service();
        }

        static class Service {
            @Locked(key = "#code +")
            public String redeem(String code) {
                return code;
            }
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class ValidKey {
        @Bean
        Service service() {
            return new Service();
        }

        static class Service {
            private int calls;
            private Runnable whileRunning = () -> { };

            /** @return the calls that reached the method (read through the proxy, so not a field) */
            public int calls() {
                return calls;
            }

            public void whileRunning(Runnable check) {
                whileRunning = check;
            }

            @Locked(name = "coupons", key = "#code")
            public String redeem(String code) {
                calls++;
                whileRunning.run();
                return "redeemed " + code;
            }
        }
    }
}
