/**
 * The Java agent of the plugin sandbox: loaded at start with {@code -javaagent} (never attached
 * later), it rewrites the JDK's sensitive methods so that each first calls {@link
 * dev.cas.sandbox.checker.PolicyChecker}. The rewritten methods are listed, with the threat each
 * stops, in {@link dev.cas.sandbox.agent.Guards}.
 */
package dev.cas.sandbox.agent;
