/**
 * The CAS plugin API: what plugin authors compile against. It needs nothing but {@code java.base},
 * so that a plugin's class loader can share exactly these types with the host and nothing else.
 */
module dev.cas.plugin.api {
  exports dev.cas.plugin.api;
}
