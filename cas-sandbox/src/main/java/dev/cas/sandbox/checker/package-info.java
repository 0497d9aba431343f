/**
 * The policy checker of the plugin sandbox (layers 1 and 2). The agent puts this package on the
 * boot class path, so the JDK methods it rewrites can call {@link
 * dev.cas.sandbox.checker.PolicyChecker} first; plugins see it through their parent loaders but
 * cannot open it (reflection into it is denied) nor register policies (the {@link
 * dev.cas.sandbox.checker.PolicyRegistry} refuses callers with plugin frames on the stack).
 *
 * <p>Code here runs inside JDK methods: it uses {@code java.base} only, no lambdas and no
 * invokedynamic string concatenation, and never calls a method the agent guards.
 */
package dev.cas.sandbox.checker;
