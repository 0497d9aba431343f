package dev.cas.testkit;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Which user a {@link PluginClient} parameter is signed in as: the user is created on the class's
 * host with the given role the first time it is asked for. Without it, a client is {@code admin}.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.PARAMETER)
public @interface SignedIn {

  /**
   * The user's name.
   *
   * @return the name the client signs in as
   */
  String value();

  /**
   * Their role: {@code admin}, {@code operator} or {@code user}.
   *
   * @return the role the user is created with
   */
  String role() default "user";
}
