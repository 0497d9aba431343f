package dev.cas.server;

import java.nio.file.Path;

/** The import refusals on the shared embedded PostgreSQL. */
class ImportRefusalOnEmbeddedTest extends ImportRefusalCases {

  @Override
  TestHost newHost(Path dataDir) {
    return TestHost.embedded(dataDir);
  }
}
