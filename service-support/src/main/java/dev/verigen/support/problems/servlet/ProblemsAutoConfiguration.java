package dev.verigen.support.problems.servlet;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.context.annotation.Import;

/** Every servlet service of the platform answers errors in the one shape; reactive ones (the gateway) do it themselves. */
// before Spring MVC's auto-configuration, whose own problem handler stands back when one exists
@AutoConfiguration(beforeName = "org.springframework.boot.webmvc.autoconfigure.WebMvcAutoConfiguration")
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
@Import(ServletProblemHandler.class)
public class ProblemsAutoConfiguration {
}
