package dev.cas.server;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * A strict parser of the Prometheus text exposition format (version 0.0.4), written to the format's
 * specification because no maintained Java library parses it (Prometheus' Java client only writes
 * it). It refuses what a Prometheus server would: a bad metric or label name, an unknown type, a
 * TYPE line after the family's samples or twice, a family split into two groups, a duplicate label
 * or series, a malformed value or escape; and for histograms buckets without {@code le}, buckets
 * that are not cumulative, or no {@code +Inf} bucket equal to {@code _count}.
 */
final class PrometheusText {

  private static final Pattern METRIC = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*");
  private static final Pattern LABEL = Pattern.compile("[a-zA-Z_][a-zA-Z0-9_]*");
  private static final Set<String> TYPES =
      Set.of("counter", "gauge", "histogram", "summary", "untyped");

  record Sample(String name, Map<String, String> labels, double value) {}

  record Family(String name, String type, String help, List<Sample> samples) {}

  private final Map<String, Family> families = new LinkedHashMap<>();

  private PrometheusText() {}

  /** Parses a whole scrape or throws naming the line and the problem. */
  static Map<String, Family> parse(String text) {
    PrometheusText p = new PrometheusText();
    String[] lines = text.split("\n", -1);
    if (!text.isEmpty() && !text.endsWith("\n")) {
      throw new IllegalArgumentException("the exposition must end with a line feed");
    }
    Set<String> closed = new HashSet<>();
    Set<String> series = new HashSet<>();
    String current = null;
    for (int i = 0; i < lines.length; i++) {
      String line = lines[i];
      int n = i + 1;
      if (line.isBlank()) {
        continue;
      }
      if (line.startsWith("#")) {
        String[] parts = line.split("[ \t]+", 4);
        if (parts.length >= 3 && (parts[1].equals("HELP") || parts[1].equals("TYPE"))) {
          String name = parts[2];
          require(METRIC.matcher(name).matches(), n, "bad metric name [" + name + "]");
          Family f = p.families.get(name);
          if (parts[1].equals("TYPE")) {
            String type = parts.length == 4 ? parts[3].strip() : "";
            require(TYPES.contains(type), n, "unknown type [" + type + "]");
            require(f == null || f.type() == null, n, "second TYPE line for [" + name + "]");
            require(f == null || f.samples().isEmpty(), n, "TYPE after samples of " + name);
            f = new Family(name, type, f == null ? null : f.help(), new ArrayList<>());
          } else {
            String help = parts.length == 4 ? unescape(parts[3], false, n) : "";
            require(f == null || f.help() == null, n, "second HELP line for [" + name + "]");
            f = new Family(name, f == null ? null : f.type(), help, new ArrayList<>());
          }
          require(!closed.contains(name), n, "family [" + name + "] appears in two groups");
          if (current != null && !current.equals(name)) {
            closed.add(current);
          }
          current = name;
          p.families.put(name, f);
        }
        continue; // any other comment
      }
      Sample s = sample(line, n);
      String family = p.familyOf(s.name());
      require(!closed.contains(family), n, "family [" + family + "] appears in two groups");
      if (current != null && !current.equals(family)) {
        closed.add(current);
      }
      current = family;
      require(series.add(s.name() + s.labels()), n, "duplicate series " + s.name() + s.labels());
      p.families
          .computeIfAbsent(family, k -> new Family(k, "untyped", null, new ArrayList<>()))
          .samples()
          .add(s);
    }
    p.families.values().forEach(PrometheusText::checkHistogram);
    return p.families;
  }

  /** The family a sample belongs to: its own name, or a typed family its suffix points at. */
  private String familyOf(String sample) {
    for (String suffix : List.of("_bucket", "_sum", "_count", "_total", "_created")) {
      if (sample.endsWith(suffix)) {
        String base = sample.substring(0, sample.length() - suffix.length());
        Family f = families.get(base);
        if (f != null && f.type() != null && !f.type().equals("untyped")) {
          return base;
        }
      }
    }
    return sample;
  }

