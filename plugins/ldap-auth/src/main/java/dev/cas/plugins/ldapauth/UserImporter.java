package dev.cas.plugins.ldapauth;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Copies directory users into the host's users: the action behind {@code POST /import}. */
final class UserImporter {

  /** Which usernames were imported, which the directory does not know, which were refused. */
  record Outcome(List<DirectoryUser> imported, List<String> notFound, List<String> refused) {
    Outcome {
      imported = List.copyOf(imported);
      notFound = List.copyOf(notFound);
      refused = List.copyOf(refused);
    }
  }

  private final LdapDirectory directory;
  private final UserLinks links;

  UserImporter(LdapDirectory directory, UserLinks links) {
    this.directory = directory;
    this.links = links;
  }

  /** Imports the named users. */
  Outcome importNamed(List<String> usernames) {
    List<DirectoryUser> found = new ArrayList<>();
    List<String> notFound = new ArrayList<>();
    for (String username : usernames) {
      Optional<DirectoryUser> user = directory.find(username);
      if (user.isPresent()) {
        found.add(user.get());
      } else {
        notFound.add(username);
      }
    }
    return importAll(found, notFound);
  }

  /** Imports every user the filter finds, up to the configured size limit. */
  Outcome importEveryone() {
    return importAll(directory.search("").users(), List.of());
  }

  private Outcome importAll(List<DirectoryUser> users, List<String> notFound) {
    List<DirectoryUser> imported = new ArrayList<>();
    List<String> refused = new ArrayList<>();
    for (DirectoryUser user : users) {
      // The same takeover rule as at login: never overwrite a local or privileged account.
      if (links.mayActFor(user.username())) {
        links.importUser(user);
        imported.add(user);
      } else {
        refused.add(user.username());
      }
    }
    return new Outcome(imported, notFound, refused);
  }
}
