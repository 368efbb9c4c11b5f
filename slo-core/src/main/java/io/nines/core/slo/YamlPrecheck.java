package io.nines.core.slo;

import java.util.Optional;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.api.lowlevel.Parse;
import org.snakeyaml.engine.v2.common.Anchor;
import org.snakeyaml.engine.v2.events.AliasEvent;
import org.snakeyaml.engine.v2.events.CollectionEndEvent;
import org.snakeyaml.engine.v2.events.CollectionStartEvent;
import org.snakeyaml.engine.v2.events.Event;
import org.snakeyaml.engine.v2.events.NodeEvent;

/**
 * Finds the first YAML anchor or alias of a text, or nesting beyond {@link #MAX_DEPTH}, from its parser events,
 * before any node is built.
 *
 * <p>An alias is a reference: a document that is small as text can stand for a huge (or, referring to itself,
 * endless) tree once anything walks it, and every consumer of an accepted document walks it again (canonical
 * JSON, YAML export, the stream). No OpenSLO document needs them, so they are refused outright rather than
 * counted against a cap that a bomb under an ignored key can slip under. The depth limit stops the scan early:
 * the parser slows down with depth (seconds for 100 000 nested lists), and the loader would overflow its stack.
 */
final class YamlPrecheck {

  /** Deeper than any OpenSLO document (about 10 levels) needs. */
  static final int MAX_DEPTH = 100;

  private YamlPrecheck() {
  }

  /**
   * The rule a text breaks by using an anchor or alias (naming the first one and where it is) or by nesting
   * too deeply.
   *
   * @throws org.snakeyaml.engine.v2.exceptions.YamlEngineException when the text is not YAML at all
   */
  static Optional<String> firstBreach(String text, LoadSettings settings) {
    int depth = 0;
    for (Event event : new Parse(settings).parseString(text)) {
      if (event instanceof CollectionStartEvent && ++depth > MAX_DEPTH) {
        return Optional.of("is nested deeper than " + MAX_DEPTH + " levels");
      }
      if (event instanceof CollectionEndEvent) {
        depth--;
      }
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
