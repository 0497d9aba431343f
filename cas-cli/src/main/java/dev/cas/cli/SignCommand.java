package dev.cas.cli;

import dev.cas.packaging.PackageWriter;
import dev.cas.packaging.PemKeys;
import dev.cas.packaging.ReadOptions;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code cas sign}: signs an existing package. The checksums are verified first; metadata.json then
 * names the new key, the checksums are written again (they cover metadata.json) and signed.
 */
@Command(
    name = "sign",
    mixinStandardHelpOptions = true,
    description = {
      "Sign a package (replacing any earlier signature). Its checksums must verify first.",
      "metadata.json records the algorithm and key id; checksum.sha256 is rewritten and signed."
    })
final class SignCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Parameters(index = "0", paramLabel = "FILE", description = "the package")
  Path file;

  @Option(
      names = "--key",
      required = true,
      paramLabel = "KEY.pem",
      description = "PKCS#8 private key (RSA 2048+ or Ed25519)")
  Path key;

  @Option(
      names = "--out",
      paramLabel = "FILE",
      description = "write the signed package here instead of replacing FILE")
  Path out;

  @Option(names = "--json", description = "print the result as JSON")
  boolean json;

  @Override
  public Integer call() {
    PrivateKey privateKey = PemKeys.readPrivate(CliFiles.requireFile(key, "--key"));
    Path target = out != null ? out : file;
    PackageWriter.Result result =
        PackageOpener.withPackage(
            file,
            ReadOptions.defaults(),
            pkg -> {
              PackageWriter.Builder builder =
                  PackageWriter.builder().includeData(true).signWith(privateKey);
              pkg.metadata().ifPresent(builder::from);
              return builder.build().write(pkg.root(), target);
            });
    PrintWriter o = spec.commandLine().getOut();
    String keyId = result.signerKeyId().orElseThrow();
    if (json) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("file", target.toString());
      m.put("signerKeyId", keyId);
      m.put("sha256", result.sha256());
      Json.print(o, m);
    } else {
      o.println("signed " + target + " with key " + keyId);
    }
    return Cas.OK;
  }
}
