package io.nines.core.slo;

import java.util.Optional;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.api.lowlevel.Parse;
import org.snakeyaml.engine.v2.common.Anchor;
import org.snakeyaml.engine.v2.events.AliasEvent;
import org.snakeyaml.engine.v2.events.Event;
import org.snakeyaml.engine.v2.events.NodeEvent;

/**
 * Finds the first YAML anchor or alias of a text from its parser events, before any node is built.
 *
 * <p>An alias is a reference: a document that is small as text can stand for a huge (or, referring to itself,
 * endless) tree once anything walks it, and every consumer of an accepted document walks it again (canonical
 * JSON, YAML export, the stream). No OpenSLO document needs them, so they are refused outright rather than
 * counted against a cap that a bomb under an ignored key can slip under.
 */
final class YamlAnchors {

  private YamlAnchors() {
  }

  /**
   * The rule a text breaks by using an anchor or alias, naming the first one and where it is.
   *
   * @throws org.snakeyaml.engine.v2.exceptions.YamlEngineException when the text is not YAML at all
   */
  static Optional<String> firstUse(String text, LoadSettings settings) {
    for (Event event : new Parse(settings).parseString(text)) {
      if (event instanceof AliasEvent alias) {
        return Optional.of(rule("alias '*" + alias.getAlias().getValue() + "'", event));
      }
      if (event instanceof NodeEvent node && node.getAnchor().isPresent()) {
        Anchor anchor = node.getAnchor().get();
        return Optional.of(rule("anchor '&" + anchor.getValue() + "'", event));
      }
    }
    return Optional.empty();
  }

  private static String rule(String what, Event event) {
    String where = event.getStartMark()
        .map(mark -> " at line " + (mark.getLine() + 1) + ", column " + (mark.getColumn() + 1))
        .orElse("");
    return "must not use YAML anchors or aliases (&name, *name); found " + what + where;
  }
}
