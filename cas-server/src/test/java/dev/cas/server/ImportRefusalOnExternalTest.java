package dev.cas.server;

import java.nio.file.Path;

/** The import refusals on the machine's PostgreSQL server (127.0.0.1:5432). */
class ImportRefusalOnExternalTest extends ImportRefusalCases {

  @Override
  TestHost newHost(Path dataDir) {
    return TestHost.external(dataDir);
  }
}
