package dev.cas.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The host and API token {@code cas login} keeps in {@code ~/.config/cas/credentials}: a JSON
 * object {@code {host, user, token}}, mode 600 in a mode-700 folder.
 *
 * @param host the host's base URL
 * @param user who signed in
 * @param token the API token (a secret: never printed)
 */
record Credentials(String host, String user, String token) {

  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static final Set<PosixFilePermission> OWNER_ONLY =
      PosixFilePermissions.fromString("rw-------");

  /** Where the credentials live for this environment's home folder. */
  static Path file(CliEnvironment env) {
    return env.home().resolve(".config").resolve("cas").resolve("credentials");
  }

  /**
   * The stored credentials, if any. Threat: a token in a file others can read is a token others can
   * use; like ssh with its keys, a credentials file with group or other permissions is refused
   * rather than used.
   */
  static Optional<Credentials> load(CliEnvironment env) {
    Path file = file(env);
    if (!Files.isRegularFile(file)) {
      return Optional.empty();
    }
    try {
      Set<PosixFilePermission> mode = Files.getPosixFilePermissions(file);
      if (!OWNER_ONLY.containsAll(mode)) {
        throw new HostCallException(
            HostCallException.Reason.CREDENTIALS,
            null,
            "credentials file ["
                + file
                + "] may be read by others (mode "
                + PosixFilePermissions.toString(mode)
                + "): chmod 600 it, or cas logout and cas login again");
      }
      return Optional.of(parse(file));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read credentials file [" + file + "]", e);
    }
  }

  /**
   * The stored credentials whatever the file's mode, for {@code cas logout}: a token others may
   * have read is one to revoke all the more.
   */
  static Optional<Credentials> loadToRevoke(CliEnvironment env) {
    Path file = file(env);
    if (!Files.isRegularFile(file)) {
      return Optional.empty();
    }
    try {
      return Optional.of(parse(file));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read credentials file [" + file + "]", e);
    }
  }

  private static Credentials parse(Path file) throws IOException {
    try {
      JsonNode n = JSON.readTree(Files.readAllBytes(file));
      if (!n.path("host").isString() || !n.path("token").isString()) {
        throw new HostCallException(
            HostCallException.Reason.CREDENTIALS,
            null,
            "credentials file [" + file + "] lacks [host] or [token]: cas login again");
      }
      return new Credentials(
          n.get("host").asString(), n.path("user").asString(""), n.get("token").asString());
    } catch (tools.jackson.core.JacksonException e) {
      throw new HostCallException(
          HostCallException.Reason.CREDENTIALS,
          null,
          "credentials file [" + file + "] is not JSON: cas login again");
    }
  }

  /**
   * Writes the file. Threat: the token must never exist on disk with wider permissions, not even
   * for a moment; the file is created mode 600 beside the target and moved over it.
   */
  void save(CliEnvironment env) {
    Path file = file(env);
    try {
      Path dir = file.getParent();
      if (!Files.isDirectory(dir)) {
        Files.createDirectories(
            dir,
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
      }
      Path tmp =
          Files.createTempFile(
              dir, "credentials", ".tmp", PosixFilePermissions.asFileAttribute(OWNER_ONLY));
      Map<String, String> m = new LinkedHashMap<>();
      m.put("host", host);
      m.put("user", user);
      m.put("token", token);
      Files.write(tmp, JSON.writeValueAsBytes(m));
      try {
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
      }
      Files.setPosixFilePermissions(file, OWNER_ONLY);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write credentials file [" + file + "]", e);
    }
  }

  /** Deletes the file; true when there was one. */
  static boolean delete(CliEnvironment env) {
    try {
      return Files.deleteIfExists(file(env));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot delete credentials file [" + file(env) + "]", e);
    }
  }

  @Override
  public String toString() {
    return "Credentials[host=" + host + ", user=" + user + ", token=***]";
  }
}
