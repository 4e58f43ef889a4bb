package io.raceguard.spring.shop;

import io.raceguard.web.PrincipalResolver;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Bean;

/** The guide's shop as a Spring Boot application: each scenario guarded by an annotation, and unguarded. */
@SpringBootApplication
public class ShopApplication {

    /** The header a gateway in front of the shop sets to the authenticated customer. */
    public static final String CUSTOMER_HEADER = "X-Customer";

    @Bean
    PrincipalResolver customers() {
        return PrincipalResolver.header(CUSTOMER_HEADER);
    }
}
