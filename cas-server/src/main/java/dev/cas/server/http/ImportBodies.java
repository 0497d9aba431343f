package dev.cas.server.http;

import dev.cas.server.HostException;
import dev.cas.server.install.LegacyImport;
import io.helidon.webserver.http.ServerRequest;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.apache.commons.fileupload2.core.MultipartInput;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.databind.JsonNode;

/**
 * The four bodies {@code POST /api/plugins/import} takes, each turned into a package file on disk
 * without holding the upload in memory: a raw ZIP ({@code application/zip}), a multipart upload,
 * {@code {"zipData": "<base64>"}} (decoded while streaming), or the legacy JSON {@code {plugin,
 * documentation, data}}.
 */
final class ImportBodies {

  private ImportBodies() {}

  static Path toPackage(ServerRequest req, Optional<String> contentType, Path work)
      throws IOException {
    String type = contentType.orElse("application/octet-stream").toLowerCase(java.util.Locale.ROOT);
    Path zip = work.resolve("upload.zip");
    try (InputStream body = new BufferedInputStream(req.content().inputStream(), 64 * 1024)) {
      if (type.startsWith("multipart/form-data")) {
        multipart(body, boundary(type), zip);
      } else if (type.startsWith("application/json")) {
        json(body, work, zip);
      } else {
        Files.copy(body, zip);
      }
    }
    return zip;
  }

  private static String boundary(String type) {
    for (String part : type.split(";")) {
      String p = part.trim();
      if (p.startsWith("boundary=")) {
        return p.substring("boundary=".length()).replace("\"", "");
      }
    }
    throw new HostException(HostException.Reason.BAD_REQUEST, "multipart body without a boundary");
  }

  /** The first part with a filename (or named {@code file}) is the package. */
  private static void multipart(InputStream body, String boundary, Path zip) throws IOException {
    MultipartInput input =
        MultipartInput.builder()
            .setInputStream(body)
            .setBoundary(boundary.getBytes(StandardCharsets.ISO_8859_1))
            .get();
    boolean next = input.skipPreamble();
    while (next) {
      String headers = input.readHeaders().toLowerCase(java.util.Locale.ROOT);
      if (headers.contains("filename=") || headers.contains("name=\"file\"")) {
        try (OutputStream out = Files.newOutputStream(zip)) {
          input.readBodyData(out);
        }
        return;
      }
      input.discardBodyData();
      next = input.readBoundary();
    }
    throw new HostException(HostException.Reason.BAD_REQUEST, "multipart body has no file part");
  }

  private static void json(InputStream body, Path work, Path zip) throws IOException {
    Path spooled = work.resolve("body.json");
    Files.copy(body, spooled);
    try (InputStream in = Files.newInputStream(spooled);
        JsonParser parser = HttpApi.JSON.createParser(in)) {
      if (parser.nextToken() != JsonToken.START_OBJECT) {
        throw new HostException(
            HostException.Reason.BAD_REQUEST, "import body must be a JSON object");
      }
      while (parser.nextToken() == JsonToken.PROPERTY_NAME) {
        String name = parser.currentName();
        parser.nextToken();
        if (name.equals("zipData")) {
          try (OutputStream out = Files.newOutputStream(zip)) {
            parser.readBinaryValue(out);
          }
          return;
        }
        if (name.equals("plugin")) {
          JsonNode legacy = HttpApi.JSON.readTree(Files.readAllBytes(spooled));
          LegacyImport.toPackage(legacy, work, zip);
          return;
        }
        parser.skipChildren();
      }
    }
    throw new HostException(
        HostException.Reason.BAD_REQUEST,
        "import body must have [zipData] (base64 ZIP) or [plugin] (legacy JSON export)");
  }
}
