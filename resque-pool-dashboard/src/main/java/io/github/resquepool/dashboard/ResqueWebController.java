package io.github.resquepool.dashboard;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.RequestMapping;

/**
 * Marks one of the dashboard's controllers: a Spring MVC controller under
 * {@code resque.web.path}, whose handlers {@link ResqueWebInterceptor} checks and whose
 * bad parameters {@link ResqueWebAdvice} answers with 400. Pages answer GET and change
 * nothing; actions answer POST only, then redirect (303) back to a page with a notice.
 * Every link and redirect is relative, so the dashboard works under a context path and
 * behind a proxy that strips a prefix.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Controller
@RequestMapping("${resque.web.path:/resque}")
public @interface ResqueWebController {

}
