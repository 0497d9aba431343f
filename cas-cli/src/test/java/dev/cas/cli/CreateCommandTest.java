package dev.cas.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code cas create}'s files and refusals. Building the created projects and installing their
 * packages is CreateProjectIT's (module cas-create-it).
 */
class CreateCommandTest {

  @TempDir Path tmp;

  private record Run(int exit, String out, String err) {}

  private static Run cas(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int exit = Cas.run(args, new PrintWriter(out, true), new PrintWriter(err, true));
    return new Run(exit, out.toString(), err.toString());
  }

  @Test
  void backendProjectHasEverythingItNeedsToBuild() throws IOException {
    Path dir = tmp.resolve("p");
    Run r = cas("create", "hello-notes", "--dir", dir.toString(), "--package", "org.acme.notes");
    assertThat(r.exit()).as(r.err()).isZero();
    assertThat(dir.resolve("mvnw")).isExecutable();
    assertThat(dir.resolve(".mvn/wrapper/maven-wrapper.properties")).isRegularFile();
    assertThat(dir.resolve(".mvn/jvm.config")).content().contains("-XX:TieredStopAtLevel=1");
    assertThat(dir.resolve("src/main/java/org/acme/notes/HelloNotesPlugin.java"))
        .content()
        .contains("package org.acme.notes;", "class HelloNotesPlugin implements Plugin");
    assertThat(dir.resolve("src/test/java/org/acme/notes/HelloNotesPluginIT.java"))
        .content()
        .contains("@ExtendWith(CasExtension.class)");
    assertThat(dir.resolve("src/plugin/plugin.json"))
        .content()
        .contains("\"id\": \"hello-notes\"", "\"main\": \"org.acme.notes.HelloNotesPlugin\"")
        .contains("\"default\": \"Hello\"")
        .doesNotContain("{{");
    assertThat(dir.resolve("src/plugin/backend/migrations/001_create_items_rollback.sql"))
        .isRegularFile();
    assertThat(dir.resolve("pom.xml"))
        .content()
        .contains("<artifactId>cas-bom</artifactId>", "<artifactId>cas-maven-plugin</artifactId>")
        .contains("<scope>provided</scope>");
    assertThat(dir.resolve("src/plugin/frontend")).doesNotExist();
  }

  @Test
  void fullStackAddsAWebComponentAndDocsHasNoCode() {
    Path full = tmp.resolve("full");
    assertThat(cas("create", "shop", "--template", "full-stack", "--dir", full.toString()).exit())
        .isZero();
    assertThat(full.resolve("src/plugin/frontend/dist/shop.js"))
        .content()
        .contains("customElements.define(\"shop-panel\"");
    assertThat(full.resolve("src/plugin/plugin.json")).content().contains("\"shop-panel\"");

    Path docs = tmp.resolve("docs");
    assertThat(cas("create", "guide", "--template", "docs", "--dir", docs.toString()).exit())
        .isZero();
    assertThat(docs.resolve("src/main/java")).doesNotExist();
    assertThat(docs.resolve("src/plugin/docs/readme.md")).isRegularFile();
  }

  @Test
  void badInputIsNamed() throws IOException {
    Run badId = cas("create", "Hello_World", "--dir", tmp.resolve("a").toString());
    assertThat(badId.exit()).isEqualTo(Cas.USAGE);
    assertThat(badId.err()).contains("[Hello_World]", "lowercase");

    Run badTemplate = cas("create", "x", "--template", "spa", "--dir", tmp.resolve("b").toString());
    assertThat(badTemplate.exit()).isEqualTo(Cas.USAGE);
    assertThat(badTemplate.err()).contains("[spa]", "backend, full-stack or docs");

    Run badPackage =
        cas("create", "x", "--package", "Org.Acme", "--dir", tmp.resolve("c").toString());
    assertThat(badPackage.exit()).isEqualTo(Cas.USAGE);
    assertThat(badPackage.err()).contains("[Org.Acme]");

    Files.createDirectories(tmp.resolve("full"));
    Files.writeString(tmp.resolve("full/keep.txt"), "mine");
    Run notEmpty = cas("create", "x", "--dir", tmp.resolve("full").toString());
    assertThat(notEmpty.exit()).isEqualTo(Cas.USAGE);
    assertThat(notEmpty.err()).contains("not empty");
    assertThat(tmp.resolve("full/keep.txt")).hasContent("mine");
  }

  @Test
  void projectCommandsOutsideAProjectSayWhatIsMissing() {
    for (String command : new String[] {"build", "test", "dev"}) {
      Run r = cas(command, "--dir", tmp.toString());
      assertThat(r.exit()).as(command).isEqualTo(Cas.USAGE);
      assertThat(r.err()).contains("is not a plugin project", "cas create");
    }
  }
}