  private static Sample sample(String line, int n) {
    int i = 0;
    while (i < line.length() && line.charAt(i) != '{' && line.charAt(i) != ' ') {
      i++;
    }
    String name = line.substring(0, i);
    require(METRIC.matcher(name).matches(), n, "bad metric name [" + name + "]");
    Map<String, String> labels = new TreeMap<>();
    if (i < line.length() && line.charAt(i) == '{') {
      i++;
      while (line.charAt(i) != '}') {
        int eq = line.indexOf('=', i);
        require(eq > 0, n, "label without '='");
        String label = line.substring(i, eq);
        require(LABEL.matcher(label).matches(), n, "bad label name [" + label + "]");
        require(line.charAt(eq + 1) == '"', n, "label value of [" + label + "] not quoted");
        StringBuilder value = new StringBuilder();
        int j = eq + 2;
        for (; line.charAt(j) != '"'; j++) {
          char c = line.charAt(j);
          if (c == '\\') {
            char e = line.charAt(++j);
            require(e == '\\' || e == '"' || e == 'n', n, "bad escape \\" + e);
            value.append(e == 'n' ? '\n' : e);
          } else {
            value.append(c);
          }
        }
        require(labels.put(label, value.toString()) == null, n, "duplicate label " + label);
        i = j + 1;
        if (line.charAt(i) == ',') {
          i++;
        } else {
          require(line.charAt(i) == '}', n, "expected ',' or '}' after a label");
        }
      }
      i++;
    }
    String[] rest = line.substring(i).strip().split("[ \t]+");
    require(rest.length == 1 || rest.length == 2, n, "expected a value and an optional timestamp");
    if (rest.length == 2) {
      try {
        Long.parseLong(rest[1]);
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("line " + n + ": bad timestamp [" + rest[1] + "]");
      }
    }
    return new Sample(name, labels, value(rest[0], n));
  }

  private static double value(String text, int n) {
    switch (text) {
      case "NaN":
        return Double.NaN;
      case "+Inf":
        return Double.POSITIVE_INFINITY;
      case "-Inf":
        return Double.NEGATIVE_INFINITY;
      default:
        try {
          require(!text.contains("_") && !text.endsWith("d") && !text.endsWith("f"), n, "");
          return Double.parseDouble(text);
        } catch (IllegalArgumentException e) {
          throw new IllegalArgumentException("line " + n + ": bad value [" + text + "]");
        }
    }
  }

  private static String unescape(String text, boolean quotes, int n) {
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == '\\' && i + 1 < text.length()) {
        char e = text.charAt(++i);
        require(e == '\\' || e == 'n' || (quotes && e == '"'), n, "bad escape \\" + e);
        out.append(e == 'n' ? '\n' : e);
      } else {
        out.append(c);
      }
    }
    return out.toString();
  }

  /** Buckets cumulative per series, the +Inf bucket equal to the count. */
  private static void checkHistogram(Family f) {
    if (!"histogram".equals(f.type())) {
      return;
    }
    Map<Map<String, String>, TreeMap<Double, Double>> buckets = new LinkedHashMap<>();
    Map<Map<String, String>, Double> counts = new LinkedHashMap<>();
    for (Sample s : f.samples()) {
      if (s.name().equals(f.name() + "_bucket")) {
        String le = s.labels().get("le");
        if (le == null) {
          throw new IllegalArgumentException(f.name() + ": a bucket without le");
        }
        Map<String, String> rest = new TreeMap<>(s.labels());
        rest.remove("le");
        buckets.computeIfAbsent(rest, k -> new TreeMap<>()).put(value(le, 0), s.value());
      } else if (s.name().equals(f.name() + "_count")) {
        counts.put(s.labels(), s.value());
      }
    }
    buckets.forEach(
        (labels, b) -> {
          double previous = 0;
          for (double v : b.values()) {
            if (v < previous) {
              throw new IllegalArgumentException(f.name() + labels + ": buckets not cumulative");
            }
            previous = v;
          }
          Double inf = b.get(Double.POSITIVE_INFINITY);
          if (inf == null || !inf.equals(counts.get(labels))) {
            throw new IllegalArgumentException(
                f.name()
                    + labels
                    + ": +Inf bucket "
                    + inf
                    + " is not the count "
                    + counts.get(labels));
          }
        });
  }

  private static void require(boolean ok, int line, String problem) {
    if (!ok) {
      throw new IllegalArgumentException("line " + line + ": " + problem);
    }
  }

  /** The value of the one sample with this name and these labels (others may be present). */
  static Optional<Double> value(
      Map<String, Family> families, String name, Map<String, String> labels) {
    return families.values().stream()
        .flatMap(f -> f.samples().stream())
        .filter(s -> s.name().equals(name))
        .filter(s -> s.labels().entrySet().containsAll(labels.entrySet()))
        .map(Sample::value)
        .reduce(
            (a, b) -> {
              throw new IllegalArgumentException("more than one sample " + name + labels);
            });
  }
}
